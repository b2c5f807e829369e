import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { parseCommentStatuses } from '../src/api/comments.js';
import { parseSettingValue } from '../src/api/settings.js';
import { ConflictError, NotFoundError, RefusedError, UsageError } from '../src/core/errors.js';

const NOW = '2026-03-01T12:00:00.000Z';

describe('comments API on a temp blog', () => {
  let root: string;
  let dir: string;
  let clock: Date;
  let blog: Blog;
  let postId: string;

  const open = async () =>
    openBlog({ blog: dir, env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home'), TERMPRESS_NOW: NOW }, now: () => new Date(clock) });
  const tick = (seconds = 60) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  const reader = (over: Record<string, string> = {}) => ({
    author: 'Grace',
    email: 'grace@example.com',
    ip: '198.51.100.7',
    body: 'A thoughtful comment.',
    ...over,
  });
  const fileOf = (id: string) => JSON.parse(readFileSync(path.join(dir, 'posts', `${id}.json`), 'utf8'));

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-comments-'));
    dir = path.join(root, 'blog');
    clock = new Date(NOW);
    blog = await open();
    await blog.init({ title: 'Test', author: 'Owner' });
    postId = (await blog.createPost({ title: 'Hello world', status: 'published' })).id;
    tick();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("holds a first comment with its reason, leaves the post's revision and date, and approves a known author next time", async () => {
    const before = fileOf(postId);
    const first = await blog.addComment('hello-world', reader());
    expect(first.comment).toMatchObject({ status: 'pending', reasons: ['first comment from this author'], parentId: null });
    expect(first.comment.id).toMatch(/^[0-9a-hjkmnp-tv-z]{8}$/);
    expect(first.comment.updatedAt).toBe(clock.toISOString());
    expect(fileOf(postId)).toMatchObject({ revision: before.revision, updatedAt: before.updatedAt });

    await blog.setCommentStatus(first.comment.id, 'approve');
    tick();
    const second = await blog.addComment(postId, reader({ body: 'Another thought.' }));
    expect(second.comment).toMatchObject({ status: 'approved', reasons: ['known author, no rule matched'] });
  });

  it('knows authors and floods across the whole blog, not only the post', async () => {
    const other = (await blog.createPost({ title: 'Other', status: 'published' })).id;
    const c = await blog.addComment(other, reader());
    await blog.setCommentStatus(c.comment.id, 'approve');
    // Within 15 seconds, from the same ip on another post: a flood.
    tick(5);
    await expect(blog.addComment(postId, reader({ author: 'Someone', email: 'x@example.com' }))).rejects.toThrow(
      new RefusedError('Comment refused: Too fast: wait 15 seconds between comments.'),
    );
    tick(60);
    const known = await blog.addComment(postId, reader({ body: 'Known elsewhere.' }));
    expect(known.comment.status).toBe('approved');
  });

  it('refuses without storing anything, with exit 4, and says why', async () => {
    const before = readFileSync(path.join(dir, 'posts', `${postId}.json`), 'utf8');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ body: '   ' }, /empty/],
      [{ email: '' }, /email is required/],
      [{ email: 'nope' }, /not a valid email/],
      [{ url: 'javascript:alert(1)' }, /not a web address/],
    ];
    for (const [over, reason] of cases) {
      const error = await blog.addComment(postId, reader(over)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RefusedError);
      expect((error as RefusedError).exitCode).toBe(4);
      expect((error as Error).message).toMatch(reason);
    }
    const draft = (await blog.createPost({ title: 'Draft' })).id;
    await expect(blog.addComment(draft, reader())).rejects.toThrow(/not published/);
    await expect(blog.addComment('no-such-post', reader())).rejects.toBeInstanceOf(NotFoundError);
    expect(readFileSync(path.join(dir, 'posts', `${postId}.json`), 'utf8')).toBe(before);
  });

  it('marks spam on a block word and holds on links, recording the reasons', async () => {
    await blog.setSetting('moderation.blockWords', parseSettingValue('moderation.blockWords', 'casino, pills'));
    blog = await open();
    const spam = await blog.addComment(postId, reader({ body: 'Cheap PILLS here' }));
    expect(spam.comment).toMatchObject({ status: 'spam', reasons: ['matched block word "pills"'] });
    tick();
    const links = await blog.addComment(
      postId,
      reader({ author: 'Lin', email: 'lin@example.com', body: 'see http://a.example and http://b.example' }),
    );
    expect(links.comment.reasons).toEqual(['2 links (limit 2)', 'first comment from this author']);
  });

  it('approves comments added with approve, without the rules, even on a closed post', async () => {
    await blog.updatePost(postId, { commentStatus: 'closed' });
    const staff = await blog.addComment(postId, {
      body: 'From the author, http://a.example http://b.example',
      approve: true,
      author: 'Owner',
    });
    expect(staff.comment.status).toBe('approved');
    await expect(blog.addComment(postId, reader())).rejects.toThrow(/closed/);
  });

  it('replies as the blog author, threaded, approving a pending parent', async () => {
    const c = await blog.addComment(postId, reader());
    expect(c.comment.status).toBe('pending');
    tick();
    const reply = await blog.replyToComment(c.comment.id.slice(0, 5), { body: 'Thank you!' });
    expect(reply.comment).toMatchObject({ status: 'approved', parentId: c.comment.id, author: 'Owner' });
    expect(reply.approvedParent?.status).toBe('approved');
    expect((await blog.getComment(c.comment.id)).comment.status).toBe('approved');
    await blog.setCommentStatus(c.comment.id, 'spam');
    await expect(blog.replyToComment(c.comment.id, { body: 'More' })).rejects.toThrow(/unspam/);
  });

  it('unspam and restore return to the status before; invalid transitions are refused', async () => {
    const c = await blog.addComment(postId, reader());
    const id = c.comment.id;
    await blog.setCommentStatus(id, 'approve');
    const spam = await blog.setCommentStatus(id, 'spam');
    expect(spam).toMatchObject({ from: 'approved', changed: true, comment: { status: 'spam', previousStatus: 'approved' } });
    const back = await blog.setCommentStatus(id, 'unspam');
    expect(back.comment.status).toBe('approved');
    expect(back.comment.previousStatus).toBeUndefined();
    await blog.setCommentStatus(id, 'unapprove');
    await blog.setCommentStatus(id, 'trash');
    expect((await blog.setCommentStatus(id, 'restore')).comment.status).toBe('pending');
    await expect(blog.setCommentStatus(id, 'unspam')).rejects.toThrow(new RefusedError(`Comment ${id} is not spam (it is pending).`));
    await expect(blog.setCommentStatus(id, 'restore')).rejects.toBeInstanceOf(RefusedError);
    const again = await blog.setCommentStatus(id, 'unapprove');
    expect(again.changed).toBe(false);
  });

  it('finds comments by unique prefix, reports ambiguous prefixes (exit 2) and missing ids (exit 3)', async () => {
    const a = await blog.addComment(postId, reader());
    expect((await blog.getComment(a.comment.id.slice(0, 4))).comment.id).toBe(a.comment.id);
    expect((await blog.getComment(a.comment.id.toUpperCase())).comment.id).toBe(a.comment.id);
    await expect(blog.getComment('zzzzzzzz')).rejects.toBeInstanceOf(NotFoundError);
    // Make an ambiguity by hand: two comments sharing a prefix.
    const post = fileOf(postId);
    const twin = {
      ...post.comments[0],
      id: `${a.comment.id.slice(0, 6)}${a.comment.id[6] === '0' ? '1' : '0'}${a.comment.id[7]}`,
      body: 'twin',
    };
    const store = blog.store;
    await store.withLock(async () => store.writePost({ ...post, comments: [...post.comments, twin] }));
    const error = await blog.getComment(a.comment.id.slice(0, 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(a.comment.id);
    expect((error as Error).message).toContain(twin.id);
  });

  it('lists by status, post, author, email, search and date; trashed posts only under all', async () => {
    const other = (await blog.createPost({ title: 'Other', status: 'published' })).id;
    const a = await blog.addComment(postId, reader());
    tick();
    const b = await blog.addComment(other, reader({ author: 'Ada', email: 'ada@example.com', body: 'About kittens', ip: '10.0.0.2' }));
    tick();
    const c = await blog.addComment(other, reader({ author: 'Bob', email: 'bob@example.com', body: 'spam spam', ip: '10.0.0.3' }));
    await blog.setCommentStatus(c.comment.id, 'spam');
    const ids = async (q: Parameters<Blog['listComments']>[0]) => (await blog.listComments(q)).map((e) => e.comment.id);

    expect(await ids({})).toEqual([b.comment.id, a.comment.id]);
    expect(await ids({ order: 'oldest' })).toEqual([a.comment.id, b.comment.id]);
    expect(await ids({ status: ['spam'] })).toEqual([c.comment.id]);
    expect(await ids({ post: 'other' })).toEqual([b.comment.id]);
    expect(await ids({ author: 'ada' })).toEqual([b.comment.id]);
    expect(await ids({ email: 'GRACE@example.com' })).toEqual([a.comment.id]);
    expect(await ids({ search: 'KITTENS' })).toEqual([b.comment.id]);
    expect(await ids({ since: new Date(clock.getTime() - 90_000) })).toEqual([b.comment.id]);
    expect(await ids({ status: 'all' })).toHaveLength(3);

    await blog.trashPost(other);
    expect(await ids({})).toEqual([a.comment.id]);
    expect(await ids({ status: ['spam'] })).toEqual([]);
    expect(await ids({ status: 'all' })).toHaveLength(3);
    await blog.restorePost(other);
    expect((await blog.getComment(c.comment.id)).comment.status).toBe('spam');
    expect(await ids({})).toEqual([b.comment.id, a.comment.id]);
  });

  it('edits fields, validates them, and detects a conflicting edit keeping the text', async () => {
    const a = await blog.addComment(postId, reader());
    const base = a.comment;
    tick();
    const edited = await blog.editComment(base.id, { body: 'Edited words.', url: 'https://grace.example' });
    expect(edited.changed).toEqual(['url', 'body']);
    expect(fileOf(postId).comments[0]).toMatchObject({ body: 'Edited words.', url: 'https://grace.example' });
    expect((await blog.editComment(base.id, { body: 'Edited words.' })).changed).toEqual([]);
    await expect(blog.editComment(base.id, { email: 'bad' })).rejects.toBeInstanceOf(UsageError);
    await expect(blog.editComment(base.id, { body: ' ' })).rejects.toBeInstanceOf(UsageError);

    const error = await blog
      .editComment(base.id, { body: 'My stale edit' }, { base, recoveryText: 'My stale edit' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    const kept = (error as ConflictError).recoveryPath!;
    expect(readFileSync(kept, 'utf8')).toBe('My stale edit');
    expect(readdirSync(path.join(dir, '.termpress', 'recovery'))).toHaveLength(1);
  });

  it('deletes only from spam or trash unless forced, moving replies up to the parent', async () => {
    const a = await blog.addComment(postId, reader());
    await blog.setCommentStatus(a.comment.id, 'approve');
    tick();
    const r = await blog.replyToComment(a.comment.id, { body: 'Reply' });
    tick();
    const rr = await blog.replyToComment(r.comment.id, { body: 'Reply to reply' });
    await expect(blog.deleteComment(r.comment.id)).rejects.toThrow(/trash it first/);
    await blog.deleteComment(r.comment.id, { force: true });
    const comments = fileOf(postId).comments;
    expect(comments.map((c: { id: string }) => c.id)).toEqual([a.comment.id, rr.comment.id]);
    expect(comments[1].parentId).toBe(a.comment.id);
    await blog.setCommentStatus(a.comment.id, 'trash');
    await blog.deleteComment(a.comment.id);
    await expect(blog.getComment(a.comment.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps every write of concurrent adds (the lock)', async () => {
    await blog.setSetting('moderation.floodSeconds', 0);
    const blogs = await Promise.all([open(), open(), open(), open()]);
    await Promise.all(blogs.map((b, i) => b.addComment(postId, reader({ body: `comment ${i}`, author: `R${i}` }))));
    expect(fileOf(postId).comments).toHaveLength(4);
    expect(new Set(fileOf(postId).comments.map((c: { id: string }) => c.id)).size).toBe(4);
  });

  it('sets moderation.* through the settings like config set does, validated', async () => {
    await blog.setSetting('moderation.maxLinks', parseSettingValue('moderation.maxLinks', '5'));
    await blog.setSetting('moderation.holdWords', parseSettingValue('moderation.holdWords', '["casino","loan"]'));
    const settings = JSON.parse(readFileSync(path.join(dir, 'termpress.json'), 'utf8'));
    expect(settings.moderation).toMatchObject({ maxLinks: 5, holdWords: ['casino', 'loan'] });
    expect(() => parseSettingValue('moderation.maxLinks', 'many')).toThrow(UsageError);
    expect(() => parseSettingValue('moderation.nope', '1')).toThrow(UsageError);
  });

  it('parses --status values', () => {
    expect(parseCommentStatuses('pending,spam')).toEqual(['pending', 'spam']);
    expect(parseCommentStatuses('all')).toBe('all');
    expect(() => parseCommentStatuses('published')).toThrow(/Unknown comment status "published"/);
  });
  // .termpress/comments.json spares reading every post to find a comment or to judge a new one; like the
  // index, it is a cache that holds only while each post file keeps its size and time.
  describe('the comment index', () => {
    const indexFile = () => path.join(dir, '.termpress', 'comments.json');
    // A change made outside termpress, in place (as an editor or a git checkout may write), and later in time.
    const editInPlace = (id: string, change: (post: Record<string, unknown> & { comments: Array<Record<string, unknown>> }) => void) => {
      const file = path.join(dir, 'posts', `${id}.json`);
      const post = fileOf(id);
      change(post);
      writeFileSync(file, `${JSON.stringify(post, null, 2)}\n`);
      const later = new Date(statSync(file).mtimeMs + 5000);
      utimesSync(file, later, later);
    };

    it('finds a comment that a hand edit added after the index was made', async () => {
      const first = await blog.addComment(postId, reader());
      await blog.getComment(first.comment.id);
      // Made when the comment was added, with the post as it was then; a post or two read again each
      // time costs less than saving the whole file after every comment command.
      expect(readFileSync(indexFile(), 'utf8')).toContain(postId);
      expect(readFileSync(indexFile(), 'utf8')).not.toContain(first.comment.id);
      editInPlace(postId, (post) => post.comments.push({ ...post.comments[0], id: 'hh77hh77', body: 'Pulled in.' }));
      expect((await blog.getComment('hh77hh77')).comment.body).toBe('Pulled in.');
      expect((await blog.getComment('hh77')).comment.id).toBe('hh77hh77');
      await expect(blog.getComment(first.comment.id.slice(0, 3))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('no longer knows an author whose approved comment a hand edit removed, and knows one it approved', async () => {
      const other = (await blog.createPost({ title: 'Other', status: 'published' })).id;
      const first = await blog.addComment(other, reader());
      await blog.setCommentStatus(first.comment.id, 'approve');
      tick();
      expect((await blog.addComment(postId, reader({ body: 'Known now.' }))).comment.status).toBe('approved');
      editInPlace(other, (post) => (post.comments = []));
      editInPlace(postId, (post) => (post.comments = []));
      tick();
      expect((await blog.addComment(postId, reader({ body: 'A stranger again.' }))).comment).toMatchObject({
        status: 'pending',
        reasons: ['first comment from this author'],
      });
      editInPlace(other, (post) => post.comments.push({ ...first.comment, status: 'approved' }));
      tick();
      expect((await blog.addComment(postId, reader({ body: 'Known again.' }))).comment.status).toBe('approved');
    });

    it('sees a flood from a comment a hand edit added on another post', async () => {
      const other = (await blog.createPost({ title: 'Other', status: 'published' })).id;
      await blog.addComment(other, reader());
      tick();
      await blog.getComment(postId.slice(0, 4)).catch(() => undefined);
      editInPlace(other, (post) =>
        post.comments.push({ ...post.comments[0], id: 'ff22ff22', email: 'flood@example.com', createdAt: clock.toISOString() }),
      );
      tick(1);
      await expect(blog.addComment(postId, reader({ email: 'flood@example.com', body: 'Again and again.' }))).rejects.toBeInstanceOf(
        RefusedError,
      );
    });

    it('lists a pending comment that a hand edit added to a post whose counts had none', async () => {
      const first = await blog.addComment(postId, reader());
      await blog.setCommentStatus(first.comment.id, 'approve');
      expect(await blog.listComments({ status: ['pending'] })).toEqual([]);
      editInPlace(postId, (post) => post.comments.push({ ...post.comments[0], id: 'pp33pp33', status: 'pending', body: 'Held by hand.' }));
      expect((await blog.listComments({ status: ['pending'] })).map((e) => e.comment.id)).toEqual(['pp33pp33']);
    });

    it('is saved again once more than a few posts changed since', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 34; i++) ids.push((await blog.createPost({ title: `Post ${i}`, status: 'published' })).id);
      const added: string[] = [];
      for (const [i, id] of ids.entries()) {
        tick();
        added.push((await blog.addComment(id, reader({ email: `reader${i}@example.com`, body: `Comment ${i}.` }))).comment.id);
      }
      const text = readFileSync(indexFile(), 'utf8');
      expect(text).toContain(added[0]);
      expect(text).not.toContain(added[33]);
      expect((await blog.getComment(added[33]!)).comment.body).toBe('Comment 33.');
    });

    it('is rebuilt from the posts when it is damaged or edited by hand', async () => {
      const first = await blog.addComment(postId, reader());
      await blog.getComment(first.comment.id);
      const text = readFileSync(indexFile(), 'utf8');
      // The right shape, the wrong content: not what termpress wrote, so not trusted.
      writeFileSync(indexFile(), text.replace(first.comment.id, 'zzzzzzzz'));
      expect((await blog.getComment(first.comment.id)).comment.id).toBe(first.comment.id);
      await expect(blog.getComment('zzzzzzzz')).rejects.toBeInstanceOf(NotFoundError);
      writeFileSync(indexFile(), 'garbage');
      expect((await blog.getComment(first.comment.id)).comment.id).toBe(first.comment.id);
      expect(readFileSync(indexFile(), 'utf8')).toContain(first.comment.id);
    });
  });
});
