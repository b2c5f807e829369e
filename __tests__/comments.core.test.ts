/** Table tests of the comment rules in core: the status actions, finding comments, edits, deletions. */
import {
  BlogComments,
  CommentFinder,
  STATUS_ACTIONS,
  STATUS_ACTION_SPECS,
  applyStatusAction,
  digestComments,
  digestMatcher,
  digestNames,
  editedComment,
  makeComment,
  withComment,
  withStatus,
  withoutComments,
} from '../src/core/comments.js';
import { RefusedError, UsageError, NotFoundError } from '../src/core/errors.js';
import { makePost } from '../src/core/posts.js';
import { normalizeCommentInput } from '../src/core/comment-rules.js';
import { decideComment } from '../src/core/moderation.js';
import { COMMENT_STATUSES, DEFAULT_MODERATION } from '../src/core/types.js';
import type { Comment, CommentStatus, Post } from '../src/core/types.js';

const NOW = new Date('2026-11-27T10:00:00Z');

function comment(id: string, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    parentId: null,
    author: 'Grace',
    email: 'grace@example.com',
    url: '',
    ip: '',
    userAgent: '',
    body: 'Hello',
    status: 'pending',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    type: 'comment',
    reasons: [],
    ...fields,
  };
}

describe('status actions', () => {
  const cases = STATUS_ACTIONS.flatMap((action) =>
    STATUS_ACTION_SPECS[action].appliesTo.flatMap((status) =>
      [undefined, ...COMMENT_STATUSES].map((previousStatus) => [action, status, previousStatus] as const),
    ),
  );
  it.each(cases)('%s on a %s comment (before: %s) is taken back by its undo', (action, status, previousStatus) => {
    const start = comment('abcd2345', { status, ...(previousStatus ? { previousStatus } : {}) });
    const done = withStatus(start, applyStatusAction(start, action), NOW.toISOString());
    expect(done.status).not.toBe(status);
    const undone = applyStatusAction(done, STATUS_ACTION_SPECS[action].undo);
    expect(undone.status).toBe(status);
  });

  it.each([
    ['unapprove', 'spam', /use termpress comment unspam/],
    ['unapprove', 'trash', /use termpress comment restore/],
    ['unspam', 'approved', /is not spam/],
    ['restore', 'pending', /is not in the trash/],
  ] as const)('%s on a %s comment is refused', (action, status, message) => {
    expect(() => applyStatusAction(comment('abcd2345', { status }), action)).toThrow(RefusedError);
    expect(() => applyStatusAction(comment('abcd2345', { status }), action)).toThrow(message);
  });

  it('unspam and restore return to the status before, or pending when there was none', () => {
    const statuses: Array<[CommentStatus | undefined, CommentStatus]> = [
      ['approved', 'approved'],
      [undefined, 'pending'],
      ['spam', 'pending'],
    ];
    for (const [before, after] of statuses) {
      expect(applyStatusAction(comment('a', { status: 'spam', ...(before ? { previousStatus: before } : {}) }), 'unspam').status).toBe(
        after,
      );
    }
  });
});

describe('finding a comment', () => {
  const post = {
    ...makePost({ title: 'T', slug: 't', author: 'A' }, NOW),
    comments: [comment('abcd2345'), comment('abcd2399'), comment('wxyz0000')],
  };
  const finder = new CommentFinder([post]);
  it.each([
    ['ABCD2345', 'abcd2345'],
    [' wxyz ', 'wxyz0000'],
    ['abcd2399', 'abcd2399'],
  ])('%j is %s', (ref, id) => {
    expect(finder.find(ref).comment.id).toBe(id);
  });
  it('an ambiguous prefix names the candidates; an empty or unknown one says so', () => {
    expect(() => finder.find('abcd')).toThrow(UsageError);
    expect(() => finder.find('abcd')).toThrow(/"abcd" matches 2 comments: abcd2345 \(Grace on t\), abcd2399 \(Grace on t\)/);
    expect(() => finder.find(' ')).toThrow(/A comment id is empty/);
    expect(() => finder.find('qqqq')).toThrow(NotFoundError);
  });
});

describe('edits by the blog people', () => {
  it('trims, keeps what is the same, and refuses what no comment may hold', () => {
    const before = comment('abcd2345');
    expect(editedComment(before, { author: ' Grace ', body: ' New ' })).toEqual({ next: { ...before, body: 'New' }, changed: ['body'] });
    expect(() => editedComment(before, { body: '  ' })).toThrow(/may not be empty/);
    expect(() => editedComment(before, { email: 'nope' })).toThrow(/not a valid email/);
    expect(() => editedComment(before, { url: 'ftp://x' })).toThrow(/not a web address/);
  });
});

describe('deleting comments', () => {
  it('moves replies up past every deleted ancestor, and ends a deleted loop at the top level', () => {
    const comments = [
      comment('a', { parentId: null }),
      comment('b', { parentId: 'a' }),
      comment('c', { parentId: 'b' }),
      comment('d', { parentId: 'c' }),
      comment('x', { parentId: 'y' }),
      comment('y', { parentId: 'x' }),
      comment('z', { parentId: 'y' }),
    ];
    const deleted = new Map(comments.filter((c) => ['b', 'c', 'x', 'y'].includes(c.id)).map((c) => [c.id, c]));
    expect(withoutComments(comments, deleted).map((c) => [c.id, c.parentId])).toEqual([
      ['a', null],
      ['d', 'a'],
      ['z', null],
    ]);
  });
});

describe('comment digests', () => {
  const digest = { ids: ['aaaa1111', 'bbbb2222', 'a1111bbb'].join(''), authors: [], latest: null };

  it.each([
    ['aaaa1111', true],
    ['aaaa', true],
    ['bbbb222', true],
    ['a111', true],
    // Inside an id, or across two ids, is no id's start.
    ['1111', false],
    ['1111bbbb', false],
    ['111b', false],
    ['aaa', false],
    ['aaaa11112', false],
    ['cccc', false],
  ])('%s is named: %s, alone and among many references', (ref, expected) => {
    expect(digestNames(digest, ref)).toBe(expected);
    expect(digestMatcher([ref])(digest)).toBe(expected);
    const many = Array.from({ length: 40 }, (_, i) => `zz${String(i).padStart(6, '0')}`);
    expect(digestMatcher([...many, ref])(digest)).toBe(expected);
  });

  it('digests the ids, the approved authors and the newest time of a post', () => {
    const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
    const comment = (id: string, status: CommentStatus, minute: number, author = 'Ann') =>
      ({
        id,
        parentId: null,
        author,
        email: `${author.toLowerCase()}@example.com`,
        url: '',
        ip: '',
        userAgent: '',
        body: 'x',
        status,
        createdAt: at(minute),
        updatedAt: at(minute),
        type: 'comment',
        reasons: [],
      }) as Comment;
    const digested = digestComments({
      comments: [comment('aaaa1111', 'approved', 5), comment('bbbb2222', 'pending', 9, 'Bob'), comment('cccc3333', 'approved', 7)],
    });
    expect(digested.ids).toBe('aaaa1111bbbb2222cccc3333');
    expect(digested.authors).toHaveLength(1);
    expect(digested.latest).toBe(at(9));
    expect(digestComments({ comments: [] })).toEqual({ ids: '', authors: [], latest: null });
  });
});

describe('what the rules know of the whole blog, kept from one batch to the next', () => {
  const rules = { ...DEFAULT_MODERATION, floodSeconds: 15 };
  const frozen = (id: string, comments: Comment[]): Post => {
    for (const c of comments) Object.freeze(c);
    const post = makePost({ title: id, slug: id, author: 'A' }, NOW);
    return Object.freeze({ ...post, id, status: 'published', publishedAt: post.createdAt, comments: Object.freeze(comments) as Comment[] });
  };
  const input = (author: string, email: string, ip = '') =>
    normalizeCommentInput({ author, email, ip, url: '', userAgent: '', body: `From ${author}`, parentId: null, type: 'comment' });
  const judge = (blog: BlogComments, post: Post, author: string, email: string, ip = '') => {
    const decision = decideComment(input(author, email, ip), post, rules, NOW, blog.context(post, rules, NOW));
    return decision.outcome === 'refused' ? decision.rule : decision.status;
  };

  it('knows an author while any post holds an approved comment of theirs, however the posts change between batches', () => {
    const ada = (id: string, status: CommentStatus) =>
      comment(id, { author: 'Ada', email: 'ada@example.com', status, createdAt: '2026-01-01T00:00:00Z' });
    const a = frozen('aaaaaaaa', [ada('cmtaaaaa', 'approved')]);
    const b = frozen('bbbbbbbb', [ada('cmtbbbbb', 'approved')]);
    const c = frozen('cccccccc', []);
    const blog = new BlogComments();
    blog.update([a, b, c]);
    expect(judge(blog, c, 'Ada', ' ADA@example.com ')).toBe('approved');
    // Trashed on one post by another process: still known by the other.
    blog.update([frozen('aaaaaaaa', [ada('cmtaaaaa', 'trash')]), b, c]);
    expect(judge(blog, c, 'Ada', 'ada@example.com')).toBe('approved');
    // The other post deleted: no longer known.
    blog.update([frozen('aaaaaaaa', [ada('cmtaaaaa', 'trash')]), c]);
    expect(judge(blog, c, 'Ada', 'ada@example.com')).toBe('pending');
  });

  it('sees a comment added in the batch, and forgets it when the post is found without it at the next', () => {
    const a = frozen('aaaaaaaa', []);
    const b = frozen('bbbbbbbb', []);
    const blog = new BlogComments();
    blog.update([a, b]);
    const added = makeComment(input('Bob', 'bob@example.com', '10.0.0.1'), blog.unusedId(), 'pending', [], NOW);
    const a2 = withComment(a, added);
    blog.put(a2);
    // Bob again on the other post, by email or by address: a flood.
    expect(judge(blog, b, 'Bob', 'BOB@example.com')).toBe('flood');
    expect(judge(blog, b, 'Cy', 'cy@example.com', '10.0.0.1')).toBe('flood');
    expect(judge(blog, b, 'Cy', 'cy@example.com', '10.0.0.2')).toBe('pending');
    // The write failed, or another process wrote the post since: the post as found is what counts.
    blog.update([a, b]);
    expect(judge(blog, b, 'Bob', 'bob@example.com')).toBe('pending');
    blog.update([a2, b]);
    expect(judge(blog, b, 'Bob', 'bob@example.com')).toBe('flood');
  });
});
