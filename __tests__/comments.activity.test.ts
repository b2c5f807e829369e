/**
 * A reader's comment is not an edit of the post: adding, approving, replying to, editing, moderating
 * and deleting comments leave the post's revision and updatedAt as the author left them, so the site
 * does not call a 2008 post "updated" today, the feeds and sitemap keep their dates, and an author's
 * edit checked against a revision still goes through. Conflicts between edits stay conflicts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { ConflictError } from '../src/core/errors.js';
import { buildBlog } from '../src/site/blog.js';

const WRITTEN = '2008-05-01T10:00:00.000Z';
const TODAY = '2026-03-01T12:00:00.000Z';

describe('comment activity and the post it belongs to', () => {
  let root: string;
  let dir: string;
  let clock: Date;
  let blog: Blog;
  let postId: string;

  const fileOf = (id: string) => JSON.parse(readFileSync(path.join(dir, 'posts', `${id}.json`), 'utf8'));
  const tick = (seconds = 60) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  const reader = (n: number) => ({
    author: `Reader ${n}`,
    email: `reader${n}@example.com`,
    ip: `198.51.100.${n}`,
    body: `Comment number ${n}.`,
  });

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-activity-'));
    dir = path.join(root, 'blog');
    clock = new Date(WRITTEN);
    blog = await openBlog({ blog: dir, env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') }, now: () => new Date(clock) });
    await blog.init({ title: 'Old blog', author: 'Owner', url: 'https://example.com/' });
    postId = (await blog.createPost({ title: 'Written in 2008', body: 'An old post.', status: 'published' })).id;
    clock = new Date(TODAY);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Every kind of comment write on the post, a minute apart, by readers n to n + 3: add, approve, reply, edit, spam, delete. */
  async function commentActivity(n: number): Promise<void> {
    const first = await blog.addComment(postId, reader(n));
    tick();
    await blog.setCommentStatus(first.comment.id, 'approve');
    tick();
    await blog.replyToComment(first.comment.id, { body: `Thank you, reader ${n}.` });
    tick();
    const second = await blog.addComment(postId, reader(n + 1));
    tick();
    await blog.editComment(second.comment.id, { body: 'Mended.' });
    tick();
    await blog.setCommentStatuses([second.comment.id], 'spam');
    tick();
    await blog.addComment(postId, { ...reader(n + 2), approve: true });
    tick();
    await blog.deleteComment(second.comment.id);
    tick();
    await blog.addComment(postId, reader(n + 3));
    tick();
  }

  it("leaves the post's revision and updatedAt; each comment dates its own changes", async () => {
    const before = fileOf(postId);
    expect(before).toMatchObject({ revision: 1, updatedAt: WRITTEN });
    const added = await blog.addComment(postId, reader(1));
    expect(added.post).toMatchObject({ revision: 1, updatedAt: WRITTEN });
    expect(fileOf(postId)).toMatchObject({ revision: 1, updatedAt: WRITTEN });
    tick();
    const approved = await blog.setCommentStatus(added.comment.id, 'approve');
    expect(approved.comment.updatedAt).toBe(clock.toISOString());
    tick();
    const reply = await blog.replyToComment(added.comment.id, { body: 'Thank you.' });
    expect(reply.post).toMatchObject({ revision: 1, updatedAt: WRITTEN });

    await commentActivity(10);
    const after = fileOf(postId);
    expect(after).toMatchObject({ revision: 1, updatedAt: WRITTEN });
    expect(after.comments.length).toBeGreaterThan(3);
    // The index (checked by file size and time) sees the new comments, and the post's own dates unchanged.
    const [summary] = await blog.listPosts();
    expect(summary).toMatchObject({ revision: 1, updatedAt: WRITTEN, commentCounts: { approved: 5, pending: 1, spam: 0, trash: 0 } });
  });

  it("an author's edit checked against the revision it began from goes through after readers' comments", async () => {
    const base = await blog.getPost(postId);
    await commentActivity(10);
    const edited = await blog.updatePost(postId, { title: 'Written in 2008, revised' }, { expectedRevision: base.revision });
    expect(edited.post).toMatchObject({ revision: 2, title: 'Written in 2008, revised', updatedAt: clock.toISOString() });
    expect(fileOf(postId).comments).toHaveLength(4);

    // An editor session that began before more comments came saves too, and keeps them.
    const second = await blog.getPost(postId);
    await commentActivity(20);
    const saved = await blog.updatePost(postId, { body: 'An old post, edited.' }, { base: second, recoveryText: 'An old post, edited.' });
    expect(saved.changed).toEqual(['body']);
    expect(fileOf(postId).comments).toHaveLength(8);
  });

  it('two edits of the post still conflict, by revision and by field', async () => {
    const base = await blog.getPost(postId);
    await blog.updatePost(postId, { body: 'Theirs.' });
    await expect(blog.updatePost(postId, { title: 'Mine' }, { expectedRevision: base.revision })).rejects.toBeInstanceOf(ConflictError);
    await expect(blog.updatePost(postId, { body: 'Mine.' }, { base, recoveryText: 'Mine.' })).rejects.toBeInstanceOf(ConflictError);
    expect(fileOf(postId)).toMatchObject({ body: 'Theirs.', revision: 2 });
  });

  it('a comment edited while someone else changed it is a conflict, even within one tick of the clock', async () => {
    const { comment } = await blog.addComment(postId, { ...reader(1), approve: true });
    const base = (await blog.getComment(comment.id)).comment;
    // Someone else changes the text at the same moment (a fixed clock, as with $TERMPRESS_NOW).
    await blog.editComment(comment.id, { body: 'Their correction.' });
    const error = await blog
      .editComment(comment.id, { body: 'My correction.' }, { base, recoveryText: 'My correction.' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(readFileSync((error as ConflictError).recoveryPath!, 'utf8')).toBe('My correction.');
    expect(fileOf(postId).comments[0].body).toBe('Their correction.');
    // A change of another field (the status) is no conflict with an edit of the text.
    const fresh = (await blog.getComment(comment.id)).comment;
    await blog.setCommentStatus(comment.id, 'unapprove');
    await expect(blog.editComment(comment.id, { body: 'Mine after all.' }, { base: fresh })).resolves.toMatchObject({ changed: ['body'] });
  });

  it('the built site shows the new comments without calling the post updated, and feeds and sitemap keep their dates', async () => {
    const out = path.join(root, 'public');
    await buildBlog(blog, { outDir: out });
    const read = (file: string) => readFileSync(path.join(out, file), 'utf8');
    const page = '2008/05/01/written-in-2008/index.html';
    const feeds = ['atom.xml', 'feed.xml', 'feed.json', 'sitemap.xml'];
    const before = new Map(feeds.map((f) => [f, read(f)]));
    expect(read('atom.xml')).toContain(`<updated>${WRITTEN}</updated>`);

    await commentActivity(1);
    const report = await buildBlog(blog, { outDir: out });
    expect(report.written).toContain(page);
    expect(read(page)).toContain('Comment number 1.');
    expect(read(page)).toContain('Thank you, reader 1.');
    expect(read(page)).not.toContain('(updated');
    for (const file of feeds) expect({ file, text: read(file) }).toEqual({ file, text: before.get(file) });
    expect(report.written).not.toEqual(expect.arrayContaining(['atom.xml']));
  });
});
