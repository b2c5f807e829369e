import fc from 'fast-check';
import { mergeComments, mergeLikesThreeWay, mergeNameSet, mergePost, mergeRecords, mergeSettings, mergeText } from '../src/core/merge.js';
import { makePost } from '../src/core/posts.js';
import { postProblem } from '../src/core/schema.js';
import type { Comment, Post } from '../src/core/types.js';

const now = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

function post(over: Partial<Post> = {}): Post {
  return {
    ...makePost({ title: 'Hello', slug: 'hello', author: 'Ada', body: 'one\ntwo\nthree\n', tags: ['a', 'b'] }, now),
    id: 'p0st2345',
    ...over,
  };
}

function comment(id: string, over: Partial<Comment> = {}): Comment {
  return {
    id,
    parentId: null,
    author: 'Grace',
    email: 'grace@example.com',
    url: '',
    ip: '192.0.2.1',
    userAgent: 'test',
    body: `comment ${id}`,
    status: 'pending',
    createdAt: at(1),
    updatedAt: at(1),
    type: 'comment',
    reasons: [],
    ...over,
  };
}

describe('text merges line by line', () => {
  it.each([
    ['one side changed', 'a\nb\n', 'a\nB\n', 'a\nb\n', 'a\nB\n'],
    ['the other side changed', 'a\nb\n', 'a\nb\n', 'a\nb\nc\n', 'a\nb\nc\n'],
    ['separate lines on each side', 'a\nb\nc\nd\ne\n', 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', 'A\nb\nc\nd\nE\n'],
    ['the same change on both', 'a\n', 'b\n', 'b\n', 'b\n'],
    ['no final newline', 'a\nb', 'A\nb', 'a\nb', 'A\nb'],
    ['overlapping changes', 'a\nb\n', 'a\nX\n', 'a\nY\n', null],
  ])('%s', (_name, base, ours, theirs, merged) => {
    expect(mergeText(base, ours, theirs)).toBe(merged);
  });
});

describe('names merge as sets', () => {
  it.each([
    ['adds on both sides', ['a'], ['a', 'b'], ['a', 'c'], ['a', 'b', 'c']],
    ['an add and a remove of different names', ['a', 'b'], ['a', 'b', 'c'], ['a'], ['a', 'c']],
    ['removed on both', ['a', 'b'], ['a'], ['a'], ['a']],
    ['case does not make a new name', ['News'], ['News', 'x'], ['news', 'y'], ['News', 'x', 'y']],
  ])('%s', (_name, base, ours, theirs, merged) => {
    expect(mergeNameSet(base, ours, theirs)).toEqual(merged);
  });
});

describe('a post merges field by field', () => {
  it('takes the body and tags of one side and the comment activity of the other', () => {
    const base = post({ comments: [comment('c1aaaaaa')] });
    const author = { ...base, body: 'one\ntwo, edited\nthree\n', tags: ['a', 'b', 'new'], revision: 2, updatedAt: at(5) };
    const moderator = {
      ...base,
      comments: [
        comment('c1aaaaaa', { status: 'approved', updatedAt: at(6) }),
        comment('c2bbbbbb', { createdAt: at(7), updatedAt: at(7) }),
      ],
      revision: 3,
      updatedAt: at(7),
    };
    for (const [ours, theirs] of [
      [author, moderator],
      [moderator, author],
    ] as const) {
      const { value, conflicts } = mergePost(base, ours, theirs);
      expect(conflicts).toEqual([]);
      expect(value.body).toBe('one\ntwo, edited\nthree\n');
      expect(value.tags).toEqual(['a', 'b', 'new']);
      expect(value.comments.map((c) => [c.id, c.status])).toEqual([
        ['c1aaaaaa', 'approved'],
        ['c2bbbbbb', 'pending'],
      ]);
      expect(value.revision).toBe(4);
      expect(value.updatedAt).toBe(at(7));
      expect(value.conflicts).toBeUndefined();
      expect(postProblem(value)).toBeNull();
    }
  });

  it('records a title changed on both sides, keeping ours, and the file stays a valid post', () => {
    const base = post();
    const { value, conflicts } = mergePost(base, { ...base, title: 'Ours' }, { ...base, title: 'Theirs' });
    expect(value.title).toBe('Ours');
    expect(conflicts).toEqual([{ field: 'title', theirs: { title: 'Theirs' }, base: { title: 'Hello' } }]);
    expect(value.conflicts).toEqual(conflicts);
    expect(postProblem(value)).toBeNull();
  });

  it('records overlapping body changes with the whole of the other side', () => {
    const base = post();
    const { value, conflicts } = mergePost(base, { ...base, body: 'one\nOURS\nthree\n' }, { ...base, body: 'one\nTHEIRS\nthree\n' });
    expect(value.body).toBe('one\nOURS\nthree\n');
    expect(conflicts).toEqual([{ field: 'body', theirs: { body: 'one\nTHEIRS\nthree\n' }, base: { body: base.body } }]);
  });

  it('moves a status with its date and previous status as one', () => {
    const base = post();
    const published = { ...base, status: 'published' as const, publishedAt: at(3) };
    const trashed = { ...base, status: 'trash' as const, previousStatus: 'draft' as const };
    expect(mergePost(base, published, base).value).toMatchObject({ status: 'published', publishedAt: at(3) });
    const both = mergePost(base, published, trashed);
    expect(both.value).toMatchObject({ status: 'published', publishedAt: at(3) });
    expect(both.value.previousStatus).toBeUndefined();
    expect(both.conflicts).toEqual([
      {
        field: 'status',
        theirs: { status: 'trash', previousStatus: 'draft', publishedAt: null },
        base: { status: 'draft', publishedAt: null },
      },
    ]);
  });

  it('keeps a comment changed on both sides field by field, the later change winning', () => {
    const c = comment('c1aaaaaa');
    const base = post({ comments: [c] });
    const ours = { ...base, comments: [{ ...c, status: 'spam' as const, previousStatus: 'pending' as const, updatedAt: at(10) }] };
    const theirs = { ...base, comments: [{ ...c, status: 'approved' as const, body: 'edited', updatedAt: at(20) }] };
    const { value, notes, conflicts } = mergePost(base, ours, theirs);
    expect(conflicts).toEqual([]);
    expect(value.comments[0]).toMatchObject({ status: 'approved', body: 'edited', updatedAt: at(20) });
    expect(value.comments[0]!.previousStatus).toBeUndefined();
    expect(notes.join('\n')).toMatch(/comment c1aaaaaa: status was changed on both sides/);
    expect(mergePost(base, theirs, ours).value.comments).toEqual(value.comments);
  });

  it('drops a comment deleted on one side, keeps one deleted but changed on the other, and keeps the parent of a kept reply', () => {
    const [a, b, p] = [comment('aaaaaaaa'), comment('bbbbbbbb'), comment('pppppppp', { status: 'approved' })];
    const base = [a, b, p];
    const ours = [b, { ...p }];
    const reply = comment('rrrrrrrr', { parentId: 'pppppppp', createdAt: at(30), updatedAt: at(30) });
    const theirs = [a, { ...b, status: 'approved' as const, updatedAt: at(5) }, p, reply];
    const oursWithoutParent = [b];
    const result = mergeComments(base, ours, theirs);
    expect(result.comments.map((c) => c.id)).toEqual(['bbbbbbbb', 'pppppppp', 'rrrrrrrr']);
    const orphaned = mergeComments(base, oursWithoutParent, theirs);
    expect(orphaned.comments.map((c) => c.id)).toEqual(['bbbbbbbb', 'pppppppp', 'rrrrrrrr']);
    expect(orphaned.notes.join('\n')).toMatch(/comment pppppppp was deleted on one side, but a kept reply answers it/);
    const changed = mergeComments(base, [a, p], theirs);
    expect(changed.comments.find((c) => c.id === 'bbbbbbbb')?.status).toBe('approved');
    expect(changed.notes.join('\n')).toMatch(/comment bbbbbbbb was deleted on one side and changed on the other/);
  });

  it('gives the same comments in the same order whichever side merges', () => {
    const arb = fc.array(
      fc.tuple(
        fc.constantFrom('aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'dddddddd'),
        fc.constantFrom('pending', 'approved', 'spam'),
        fc.integer({ min: 0, max: 5 }),
      ),
      {
        maxLength: 6,
      },
    );
    const list = (entries: Array<[string, string, number]>) => {
      const seen = new Map<string, Comment>();
      for (const [id, status, minute] of entries)
        seen.set(id, comment(id, { status: status as Comment['status'], createdAt: at(minute), updatedAt: at(minute) }));
      return [...seen.values()];
    };
    fc.assert(
      fc.property(arb, arb, arb, (b, o, t) => {
        const [base, ours, theirs] = [list(b), list(o), list(t)];
        expect(mergeComments(base, ours, theirs).comments).toEqual(mergeComments(base, theirs, ours).comments);
      }),
      { numRuns: 200 },
    );
  });

  it('merges two posts that share no ancestor, recording what differs', () => {
    const ours = post({ comments: [comment('aaaaaaaa')] });
    const theirs = { ...ours, title: 'Other', comments: [comment('bbbbbbbb')] };
    const { value, conflicts } = mergePost(null, ours, theirs);
    expect(value.comments.map((c) => c.id)).toEqual(['aaaaaaaa', 'bbbbbbbb']);
    expect(conflicts).toEqual([{ field: 'title', theirs: { title: 'Other' } }]);
  });

  it('forgets a conflict resolved on one side, and keeps one recorded on the other', () => {
    const base = post({ title: 'Ours', conflicts: [{ field: 'title', theirs: { title: 'Theirs' }, base: { title: 'Hello' } }] });
    const resolved = { ...base, title: 'Theirs', conflicts: undefined, revision: 2 };
    const commented = { ...base, comments: [comment('aaaaaaaa')], revision: 2 };
    const { value } = mergePost(base, commented, resolved);
    expect(value.title).toBe('Theirs');
    expect(value.conflicts).toBeUndefined();
    expect(value.comments).toHaveLength(1);
  });

  it('refuses sides that are different posts', () => {
    expect(() => mergePost(null, post(), post({ id: 'ather234' }))).toThrow(/different posts/);
  });
});

describe('settings merge key by key', () => {
  const base = { schemaVersion: 1, title: 'Blog', moderation: { holdWords: ['a'], maxLinks: 2 } };
  it('merges changes to different keys, and word lists as sets', () => {
    const ours = { ...base, title: 'Blog!', moderation: { holdWords: ['a', 'b'], maxLinks: 2 } };
    const theirs = { ...base, moderation: { holdWords: ['c'], maxLinks: 5 } };
    const { value, conflicts } = mergeSettings(base, ours, theirs);
    expect(conflicts).toEqual([]);
    expect(value).toEqual({ schemaVersion: 1, title: 'Blog!', moderation: { holdWords: ['b', 'c'], maxLinks: 5 } });
  });
  it('records a key changed on both sides by its path', () => {
    const { value, conflicts } = mergeSettings(
      base,
      { ...base, moderation: { ...base.moderation, maxLinks: 3 } },
      { ...base, moderation: { ...base.moderation, maxLinks: 4 } },
    );
    expect(conflicts).toEqual([{ field: 'moderation.maxLinks', theirs: { 'moderation.maxLinks': 4 }, base: { 'moderation.maxLinks': 2 } }]);
    expect(value.moderation).toEqual({ holdWords: ['a'], maxLinks: 3 });
    expect(value.conflicts).toEqual(conflicts);
  });
  it('takes a key added or removed on one side', () => {
    const { value } = mergeSettings(base, { ...base, description: 'new' }, { schemaVersion: 1, moderation: base.moderation });
    expect(value).toEqual({ schemaVersion: 1, description: 'new', moderation: base.moderation });
  });
});

describe('likes merge as a set of readers', () => {
  const like = (reader: string, minute: number) => ({ reader: reader.repeat(16), net: 'ab'.repeat(8), at: at(minute) });
  it('keeps likes from both sides, once per reader, and honours a reset', () => {
    expect(mergeLikesThreeWay([], [like('a', 1)], [like('b', 2), like('a', 0)])).toEqual([like('a', 0), like('b', 2)]);
    expect(mergeLikesThreeWay([like('a', 1)], [], [like('a', 1), like('b', 2)])).toEqual([like('b', 2)]);
  });
});

describe('records merge by identity (categories by slug, media by id)', () => {
  const term = (slug: string, over: Record<string, unknown> = {}) => ({
    slug,
    name: slug.toUpperCase(),
    parent: null as string | null,
    description: '',
    ...over,
  });
  const merge = (b: ReturnType<typeof term>[] | null, o: ReturnType<typeof term>[], t: ReturnType<typeof term>[]) =>
    mergeRecords(b, o, t, (r) => r.slug, 'category');

  it('keeps what either side added, drops what one side removed, and keeps a record removed on one side but changed on the other', () => {
    const base = [term('news'), term('old'), term('gone')];
    const { value, notes } = merge(
      base,
      [term('news'), term('mine'), term('old', { description: 'still here' })],
      [term('news', { parent: 'world' }), term('old'), term('theirs')],
    );
    expect(value).toEqual([term('news', { parent: 'world' }), term('mine'), term('old', { description: 'still here' }), term('theirs')]);
    expect(notes).toEqual([]);
    const kept = merge(base, [term('news'), term('old'), term('gone', { name: 'Renamed' })], [term('news'), term('old')]);
    expect(kept.value.map((r) => r.slug)).toEqual(['news', 'old', 'gone']);
    expect(kept.notes).toEqual(['category gone was deleted on one side and changed on the other; kept (delete it again if it should go)']);
  });

  it('settles a field changed on both sides the same way whichever side merges, and says so', () => {
    const base = [term('news')];
    const [o, t] = [[term('news', { name: 'World' })], [term('news', { name: 'Local' })]];
    const one = merge(base, o, t);
    const other = merge(base, t, o);
    expect(one.value).toEqual(other.value);
    expect(one.value[0]!.name).toBe('World');
    expect(one.notes).toEqual(['category news: name changed on both sides ("World" and "Local"); kept "World"']);
  });
});
