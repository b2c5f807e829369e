import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { runDoctor } from '../src/api/doctor.js';
import { RefusedError, StorageError } from '../src/core/errors.js';
import { networkOf } from '../src/site/server/network.js';
import { createSigner } from '../src/site/server/signer.js';
import { exportBlog, importIntoBlog } from '../src/wxr/blog.js';

describe('likes, the blog secret and the reader rules of the comment server', () => {
  let root: string;
  let dir: string;
  let blog: Blog;
  let postId: string;

  const open = (folder: string) => openBlog({ blog: folder, env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') } });
  const reader = (readerId: string, network = '192.0.2.0/24', cookieless = false) => ({ readerId, network, cookieless });

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-likes-'));
    dir = path.join(root, 'blog');
    blog = await open(dir);
    await blog.init({ title: 'Liked' });
    postId = (await blog.createPost({ title: 'Hello', status: 'published' })).id;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('counts one like per reader, and a browser without its cookie once per network; the post file is never written', async () => {
    const before = readFileSync(path.join(dir, 'posts', `${postId}.json`), 'utf8');
    expect(await blog.likePost(postId, reader('aaaaaaaaaaaaaaaaaaaaaa'))).toEqual({ postId, count: 1, added: true });
    expect(await blog.likePost(postId, reader('aaaaaaaaaaaaaaaaaaaaaa'))).toEqual({ postId, count: 1, added: false });
    // Same network, a browser of its own: another reader.
    expect((await blog.likePost(postId, reader('bbbbbbbbbbbbbbbbbbbbbb'))).count).toBe(2);
    // No cookie from a network that liked already: taken for a reader who dropped it.
    expect((await blog.likePost(postId, reader('cccccccccccccccccccccc', '192.0.2.0/24', true))).added).toBe(false);
    expect((await blog.likePost(postId, reader('dddddddddddddddddddddd', '198.51.100.0/24', true))).added).toBe(true);
    expect(readFileSync(path.join(dir, 'posts', `${postId}.json`), 'utf8')).toBe(before);
    expect((await blog.getPost(postId)).revision).toBe(1);
    expect(await blog.likeCount(postId)).toEqual({ postId, count: 3 });
    const stored = readFileSync(path.join(dir, 'likes', `${postId}.json`), 'utf8');
    expect(stored).not.toMatch(/192\.0\.2|aaaa/);

    expect(await blog.resetLikes(postId)).toEqual({ postId, removed: 3 });
    expect(await blog.likeCount(postId)).toEqual({ postId, count: 0 });
  });

  it("refuses likes of a post readers cannot see, and removes a deleted post's likes with it", async () => {
    const draft = (await blog.createPost({ title: 'Draft' })).id;
    await expect(blog.likePost(draft, reader('aaaaaaaaaaaaaaaaaaaaaa'))).rejects.toThrow(RefusedError);
    await blog.likePost(postId, reader('aaaaaaaaaaaaaaaaaaaaaa'));
    await blog.trashPost(postId);
    await blog.deletePost(postId);
    expect(() => statSync(path.join(dir, 'likes', `${postId}.json`))).toThrow();
  });

  it('carries likes in the JSON backup and brings them back, merged, each reader once', async () => {
    await blog.likePost(postId, reader('aaaaaaaaaaaaaaaaaaaaaa'));
    await blog.likePost(postId, reader('bbbbbbbbbbbbbbbbbbbbbb', '198.51.100.0/24'));
    const file = path.join(root, 'backup.json');
    await exportBlog(blog, { format: 'json', statuses: ['published'], file, stream: new PassThrough() });
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.includes(postId))!;
    expect((JSON.parse(line.replace(/,$/, '')) as { likes: unknown[] }).likes).toHaveLength(2);

    const restored = await open(path.join(root, 'restored'));
    await restored.init({ title: 'Restored' });
    const report = await importIntoBlog(restored, file);
    expect(report.imported).toBe(1);
    expect(await restored.likeCount(postId)).toEqual({ postId, count: 2 });
    expect((await restored.getPost(postId)).revision).toBe(1);
    // The same likes again change nothing.
    await restored.restoreLikes(postId, [...(await blog.allLikes()).get(postId)!]);
    expect((await restored.likeCount(postId)).count).toBe(2);
  });

  it('refuses a backup whose likes are not likes, importing nothing', async () => {
    await blog.likePost(postId, reader('aaaaaaaaaaaaaaaaaaaaaa'));
    const file = path.join(root, 'backup.json');
    await exportBlog(blog, { format: 'json', statuses: ['published'], file, stream: new PassThrough() });
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"reader":"[0-9a-f]+"/, '"reader":"../../etc/passwd"'));
    const other = await open(path.join(root, 'other'));
    await other.init({ title: 'Other' });
    await expect(importIntoBlog(other, file)).rejects.toThrow(/likes\.0\.reader/);
    expect((await other.listPosts()).length).toBe(0);
  });

  it('never reads likes or the secret through a link, and doctor checks the likes files', async () => {
    mkdirSync(path.join(dir, 'likes'), { recursive: true });
    const outside = path.join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify({ post: postId, likes: [] }));
    symlinkSync(outside, path.join(dir, 'likes', `${postId}.json`));
    await expect(blog.likeCount(postId)).rejects.toThrow(StorageError);
    rmSync(path.join(dir, 'likes', `${postId}.json`));

    symlinkSync(outside, path.join(dir, '.termpress', 'secret'));
    await expect(blog.secret()).rejects.toThrow(/symbolic link/);
    rmSync(path.join(dir, '.termpress', 'secret'));
    const secret = await blog.secret();
    expect(secret).toHaveLength(32);
    expect(await blog.secret()).toEqual(secret);
    expect(statSync(path.join(dir, '.termpress', 'secret')).mode & 0o777).toBe(0o600);

    writeFileSync(path.join(dir, 'likes', 'zzzzzzzz.json'), JSON.stringify({ post: 'zzzzzzzz', likes: [] }));
    writeFileSync(path.join(dir, 'likes', `${postId}.json`), '{"post":');
    const report = await runDoctor(blog);
    expect(report.healthy).toBe(false);
    expect(report.findings.map((f) => [path.basename(f.file), f.fix ?? null])).toEqual([
      [`${postId}.json`, null],
      ['zzzzzzzz.json', 'remove it'],
    ]);
  });

  it('signs form tokens that are refused too early, too late or forged; counts networks by /24 and /48', () => {
    const signer = createSigner(Buffer.alloc(32, 7));
    const issued = Date.UTC(2026, 0, 1);
    const token = signer.formToken(issued);
    expect(signer.checkFormToken(token, issued + 1000)).toEqual({ ok: false, why: 'early', waitSeconds: 2 });
    expect(signer.checkFormToken(token, issued + 3000)).toEqual({ ok: true });
    expect(signer.checkFormToken(token, issued + 25 * 3600 * 1000)).toEqual({ ok: false, why: 'expired' });
    expect(createSigner(Buffer.alloc(32, 8)).checkFormToken(token, issued + 3000)).toEqual({ ok: false, why: 'invalid' });
    expect(signer.checkFormToken('', issued)).toEqual({ ok: false, why: 'missing' });
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
  });
});

describe("readers' comments stored in a batch (the comment server's way)", () => {
  it('applies the same rules in order, each comment seeing the ones before it, with an outcome for each', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-batch-'));
    try {
      const blog = await openBlog({ blog: path.join(root, 'blog'), env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') } });
      await blog.init({ title: 'Batch' });
      const a = (await blog.createPost({ title: 'A', status: 'published' })).id;
      const b = (await blog.createPost({ title: 'B', status: 'published' })).id;
      const closed = (await blog.createPost({ title: 'C', status: 'published', commentStatus: 'closed' })).id;
      const reader = (n: number, body = `Comment ${n}`) => ({ author: `R${n}`, email: `r${n}@example.com`, ip: `10.0.${n}.1`, body });
      const outcomes = await blog.addReaderComments([
        { postRef: a, input: reader(1) },
        { postRef: a, input: reader(2) },
        { postRef: b, input: reader(3) },
        // The same again, and the same email within the flood window: refused as one by one.
        { postRef: a, input: reader(1) },
        { postRef: b, input: { ...reader(4), email: 'r3@example.com' } },
        { postRef: closed, input: reader(5) },
        { postRef: 'no-such-post', input: reader(6) },
      ]);
      expect(outcomes.map((o) => (o.ok ? o.value.comment.status : o.error.message.replace(/:.*/, '')))).toEqual([
        'pending',
        'pending',
        'pending',
        'Comment refused',
        'Comment refused',
        'Comment refused',
        'No post "no-such-post"',
      ]);
      const ids = outcomes.flatMap((o) => (o.ok ? [o.value.comment.id] : []));
      expect(new Set(ids).size).toBe(3);
      expect((await blog.getPost(a)).comments.map((c) => c.body)).toEqual(['Comment 1', 'Comment 2']);
      expect((await blog.getPost(b)).comments.map((c) => c.body)).toEqual(['Comment 3']);
      expect((await blog.getPost(a)).revision).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
