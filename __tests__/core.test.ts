import fc from 'fast-check';
import { SINCE, UNTIL, formatDate, parseHumanDate } from '../src/core/dates.js';
import { RefusedError } from '../src/core/errors.js';
import {
  makePost,
  publish,
  restore,
  trash,
  unpublish,
  assertDeletable,
  isDue,
  isVisibleNow,
  parsePostStatuses,
} from '../src/core/posts.js';
import { parseChoiceList, splitList, uniqueList } from '../src/core/lists.js';
import { slugFromTitle, slugProblem, uniqueSlug } from '../src/core/slug.js';
import { stripControl } from '../src/core/text.js';
import { postProblem, postProblemSince } from '../src/core/schema.js';
import { POST_STATUSES } from '../src/core/types.js';
import type { Comment, Post } from '../src/core/types.js';

describe('slugs', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['Ünïcödé straße', 'uenicoede-strasse'],
    ['Ça va? Très bien', 'ca-va-tres-bien'],
    ['1984', 'post-1984'],
    ['日本語', 'post'],
    ['../../etc/passwd', 'etc-passwd'],
    ['   ', 'post'],
  ])('slugFromTitle(%j) is %j', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it.each([
    ['good-slug', null],
    ['', 'a slug may not be empty'],
    ['../x', 'a slug may not contain path separators'],
    ['a/b', 'a slug may not contain path separators'],
    ['2024', 'a slug may not be numeric only'],
    ['Upper', 'a slug may hold only lowercase letters, digits and single hyphens'],
    ['a--b', 'a slug may hold only lowercase letters, digits and single hyphens'],
  ])('slugProblem(%j) is %j', (slug, problem) => {
    expect(slugProblem(slug)).toBe(problem);
  });

  it('adds -2, -3 until free', () => {
    const taken = new Set(['a', 'a-2']);
    expect(uniqueSlug('a', (s) => taken.has(s))).toBe('a-3');
    expect(uniqueSlug('b', (s) => taken.has(s))).toBe('b');
  });

  it('always makes a safe, valid slug from any title', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (title) => {
        const slug = slugFromTitle(title);
        expect(slugProblem(slug)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('dates typed by people', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  it.each([
    ['tomorrow 9am', 'Europe/Paris', '2026-11-28T08:00:00.000Z'],
    ['tomorrow 9am', 'UTC', '2026-11-28T09:00:00.000Z'],
    ['next friday 17:00', 'America/New_York', '2026-12-04T22:00:00.000Z'],
    ['2026-12-01T09:00', 'Europe/Paris', '2026-12-01T08:00:00.000Z'],
    ['2026-12-01T09:00:00Z', 'Europe/Paris', '2026-12-01T09:00:00.000Z'],
    ['2027-07-01 09:00', 'Europe/Paris', '2027-07-01T07:00:00.000Z'],
    ['in 2 hours', 'Europe/Paris', '2026-11-27T12:00:00.000Z'],
  ])('%j in %s is %s', async (text, zone, iso) => {
    expect((await parseHumanDate(text, now, zone))?.toISOString()).toBe(iso);
  });

  // 2026-11-27 is a Friday; 10:00 UTC is 11:00 in Paris.
  it.each([
    ['last monday', undefined, '2026-11-23T11:00:00.000Z'],
    ['monday', undefined, '2026-11-30T11:00:00.000Z'],
    ['9am', undefined, '2026-11-28T08:00:00.000Z'],
    ['monday', SINCE, '2026-11-22T23:00:00.000Z'],
    ['last monday', SINCE, '2026-11-22T23:00:00.000Z'],
    ['yesterday', SINCE, '2026-11-25T23:00:00.000Z'],
    ['yesterday', UNTIL, '2026-11-26T22:59:59.999Z'],
    ['2026-06-01', UNTIL, '2026-06-01T21:59:59.999Z'],
    ['2026-06-01', SINCE, '2026-05-31T22:00:00.000Z'],
  ])('%j read as %j in Paris is %s', async (text, reading, iso) => {
    expect((await parseHumanDate(text, now, 'Europe/Paris', reading))?.toISOString()).toBe(iso);
  });

  it.each(['', 'banana', 'when pigs fly', 'tomorrow-ish maybe'])('%j cannot be read', async (text) => {
    expect(await parseHumanDate(text, now, 'UTC')).toBeNull();
  });

  it('shows instants in the blog timezone', () => {
    expect(formatDate('2026-11-28T08:00:00.000Z', 'Europe/Paris')).toBe('2026-11-28 09:00');
  });
});

describe('post statuses', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const draft = () => makePost({ title: 'T', slug: 't', author: 'A' }, now);

  it.each([
    ['no date', undefined, 'published', '2026-11-27T10:00:00.000Z'],
    ['a past date', new Date('2020-01-01T00:00:00Z'), 'published', '2020-01-01T00:00:00.000Z'],
    ['a future date', new Date('2026-12-01T00:00:00Z'), 'scheduled', '2026-12-01T00:00:00.000Z'],
  ])('publish with %s', (_label, at, status, publishedAt) => {
    expect(publish(draft(), now, at)).toMatchObject({ status, publishedAt });
  });

  it('returns a post already in the state asked for as it is, so that a retry changes nothing', () => {
    const published = publish(draft(), now);
    expect(publish(published, now)).toBe(published);
    expect(publish(published, now, new Date(published.publishedAt!))).toBe(published);
    const scheduled = publish(draft(), now, new Date('2027-01-01T00:00:00Z'));
    expect(publish(scheduled, now, new Date('2027-01-01T00:00:00Z'))).toBe(scheduled);
    const plain = draft();
    expect(unpublish(plain)).toBe(plain);
    const trashed = trash(draft());
    expect(trash(trashed)).toBe(trashed);
    // A new date, or publishing a scheduled post now, is a change.
    expect(publish(published, now, new Date('2020-01-01T00:00:00Z'))).toMatchObject({
      status: 'published',
      publishedAt: '2020-01-01T00:00:00.000Z',
    });
    expect(publish(scheduled, now)).toMatchObject({ status: 'published', publishedAt: now.toISOString() });
  });

  it('refuses the transitions that make no sense', () => {
    expect(() => restore(draft())).toThrow(RefusedError);
    expect(() => unpublish(trash(draft()))).toThrow(/restore it first/);
    expect(() => publish(trash(draft()), now)).toThrow(/restore it first/);
    expect(() => assertDeletable(draft(), false)).toThrow(/--force/);
    expect(() => assertDeletable(draft(), true)).not.toThrow();
  });

  it('trash remembers the status and restore returns to it', () => {
    const scheduled = publish(draft(), now, new Date('2027-01-01T00:00:00Z'));
    const restored = restore(trash(scheduled));
    expect(restored.status).toBe('scheduled');
    expect(restored).not.toHaveProperty('previousStatus');
  });

  it('knows when a scheduled post is due', () => {
    const scheduled = publish(draft(), now, new Date('2026-11-27T11:00:00Z'));
    expect(isDue(scheduled, now)).toBe(false);
    expect(isDue(scheduled, new Date('2026-11-27T11:00:00Z'))).toBe(true);
  });

  it('parses status lists and names the flag for a bad one', () => {
    expect(parsePostStatuses('draft,published')).toEqual(['draft', 'published']);
    expect(parsePostStatuses('all')).toHaveLength(5);
    expect(() => parsePostStatuses('draft,nope')).toThrow(/"nope" for --status/);
  });
});

describe('text from outside, on the way to a terminal', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', 'red'],
    ['title\u001b]0;pwned\u0007', 'title'],
    ['bell\u0007 and \u0008backspace', 'bell and backspace'],
    ['c1 \u009b31m csi', 'c1  csi'],
    ['keep\ttabs\nand lines', 'keep\ttabs\nand lines'],
    ['crlf\r\nline', 'crlf\nline'],
    ['bidi \u202eevil', 'bidi evil'],
  ])('stripControl(%j) is %j', (input, output) => {
    expect(stripControl(input)).toBe(output);
  });

  it('never lets an escape or control character through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(stripControl(text)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('typed lists', () => {
  it.each([
    ['a, b,,c ', ['a', 'b', 'c']],
    [' , ', []],
    ['one', ['one']],
  ])('splitList(%j) is %j', (text, items) => {
    expect(splitList(text)).toEqual(items);
  });

  it('uniqueList keeps the first spelling of each name, without blanks', () => {
    expect(uniqueList([' Go ', 'go', '', 'Rust', 'GO', 'rust '])).toEqual(['Go', 'Rust']);
  });

  it.each([
    ['Draft, PUBLISHED', ['draft', 'published']],
    ['draft,draft', ['draft']],
    ['all', 'all'],
    ['draft,all', 'all'],
  ])('parseChoiceList(%j) is %j', (text, wanted) => {
    expect(parseChoiceList(text, POST_STATUSES, { flag: '--status', noun: 'status', all: true })).toEqual(wanted);
  });

  it('names every unknown choice, the flag and the choices at once', () => {
    expect(() => parseChoiceList('nope, draft, bad', ['draft', 'pending'], { flag: '--x', noun: 'thing' })).toThrow(
      'Unknown thing "nope,bad" for --x: use draft, pending.',
    );
    expect(() => parseChoiceList(' , ', ['draft'], { flag: '--x', noun: 'thing', all: true })).toThrow(
      'Unknown thing " , " for --x: use draft or all.',
    );
  });
});

describe('whether readers see a post now', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  it.each([
    ['published', null, true],
    ['published', '2027-01-01T00:00:00Z', true],
    ['scheduled', '2026-11-27T10:00:00Z', true],
    ['scheduled', '2026-11-27T10:00:01Z', false],
    ['draft', '2026-01-01T00:00:00Z', false],
    ['pending', null, false],
    ['trash', '2026-01-01T00:00:00Z', false],
  ] as const)('a %s post dated %s: %s', (status, publishedAt, visible) => {
    expect(isVisibleNow({ status, publishedAt }, now)).toBe(visible);
  });
});

describe('checking a post made from a checked one by adding comments', () => {
  const deepFreeze = <T>(value: T): T => {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const inner of Object.values(value)) deepFreeze(inner);
    }
    return value;
  };
  const comment = (id: string, fields: Partial<Comment> = {}): Comment => ({
    id,
    parentId: null,
    author: 'Ada',
    email: 'ada@example.com',
    url: '',
    ip: '10.0.0.1',
    userAgent: 'test',
    body: 'Hello',
    status: 'pending',
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    type: 'comment',
    reasons: [],
    ...fields,
  });
  const base = deepFreeze({
    ...makePost({ title: 'Checked', author: 'Ada', slug: 'checked' }, new Date('2026-03-01T12:00:00Z')),
    comments: [comment('cmtaaaaa')],
  } as Post);

  it.each<[string, (checked: Post) => unknown]>([
    ['a valid comment added', (checked) => ({ ...checked, comments: [...checked.comments, comment('cmtbbbbb')] })],
    ['nothing added', (checked) => ({ ...checked })],
    [
      'a comment of a bad status added',
      (checked) => ({ ...checked, comments: [...checked.comments, comment('cmtbbbbb', { status: 'odd' as never })] }),
    ],
    ['a comment without an id added', (checked) => ({ ...checked, comments: [...checked.comments, { ...comment('x'), id: undefined }] })],
    ['a field changed too', (checked) => ({ ...checked, status: 'odd', comments: [...checked.comments, comment('cmtbbbbb')] })],
    [
      'another field changed to a bad value',
      (checked) => ({ ...checked, sticky: 'yes', comments: [...checked.comments, comment('cmtbbbbb')] }),
    ],
    ['a field added', (checked) => ({ ...checked, extra: { kept: true }, comments: [...checked.comments, comment('cmtbbbbb')] })],
    ['a field taken away', ({ title: _title, ...rest }) => ({ ...rest, comments: [...rest.comments, comment('cmtbbbbb')] })],
    ['a comment replaced', (checked) => ({ ...checked, comments: [comment('cmtaaaaa', { status: 'odd' as never })] })],
    ['comments not a list', (checked) => ({ ...checked, comments: 'none' })],
  ])('finds what the whole check finds: %s', (_what, change) => {
    const post = change(base) as Post;
    expect(postProblemSince(post, base)).toBe(postProblem(post));
  });

  it('checks a post whole when the one it was made from was not frozen (so may have changed since it was checked)', () => {
    const loose = { ...base, status: 'odd' } as unknown as Post;
    const post = { ...loose, comments: [...loose.comments, comment('cmtbbbbb')] };
    expect(postProblemSince(post, loose)).toMatch(/status/);
  });
});
