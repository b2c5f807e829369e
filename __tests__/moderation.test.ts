import fc from 'fast-check';
import { UsageError } from '../src/core/errors.js';
import { DEFAULT_MODERATION, COMMENT_TYPES } from '../src/core/types.js';
import type { Comment, ModerationSettings, Post } from '../src/core/types.js';
import { authorKey, countLinks, matchedWords, normalizeCommentInput } from '../src/core/comment-rules.js';
import type { NewCommentInput } from '../src/core/comment-rules.js';
import { decideComment, knownAuthorsOf, parseList, validateModerationValue } from '../src/core/moderation.js';
import type { Decision, DecisionContext } from '../src/core/moderation.js';
import { moderationSettingsSchema } from '../src/core/schema.js';

const NOW = new Date('2024-06-01T12:00:00.000Z');
const secondsBefore = (s: number): string => new Date(NOW.getTime() - s * 1000).toISOString();
const daysBefore = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function comment(over: Partial<Comment> = {}): Comment {
  return {
    id: 'c0000001',
    parentId: null,
    author: 'Ada',
    email: 'ada@example.com',
    url: '',
    ip: '192.0.2.1',
    userAgent: 'curl/8',
    body: 'Earlier words.',
    status: 'approved',
    createdAt: daysBefore(1),
    updatedAt: daysBefore(1),
    type: 'comment',
    reasons: [],
    ...over,
  };
}

function post(over: Partial<Post> = {}): Post {
  return {
    id: 'p0000001',
    slug: 'hello',
    title: 'Hello',
    author: 'Owner',
    status: 'published',
    categories: [],
    tags: [],
    excerpt: '',
    body: 'Post body',
    format: 'markdown',
    createdAt: daysBefore(10),
    updatedAt: daysBefore(10),
    publishedAt: daysBefore(10),
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: [],
    ...over,
  };
}

function input(over: Partial<NewCommentInput> = {}): NewCommentInput {
  return {
    author: 'Grace',
    email: 'grace@example.com',
    url: '',
    ip: '198.51.100.7',
    userAgent: 'Mozilla/5.0',
    body: 'A thoughtful reply.',
    parentId: null,
    type: 'comment',
    ...over,
  };
}

/** Grace is known: she has an approved comment on the post. */
const graceKnown = comment({ id: 'c0000002', author: 'Grace', email: 'grace@example.com', ip: '203.0.113.9' });

function settings(over: Partial<ModerationSettings> = {}): ModerationSettings {
  return { ...DEFAULT_MODERATION, ...over };
}

function decide(
  i: Partial<NewCommentInput> = {},
  p: Partial<Post> = {},
  s: Partial<ModerationSettings> = {},
  context?: DecisionContext,
): Decision {
  return decideComment(input(i), post({ comments: [graceKnown], ...p }), settings(s), NOW, context);
}

const refused = (rule: string, reason: string) => ({ outcome: 'refused', rule, reason });
const stored = (status: string, reasons: string[]) => ({ outcome: 'stored', status, reasons });

describe('decideComment: refused outright', () => {
  it.each<[string, Partial<NewCommentInput>, Partial<Post>, Partial<ModerationSettings>, ReturnType<typeof refused>]>([
    [
      'a draft',
      {},
      { status: 'draft', publishedAt: null },
      {},
      refused('not-published', 'This post is not published (status: draft), so it takes no comments.'),
    ],
    [
      'a post pending review',
      {},
      { status: 'pending', publishedAt: null },
      {},
      refused('not-published', 'This post is not published (status: pending), so it takes no comments.'),
    ],
    [
      'a post in the trash',
      {},
      { status: 'trash' },
      {},
      refused('not-published', 'This post is not published (status: trash), so it takes no comments.'),
    ],
    [
      'a post scheduled for later',
      {},
      { status: 'scheduled', publishedAt: '2024-06-01T12:00:01.000Z' },
      {},
      refused('not-published', 'This post is not published (status: scheduled), so it takes no comments.'),
    ],
    [
      'a scheduled post without a date',
      {},
      { status: 'scheduled', publishedAt: null },
      {},
      refused('not-published', 'This post is not published (status: scheduled), so it takes no comments.'),
    ],
    ['comments closed by the post', {}, { commentStatus: 'closed' }, {}, refused('closed', 'Comments are closed on this post.')],
    [
      'comments closed by age',
      {},
      { publishedAt: daysBefore(30.001) },
      { closeAfterDays: 30 },
      refused('closed', 'Comments are closed on this post: they close 30 days after publication.'),
    ],
    [
      'comments closed by age (one day)',
      {},
      { publishedAt: daysBefore(2) },
      { closeAfterDays: 1 },
      refused('closed', 'Comments are closed on this post: they close 1 day after publication.'),
    ],
    [
      'a reply to a missing comment',
      { parentId: 'zzzz9999' },
      {},
      {},
      refused('parent', 'The comment replied to ("zzzz9999") is not on this post.'),
    ],
    ['an empty body', { body: '' }, {}, {}, refused('empty', 'The comment is empty: it needs some text.')],
    ['a blank body', { body: ' \n\t ' }, {}, {}, refused('empty', 'The comment is empty: it needs some text.')],
    ['no name', { author: ' ' }, {}, {}, refused('name-email', 'A name is required to comment.')],
    ['no email', { email: '' }, {}, {}, refused('name-email', 'An email is required to comment.')],
    ['no name and no email', { author: '', email: '' }, {}, {}, refused('name-email', 'A name and an email are required to comment.')],
    ['a name over 245', { author: 'n'.repeat(246) }, {}, {}, refused('too-long', 'The name is too long: 246 characters (limit 245).')],
    [
      'an email over 100',
      { email: `${'e'.repeat(89)}@example.com` },
      {},
      {},
      refused('too-long', 'The email is too long: 101 characters (limit 100).'),
    ],
    [
      'a url over 200',
      { url: `https://example.com/${'u'.repeat(181)}` },
      {},
      {},
      refused('too-long', 'The url is too long: 201 characters (limit 200).'),
    ],
    [
      'a body over 65525',
      { body: 'b'.repeat(65526) },
      {},
      {},
      refused('too-long', 'The comment is too long: 65526 characters (limit 65525).'),
    ],
    [
      'an invalid email',
      { email: 'grace-at-example' },
      {},
      {},
      refused('invalid', 'The email "grace-at-example" is not a valid email address.'),
    ],
    [
      'an email with a space',
      { email: 'grace @example.com' },
      {},
      {},
      refused('invalid', 'The email "grace @example.com" is not a valid email address.'),
    ],
    [
      'a url without a scheme',
      { url: 'example.com' },
      {},
      {},
      refused('invalid', 'The url "example.com" is not a web address: it must start with http:// or https://.'),
    ],
    [
      'a javascript: url',
      { url: 'javascript:alert(1)' },
      {},
      {},
      refused('invalid', 'The url "javascript:alert(1)" is not a web address: it must start with http:// or https://.'),
    ],
    [
      'an ftp url',
      { url: 'ftp://example.com/' },
      {},
      {},
      refused('invalid', 'The url "ftp://example.com/" is not a web address: it must start with http:// or https://.'),
    ],
    [
      'an invalid email even when not required',
      { email: 'nope' },
      {},
      { requireNameEmail: false },
      refused('invalid', 'The email "nope" is not a valid email address.'),
    ],
  ])('refuses %s', (_name, i, p, s, expected) => {
    expect(decide(i, p, s)).toEqual(expected);
  });

  it('refuses a reply to a comment that is not approved, for each such status', () => {
    for (const status of ['pending', 'spam', 'trash'] as const) {
      const parent = comment({ id: 'parent01', status });
      expect(decide({ parentId: 'parent01' }, { comments: [graceKnown, parent] })).toEqual(
        refused('parent', 'The comment replied to (parent01) is not approved, so it cannot be replied to.'),
      );
    }
  });

  it('accepts a reply to an approved comment, and an empty parent id as top level', () => {
    const parent = comment({ id: 'parent01' });
    expect(decide({ parentId: 'parent01' }, { comments: [graceKnown, parent] }).outcome).toBe('stored');
    expect(decide({ parentId: '  ' }).outcome).toBe('stored');
  });

  it('quotes and shortens stranger text in a refusal', () => {
    const d = decide({ parentId: `\u001b[2J${'x'.repeat(100)}` });
    expect(d.outcome).toBe('refused');
    if (d.outcome === 'refused') {
      expect(d.reason).not.toContain('\u001b');
      expect(d.reason).toContain('\\u001b[2J');
      expect(d.reason).toContain('…');
    }
  });

  describe('duplicates', () => {
    const earlier = comment({ id: 'dup00001', author: 'Grace', email: 'grace@example.com', body: 'Same words.', status: 'pending' });
    it.each<[string, Partial<Comment>, Partial<NewCommentInput>, boolean]>([
      ['the same comment', {}, {}, true],
      ['the same comment with stray spaces', {}, { body: '  Same words.\n', author: ' Grace ' }, true],
      ['the same comment when it was marked spam', { status: 'spam' }, {}, true],
      ['the same comment without an email (WordPress compares email only when given)', {}, { email: '' }, true],
      ['a trashed earlier copy', { status: 'trash' }, {}, false],
      ['another body', { body: 'Other words.' }, {}, false],
      ['a body differing in case', { body: 'same words.' }, {}, false],
      ['another author', { author: 'Ada' }, {}, false],
      ['another email', { email: 'other@example.com' }, {}, false],
      ['another parent', { parentId: 'parent01' }, {}, false],
    ])('%s', (_name, earlierOver, i, isDup) => {
      const parent = comment({ id: 'parent01', createdAt: daysBefore(3) });
      const d = decide(
        { body: 'Same words.', ...i },
        { comments: [graceKnown, parent, { ...earlier, ...earlierOver }] },
        { requireNameEmail: false },
      );
      if (isDup) expect(d).toEqual(refused('duplicate', 'Duplicate comment: the same comment was already posted.'));
      else expect(d.outcome).toBe('stored');
    });
  });

  describe('flood', () => {
    const recent = (seconds: number, over: Partial<Comment> = {}) =>
      comment({
        id: 'recent01',
        author: 'Someone',
        email: 'someone@example.org',
        ip: '198.51.100.7',
        body: 'x',
        createdAt: secondsBefore(seconds),
        ...over,
      });
    const tooFast = refused('flood', 'Too fast: wait 15 seconds between comments.');

    it.each<[string, Comment, Partial<ModerationSettings>, boolean]>([
      ['same ip 1 second ago', recent(1), {}, true],
      ['same ip 14.999 seconds ago', recent(14.999), {}, true],
      ['same ip exactly floodSeconds ago (allowed)', recent(15), {}, false],
      ['same ip 16 seconds ago', recent(16), {}, false],
      ['same ip at the very same instant', recent(0), {}, true],
      ['same email, other ip', recent(5, { ip: '10.0.0.1', email: 'Grace@Example.com' }), {}, true],
      ['other email and ip', recent(5, { ip: '10.0.0.1' }), {}, false],
      ['a comment dated after now', recent(-5), {}, false],
      ['flood check off (0)', recent(1), { floodSeconds: 0 }, false],
      ['a longer window', recent(50), { floodSeconds: 60 }, true],
      ['a trashed recent comment still counts', recent(1, { status: 'trash' }), {}, true],
    ])('%s', (_name, earlier, s, isFlood) => {
      const d = decide({}, { comments: [graceKnown, earlier] }, s);
      if (isFlood) expect(d).toEqual(s.floodSeconds === 60 ? refused('flood', 'Too fast: wait 60 seconds between comments.') : tooFast);
      else expect(d.outcome).toBe('stored');
    });

    it('does not match empty ips or emails with each other', () => {
      const earlier = recent(1, { ip: '', email: '' });
      expect(decide({ ip: '', email: '' }, { comments: [graceKnown, earlier] }, { requireNameEmail: false }).outcome).toBe('stored');
    });

    it('looks at recent comments on other posts when given', () => {
      const elsewhere = [{ email: '', ip: '198.51.100.7', createdAt: secondsBefore(3) }];
      expect(decide({}, {}, {}, { recentComments: elsewhere })).toEqual(tooFast);
    });

    it('says "1 second" for a one-second window', () => {
      expect(decide({}, { comments: [graceKnown, recent(0.5)] }, { floodSeconds: 1 })).toEqual(
        refused('flood', 'Too fast: wait 1 second between comments.'),
      );
    });
  });

  describe('boundaries that are still accepted', () => {
    it.each<[string, Partial<NewCommentInput>]>([
      ['a name of exactly 245', { author: 'n'.repeat(245) }],
      ['an email of exactly 100', { email: `${'e'.repeat(88)}@example.com` }],
      ['a url of exactly 200', { url: `https://example.com/${'u'.repeat(180)}` }],
      ['a body of exactly 65525', { body: 'b'.repeat(65525) }],
      ['a body of 65525 emoji (code points, not UTF-16 units)', { body: '😀'.repeat(65525) }],
      ['limits measured after trimming', { author: ` ${'n'.repeat(245)} ` }],
      ['an http url', { url: 'http://localhost:4000/' }],
      ['an https url with an ip host', { url: 'https://192.0.2.10/page' }],
    ])('%s', (_name, i) => {
      expect(decide(i, {}, { autoApproveKnown: false }).outcome).toBe('stored');
    });

    it('keeps comments open at exactly closeAfterDays, and with closeAfterDays 0', () => {
      expect(decide({}, { publishedAt: daysBefore(30) }, { closeAfterDays: 30 }).outcome).toBe('stored');
      expect(decide({}, { publishedAt: daysBefore(3000) }, { closeAfterDays: 0 }).outcome).toBe('stored');
    });

    it('takes comments on a scheduled post whose time has come', () => {
      expect(decide({}, { status: 'scheduled', publishedAt: NOW.toISOString() }).outcome).toBe('stored');
    });

    it('needs no name or email when requireNameEmail is off, or for a pingback', () => {
      expect(decide({ author: '', email: '' }, {}, { requireNameEmail: false }).outcome).toBe('stored');
      expect(decide({ email: '', type: 'pingback' }).outcome).toBe('stored');
    });
  });
});

describe('decideComment: the order of the rules', () => {
  it.each<[string, Partial<NewCommentInput>, Partial<Post>, Partial<ModerationSettings>, string]>([
    ['closed before empty', { body: '' }, { commentStatus: 'closed' }, {}, 'closed'],
    ['not published before closed', {}, { status: 'draft', commentStatus: 'closed' }, {}, 'not-published'],
    ['parent before empty', { body: '', parentId: 'missing1' }, {}, {}, 'parent'],
    ['empty before name and email', { body: '', author: '' }, {}, {}, 'empty'],
    ['name and email before length', { author: '', url: `http://x.com/${'u'.repeat(300)}` }, {}, {}, 'name-email'],
    ['length before format', { email: 'not-an-email'.repeat(10) }, {}, {}, 'too-long'],
    ['format before duplicate', { email: 'bad', body: 'Earlier words.', author: 'Ada' }, {}, { requireNameEmail: false }, 'invalid'],
  ])('%s', (_name, i, p, s, rule) => {
    const d = decide(i, p, s);
    expect(d).toMatchObject({ outcome: 'refused', rule });
  });

  it('refuses a duplicate even when it carries a block word', () => {
    const earlier = comment({ id: 'dup00001', author: 'Grace', email: 'grace@example.com', body: 'buy viagra' });
    expect(decide({ body: 'buy viagra' }, { comments: [earlier] }, { blockWords: ['viagra'] })).toEqual(
      refused('duplicate', 'Duplicate comment: the same comment was already posted.'),
    );
  });

  it('refuses a duplicate before a flood', () => {
    const earlier = comment({ id: 'dup00001', author: 'Grace', email: 'grace@example.com', body: 'again', createdAt: secondsBefore(1) });
    expect(decide({ body: 'again' }, { comments: [earlier] })).toMatchObject({ rule: 'duplicate' });
  });

  it('refuses a flood even when it carries a block word', () => {
    const earlier = comment({ id: 'recent01', ip: '198.51.100.7', createdAt: secondsBefore(1) });
    expect(decide({ body: 'viagra' }, { comments: [graceKnown, earlier] }, { blockWords: ['viagra'] })).toMatchObject({ rule: 'flood' });
  });

  it('marks spam, not pending, when a block word meets too many links and a hold word', () => {
    const body = 'casino viagra http://a.example http://b.example http://c.example';
    expect(decide({ body }, {}, { blockWords: ['viagra'], holdWords: ['casino'], holdAll: true })).toEqual(
      stored('spam', ['matched block word "viagra"']),
    );
  });
});

describe('decideComment: spam', () => {
  it.each<[string, Partial<NewCommentInput>]>([
    ['the body', { body: 'Cheap VIAGRA here' }],
    ['the name', { author: 'Viagra Sales' }],
    ['the email', { email: 'viagra@example.com' }],
    ['the url', { url: 'https://viagra.example/' }],
    ['the ip', { ip: 'viagra' }],
    ['the user agent', { userAgent: 'ViagraBot/1.0' }],
  ])('matches a block word in %s, case-insensitively', (_field, i) => {
    expect(decide(i, {}, { blockWords: ['viagra'] })).toEqual(stored('spam', ['matched block word "viagra"']));
  });

  it('records every block word that matched, once each, and ignores blank entries', () => {
    expect(decide({ body: 'viagra and cialis' }, {}, { blockWords: ['viagra', ' ', 'cialis', 'VIAGRA', 'absent'] })).toEqual(
      stored('spam', ['matched block word "viagra"', 'matched block word "cialis"']),
    );
  });

  it('blocks by ip prefix, as a substring', () => {
    expect(decide({ ip: '10.6.6.6' }, {}, { blockWords: ['10.6.'] })).toEqual(stored('spam', ['matched block word "10.6."']));
  });
});

describe('decideComment: held for moderation', () => {
  const links = (n: number) => Array.from({ length: n }, (_, k) => `http://l${k}.example/`).join(' ');

  it.each<[string, Partial<NewCommentInput>, Partial<ModerationSettings>, Partial<Post>, string[]]>([
    ['holdAll', {}, { holdAll: true }, {}, ['all comments are held (moderation.holdAll)']],
    ['exactly maxLinks links', { body: links(2) }, {}, {}, ['2 links (limit 2)']],
    ['more than maxLinks links', { body: links(3) }, {}, {}, ['3 links (limit 2)']],
    ['one link with maxLinks 1', { body: links(1) }, { maxLinks: 1 }, {}, ['1 link (limit 1)']],
    ['anchor tags', { body: '<a href="http://x.example">x</a> and <A title=t HREF=y>y</a>' }, {}, {}, ['2 links (limit 2)']],
    ['a hold word in the body', { body: 'Visit my CASINO' }, { holdWords: ['casino'] }, {}, ['matched hold word "casino"']],
    ['a hold word in the user agent', { userAgent: 'casino-bot' }, { holdWords: ['casino'] }, {}, ['matched hold word "casino"']],
    ['an unknown author', { author: 'Newcomer', email: 'new@example.com' }, {}, {}, ['first comment from this author']],
    ['a known name with another email', { email: 'other@example.com' }, {}, {}, ['first comment from this author']],
    [
      'an author known only by a pending comment',
      {},
      {},
      { comments: [{ ...graceKnown, status: 'pending' }] },
      ['first comment from this author'],
    ],
    ['an anonymous comment', { author: '', email: '' }, { requireNameEmail: false }, {}, ['no name and email to recognise the author by']],
    ['a pingback', { type: 'pingback', email: '' }, {}, {}, ['pingbacks are not auto-approved (moderation.autoApproveKnown)']],
    ['a trackback', { type: 'trackback', email: '' }, {}, {}, ['trackbacks are not auto-approved (moderation.autoApproveKnown)']],
    [
      'every reason at once, in rule order',
      { author: 'Newcomer', email: 'new@example.com', body: `casino poker ${links(3)}` },
      { holdAll: true, holdWords: ['poker', 'casino'] },
      {},
      [
        'all comments are held (moderation.holdAll)',
        '3 links (limit 2)',
        'matched hold word "poker"',
        'matched hold word "casino"',
        'first comment from this author',
      ],
    ],
  ])('holds %s', (_name, i, s, p, reasons) => {
    expect(decide(i, p, s)).toEqual(stored('pending', reasons));
  });

  it('approves one link under the limit, and any number of links with maxLinks 0', () => {
    expect(decide({ body: links(1) })).toEqual(stored('approved', ['known author, no rule matched']));
    expect(decide({ body: links(50) }, {}, { maxLinks: 0 })).toEqual(stored('approved', ['known author, no rule matched']));
  });

  it('knows authors across the blog through a Set or a function', () => {
    const stranger = { author: 'Linus', email: 'Linus@Example.com' };
    expect(decide(stranger, {}, {}, { knownAuthors: new Set([authorKey('Linus', 'linus@example.com')]) }).outcome).toBe('stored');
    expect(decide(stranger, {}, {}, { knownAuthors: new Set([authorKey('Linus', 'linus@example.com')]) })).toEqual(
      stored('approved', ['known author, no rule matched']),
    );
    const asked: string[] = [];
    const known = (name: string, email: string) => {
      asked.push(`${name} <${email}>`);
      return true;
    };
    expect(decide({ ...stranger, author: ' Linus ' }, {}, {}, { knownAuthors: known })).toEqual(
      stored('approved', ['known author, no rule matched']),
    );
    expect(asked).toEqual(['Linus <Linus@Example.com>']);
    // A context that does not know the author wins over the post's own comments.
    expect(decide({}, {}, {}, { knownAuthors: new Set() })).toEqual(stored('pending', ['first comment from this author']));
  });

  it('builds known authors from approved comments only', () => {
    const keys = knownAuthorsOf([
      graceKnown,
      comment({ author: 'Pat', email: 'pat@example.com', status: 'pending' }),
      comment({ author: '', email: '' }),
    ]);
    expect([...keys]).toEqual([authorKey('Grace', 'grace@example.com')]);
  });
});

describe('decideComment: approved', () => {
  it('approves a known author with a plain comment', () => {
    expect(decide()).toEqual(stored('approved', ['known author, no rule matched']));
  });
  it('approves anyone when autoApproveKnown is off', () => {
    expect(decide({ author: 'Newcomer', email: 'new@example.com' }, {}, { autoApproveKnown: false })).toEqual(
      stored('approved', ['no rule matched']),
    );
  });
});

describe('decideComment is total', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('', ' ', 'http://', '<a href=x>', 'viagra', 'a@b.co'),
  );
  const arbInput = fc.record({
    author: text,
    email: text,
    url: text,
    ip: text,
    userAgent: text,
    body: text,
    parentId: fc.option(fc.oneof(text, fc.constant('c0000002'))),
    type: fc.constantFrom(...COMMENT_TYPES),
  });
  const arbSettings = fc.record({
    holdAll: fc.boolean(),
    maxLinks: fc.integer({ min: 0, max: 5 }),
    holdWords: fc.array(text, { maxLength: 4 }),
    blockWords: fc.array(text, { maxLength: 4 }),
    autoApproveKnown: fc.boolean(),
    requireNameEmail: fc.boolean(),
    floodSeconds: fc.integer({ min: 0, max: 100 }),
    closeAfterDays: fc.integer({ min: 0, max: 100 }),
    threadDepth: fc.integer({ min: 1, max: 10 }),
    // Read by the comment server only, never by the decision.
    akismetKey: fc.constant(''),
    akismetUrl: fc.constant('https://rest.akismet.com/'),
  });
  const arbComment = fc.record({
    author: text,
    email: text,
    ip: text,
    body: text,
    status: fc.constantFrom('pending', 'approved', 'spam', 'trash' as const),
    createdAt: fc.oneof(
      text,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    parentId: fc.option(text),
  });
  const arbPost = fc.record({
    status: fc.constantFrom('draft', 'pending', 'scheduled', 'published', 'trash' as const),
    publishedAt: fc.option(
      fc.oneof(
        text,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    ),
    commentStatus: fc.constantFrom('open', 'closed' as const),
    comments: fc.array(arbComment, { maxLength: 5 }),
  });

  it('never throws and always returns a well-formed decision', () => {
    fc.assert(
      fc.property(arbInput, arbSettings, arbPost, fc.date(), (i, s, p, now) => {
        const fullPost = post({ ...p, comments: [graceKnown, ...p.comments.map((c, k) => comment({ ...c, id: `gen${k}` }))] });
        const d = decideComment(i, fullPost, s, now);
        if (d.outcome === 'refused') {
          expect(d.reason).toMatch(/^[A-Z].*\.$/s);
          expect(d.rule).toEqual(expect.any(String));
        } else {
          expect(['spam', 'pending', 'approved']).toContain(d.status);
          expect(d.reasons.length).toBeGreaterThan(0);
          for (const r of d.reasons) expect(typeof r).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stores only non-empty, in-limit comments on open published posts', () => {
    fc.assert(
      fc.property(arbInput, arbSettings, (i, s) => {
        const d = decideComment(i, post({ comments: [graceKnown] }), s, NOW);
        if (d.outcome === 'stored') {
          const n = normalizeCommentInput(i);
          expect(n.body).not.toBe('');
          expect([...n.body].length).toBeLessThanOrEqual(65525);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('makes spam exactly when a block word occurs in an otherwise accepted comment', () => {
    fc.assert(
      fc.property(arbInput, arbSettings, (i, s) => {
        const d = decideComment(i, post({ comments: [graceKnown] }), s, NOW);
        if (d.outcome === 'stored') {
          expect(d.status === 'spam').toBe(matchedWords(normalizeCommentInput(i), s.blockWords).length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('countLinks', () => {
  it.each<[string, number]>([
    ['', 0],
    ['no links here, just example.com', 0],
    ['http://a.example', 1],
    ['HTTPS://A.EXAMPLE and http://b.example', 2],
    ['<a href="http://x.example">http://x.example</a>', 1],
    ['<a href="/relative">here</a>', 1],
    ['<a name="anchor">not a link</a>', 0],
    ['<a href=x>one</a> http://two.example <a\nhref="three">3</a>', 3],
    ['[md](https://md.example) <https://auto.example>', 2],
    ['<a href=x>unclosed http://still-inside.example', 1],
    ['<abbr>http://a.example</abbr>', 1],
  ])('%j has %d', (body, n) => {
    expect(countLinks(body)).toBe(n);
  });

  // A backtracking pattern would hang here; the test's own timeout is the bound, not a timing assert.
  it('counts hostile input of the largest body without backtracking', () => {
    expect(countLinks('<a '.repeat(21_000))).toBe(0);
    expect(countLinks('<a href=x>'.repeat(6_500))).toBe(6_500);
  }, 5000);
});

describe('moderationSettingsSchema', () => {
  it('fills defaults for missing keys', () => {
    expect(moderationSettingsSchema().parse({})).toEqual(DEFAULT_MODERATION);
  });
  it('cleans word lists', () => {
    expect(moderationSettingsSchema().parse({ holdWords: [' casino ', '', 'Casino', 'poker'] }).holdWords).toEqual(['casino', 'poker']);
  });
  it.each<[string, unknown]>([
    ['maxLinks', -1],
    ['maxLinks', 1.5],
    ['maxLinks', 1001],
    ['floodSeconds', 86_401],
    ['closeAfterDays', -3],
    ['threadDepth', 0],
    ['threadDepth', 11],
    ['holdAll', 'yes'],
    ['blockWords', 'a,b'],
    ['blockWords', ['x'.repeat(201)]],
  ])('rejects %s = %j', (key, value) => {
    expect(moderationSettingsSchema().safeParse({ [key]: value }).success).toBe(false);
  });
});

describe('parseList', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['casino', ['casino']],
    ['a, b ,c', ['a', 'b', 'c']],
    ['a,,b,', ['a', 'b']],
    ['a\nb', ['a', 'b']],
    ['["a, b", "c"]', ['a, b', 'c']],
    [' [ ] ', []],
    ['a, A', ['a']],
  ])('%j -> %j', (text, list) => {
    expect(parseList(text)).toEqual(list);
  });
  it.each(['[1, 2]', '["a",', '[{"a":1}]'])('refuses %j with a usage error', (text) => {
    expect(() => parseList(text)).toThrow(UsageError);
  });
  it('reads text that only looks like other JSON as a word', () => {
    expect(parseList('{"a":1}')).toEqual(['{"a":1}']);
  });
});

describe('validateModerationValue', () => {
  it.each<[string, unknown, unknown]>([
    ['holdAll', 'true', true],
    ['holdAll', 'OFF', false],
    ['autoApproveKnown', 'no', false],
    ['requireNameEmail', true, true],
    ['maxLinks', '0', 0],
    ['maxLinks', ' 7 ', 7],
    ['floodSeconds', 30, 30],
    ['closeAfterDays', '14', 14],
    ['threadDepth', '1', 1],
    ['holdWords', 'casino, poker', ['casino', 'poker']],
    ['blockWords', '["a, b"]', ['a, b']],
    ['blockWords', ['x', ' y '], ['x', 'y']],
    ['holdWords', '', []],
  ])('%s = %j reads as %j', (key, value, expected) => {
    expect(validateModerationValue(key, value)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['maxLinks', 'two', 'Invalid value "two" for moderation.maxLinks: expected a whole number from 0 (off) to 1000.'],
    ['maxLinks', '-1', 'Invalid value "-1" for moderation.maxLinks: expected a whole number from 0 (off) to 1000.'],
    ['threadDepth', 11, 'Invalid value "11" for moderation.threadDepth: expected a whole number of levels from 1 (flat) to 10.'],
    ['holdAll', 'maybe', 'Invalid value "maybe" for moderation.holdAll: expected true or false.'],
    [
      'floodSeconds',
      undefined,
      'Invalid value "undefined" for moderation.floodSeconds: expected a whole number of seconds from 0 (off) to 86400.',
    ],
    [
      'nope',
      1,
      'Unknown setting moderation.nope: use one of moderation.holdAll, moderation.maxLinks, moderation.holdWords, moderation.blockWords, moderation.autoApproveKnown, moderation.requireNameEmail, moderation.floodSeconds, moderation.closeAfterDays, moderation.threadDepth, moderation.akismetKey, moderation.akismetUrl.',
    ],
  ])('refuses %s = %j', (key, value, message) => {
    expect(() => validateModerationValue(key, value)).toThrow(new UsageError(message));
  });
});
