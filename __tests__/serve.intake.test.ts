import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { watchBlog } from '../src/site/server/rebuild.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

describe("a comment server's view of the blog, kept between batches", () => {
  let root: string;
  let server: Blog;
  // Another process's Blog: the CLI in another terminal.
  let other: Blog;

  let clock: number;

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-intake-'));
    clock = Date.parse('2026-03-01T12:00:00Z');
    const options = { blog: path.join(root, 'blog'), env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') }, now: () => new Date(clock) };
    server = await openBlog(options);
    await server.init({ title: 'Intake' });
    other = await openBlog(options);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const reader = (name: string, body: string, ip: string) => ({ author: name, email: `${name.toLowerCase()}@example.com`, ip, body });

  it('sees what another process changed since its last batch: a known author, a flood, a new post, a post gone', async () => {
    const a = (await server.createPost({ title: 'A', status: 'published' })).id;
    const b = (await server.createPost({ title: 'B', status: 'published' })).id;
    await server.keepPostsRead();
    const [first] = await server.addReaderComments([{ postRef: a, input: reader('Ada', 'First', '10.0.0.1') }]);
    expect(first!.ok && first!.value.comment.status).toBe('pending');
    clock += 60_000;

    // Approved in another terminal: Ada is now known, and her next comment is approved.
    await other.setCommentStatus(first!.ok ? first!.value.comment.id : '', 'approve');
    // A new post, with Bob's comment added by another process: Bob sending again at once is a flood, across posts.
    const c = (await other.createPost({ title: 'C', status: 'published' })).id;
    await other.addComment(c, reader('Bob', 'From elsewhere', '10.0.1.1'));
    await other.deletePost(b, { force: true });

    const outcomes = await server.addReaderComments([
      { postRef: a, input: reader('Ada', 'Second', '10.0.0.1') },
      { postRef: a, input: reader('Bob', 'Again', '10.0.1.1') },
      { postRef: c, input: reader('Cy', 'On the new post', '10.0.2.1') },
      { postRef: b, input: reader('Di', 'On the post gone', '10.0.3.1') },
    ]);
    expect(outcomes.map((o) => (o.ok ? o.value.comment.status : o.error.message.replace(/:.*/, '')))).toEqual([
      'approved',
      'Comment refused',
      'pending',
      `No post "${b}"`,
    ]);
    // Nothing another process wrote was lost by the server's writes.
    expect((await other.getPost(a)).comments.map((x) => [x.body, x.status])).toEqual([
      ['First', 'approved'],
      ['Second', 'approved'],
    ]);
    expect((await other.getPost(c)).comments.map((x) => x.body)).toEqual(['From elsewhere', 'On the new post']);
  });

  it('judges a batch as comment add judges the same comments one by one: floods by email or address, on the post or across posts', async () => {
    const a = (await server.createPost({ title: 'A', status: 'published' })).id;
    const b = (await server.createPost({ title: 'B', status: 'published' })).id;
    // Known long before: Kim has an approved comment on B.
    const [kim] = await server.addReaderComments([{ postRef: b, input: reader('Kim', 'Earlier', '10.9.0.1') }]);
    await other.setCommentStatus(kim!.ok ? kim!.value.comment.id : '', 'approve');
    clock += 60_000;
    const items = [
      { postRef: a, input: reader('Ada', 'One', '10.0.0.1') },
      // The same email in other letters and spaces, on another post: a flood.
      { postRef: b, input: { ...reader('Ada', 'Two', '10.0.7.1'), email: ' ADA@Example.com ' } },
      // Another person from Ada's address, on the same post: a flood.
      { postRef: a, input: reader('Bob', 'Three', '10.0.0.1') },
      // From Ada's address on another post: a flood too.
      { postRef: b, input: reader('Cy', 'Four', ' 10.0.0.1 ') },
      { postRef: b, input: reader('Kim', 'Five', '10.9.0.1') },
      { postRef: b, input: reader('Di', 'Six', '10.0.3.1') },
      // No address: nobody to flood as.
      { postRef: a, input: reader('Eve', 'Seven', '') },
      { postRef: a, input: reader('Fay', 'Eight', '') },
    ];
    const judged = (outcome: { ok: true; value: { comment: { status: string } } } | { ok: false; error: Error }) =>
      outcome.ok ? outcome.value.comment.status : outcome.error.message;

    // The same blog copied, to take the same comments one at a time through addComment.
    const copy = path.join(root, 'copy');
    cpSync(server.dir, copy, { recursive: true });
    const single = await openBlog({ blog: copy, env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') }, now: () => new Date(clock) });
    const oneByOne: string[] = [];
    for (const { postRef, input } of items) {
      oneByOne.push(
        await single.addComment(postRef, input).then(
          (result) => result.comment.status,
          (error: Error) => error.message,
        ),
      );
    }

    const batch = (await server.addReaderComments(items)).map(judged);
    expect(batch).toEqual(oneByOne);
    expect(batch).toEqual([
      'pending',
      'Comment refused: Too fast: wait 15 seconds between comments.',
      'Comment refused: Too fast: wait 15 seconds between comments.',
      'Comment refused: Too fast: wait 15 seconds between comments.',
      'approved',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('sees at the very next batch what git or an editor changed, without the lock: a file rewritten in place, a file replaced, the folder replaced', async () => {
    const a = (await server.createPost({ title: 'A', status: 'published' })).id;
    const b = (await server.createPost({ title: 'B', status: 'published' })).id;
    const c = (await server.createPost({ title: 'C', status: 'published' })).id;
    // Ada's first comment, held: taken by another process, so the server has only read B.
    await other.addComment(b, reader('Ada', 'First', '10.0.0.1'));
    await server.keepPostsRead();
    const [bob] = await server.addReaderComments([{ postRef: a, input: reader('Bob', 'Zeroth', '10.0.1.1') }]);
    expect(bob!.ok).toBe(true);
    clock += 60_000;
    const fileOf = (id: string) => path.join(server.dir, 'posts', `${id}.json`);
    const edit = (id: string, change: (post: { title: string; comments: Array<Record<string, unknown>> }) => void) => {
      const post = JSON.parse(readFileSync(fileOf(id), 'utf8')) as { title: string; comments: Array<Record<string, unknown>> };
      change(post);
      return `${JSON.stringify(post, null, 2)}\n`;
    };

    // An editor that writes the file in place: Ada's comment approved by hand. Asked at once, with no pause.
    writeFileSync(
      fileOf(b),
      edit(b, (post) => (post.comments[0]!.status = 'approved')),
    );
    const [second] = await server.addReaderComments([{ postRef: c, input: reader('Ada', 'Second', '10.0.0.1') }]);
    expect(second!.ok && second!.value.comment.status).toBe('approved');

    // git, which replaces the file: the title changed; the server's comment goes into the new file.
    writeFileSync(
      `${fileOf(a)}.git-tmp`,
      edit(a, (post) => (post.title = 'A, from git')),
    );
    renameSync(`${fileOf(a)}.git-tmp`, fileOf(a));
    clock += 60_000;
    const [third] = await server.addReaderComments([{ postRef: a, input: reader('Bob', 'Third', '10.0.1.1') }]);
    expect(third!.ok).toBe(true);
    expect((await other.getPost(a)).title).toBe('A, from git');

    // The whole folder replaced (a checkout): Bob's comment taken out of A.
    const posts = path.join(server.dir, 'posts');
    cpSync(posts, `${posts}.new`, { recursive: true });
    writeFileSync(
      path.join(`${posts}.new`, `${a}.json`),
      edit(a, (post) => (post.comments = [])),
    );
    renameSync(posts, `${posts}.old`);
    renameSync(`${posts}.new`, posts);
    clock += 60_000;
    const [fourth] = await server.addReaderComments([{ postRef: a, input: reader('Cy', 'Fourth', '10.0.2.1') }]);
    expect(fourth!.ok).toBe(true);
    const after = await other.getPost(a);
    expect([after.title, after.comments.map((x) => x.body)]).toEqual(['A, from git', ['Fourth']]);
    expect((await other.getPost(b)).comments.map((x) => [x.body, x.status])).toEqual([['First', 'approved']]);
  });

  it('never writes a post over a change it did not see: the comment is refused and the file left as changed', async () => {
    const a = (await server.createPost({ title: 'A', status: 'published' })).id;
    // The server's view of the posts, then a change to A that it is not told of before writing.
    const [shared] = (await server.store.readAllPostsShared()).filter((post) => post.id === a);
    const file = path.join(server.dir, 'posts', `${a}.json`);
    const changed = { ...JSON.parse(readFileSync(file, 'utf8')), title: 'A, changed by hand' };
    writeFileSync(`${file}.tmp`, `${JSON.stringify(changed, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    const comment = { ...reader('Ada', 'Lost?', '10.0.0.1'), id: 'cmtaaaaa', parentId: null, url: '', userAgent: '' };
    const stamp = new Date(clock).toISOString();
    const [failure] = await server.store.writePosts([
      {
        ...shared!,
        comments: [
          ...shared!.comments,
          { ...comment, status: 'pending', createdAt: stamp, updatedAt: stamp, type: 'comment', reasons: [] },
        ],
      },
    ]);
    expect(failure?.message).toMatch(/changed while the comment was being taken/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(changed);
  });

  it('writes a post that another process changed since it was read as that process left it, with the new comment', async () => {
    const a = (await server.createPost({ title: 'A', status: 'published' })).id;
    await server.addReaderComments([{ postRef: a, input: reader('Ada', 'First', '10.0.0.1') }]);
    await other.updatePost(a, { title: 'A, retitled' });
    clock += 60_000;
    await server.addReaderComments([{ postRef: a, input: reader('Bob', 'Second', '10.0.1.1') }]);
    const post = await other.getPost(a);
    expect(post.title).toBe('A, retitled');
    expect(post.comments.map((c) => c.body)).toEqual(['First', 'Second']);
  });
});

describe('the server rebuilds for what readers can see', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a comment held for moderation sets off no build; its approval in another process, or an edit, does', async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-rebuild-'));
    const options = { blog: path.join(root, 'blog'), env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') } };
    const server = await openBlog(options);
    await server.init({ title: 'Rebuilds' });
    const id = (await server.createPost({ title: 'A', status: 'published' })).id;
    const other = await openBlog(options);
    let builds = 0;
    const rebuild = watchBlog({ dir: server.dir, build: async () => void builds++, log: () => undefined, settleMs: 500 });
    try {
      const [held] = await server.addReaderComments([
        { postRef: id, input: { author: 'Ada', email: 'ada@example.com', body: 'Hello', ip: '10.0.0.1' } },
      ]);
      expect(held!.ok && held!.value.comment.status).toBe('pending');
      rebuild.unseen(id, server.lastPostWrite(id)!);
      // Well past the time a change takes to set off a build.
      await sleep(2000);
      expect(builds).toBe(0);

      await other.setCommentStatus(held!.ok ? held!.value.comment.id : '', 'approve');
      await waitUntil('a build for the approval', () => builds === 1);

      const [spam] = await server.addReaderComments([
        { postRef: id, input: { author: 'Bob', email: 'bob@example.com', body: 'Hi', ip: '10.0.1.1' } },
      ]);
      rebuild.unseen(id, server.lastPostWrite(id)!);
      expect(spam!.ok).toBe(true);
      await other.updatePost(id, { title: 'A, retitled' });
      await waitUntil('a build for the edit after the held comment', () => builds === 2);
    } finally {
      await rebuild.close();
    }
  }, 30_000);
});
