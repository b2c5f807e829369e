/**
 * An import of many posts writes them in batches, each under one hold of the lock: the blog it leaves is
 * the one a post-at-a-time import would (unique slugs, an index doctor finds true), a writer waiting for
 * the lock gets it between two batches, and an import killed half-way leaves a blog every command reads,
 * which the same import then completes. Imports run in-process where a batch boundary must be caught,
 * and as the built binary where it is killed; the other writers are real processes.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { openBlog } from '../src/api/blog.js';
import type { Blog } from '../src/api/blog.js';
import { importTarget } from '../src/api/transfer.js';
import type { Post } from '../src/core/types.js';
import { acquireLock, waitingFor } from '../src/store/lock.js';
import { checkBlog } from '../src/store/doctor.js';
import { importWxr } from '../src/wxr/index.js';
import { wxrDocument, wxrItem } from './fixtures/wxr/build-wxr.js';
import { BIN, Sandbox } from './helpers/cli.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

/** Writes an export of `count` posts (post ids 1..count), naming some of them: `names` maps a post id to its post_name. */
async function writeExport(file: string, count: number, names: Record<number, string> = {}): Promise<void> {
  const out = createWriteStream(file);
  const [head, tail] = wxrDocument(['@@ITEMS@@']).split('@@ITEMS@@') as [string, string];
  out.write(head);
  for (let id = 1; id <= count; id += 1) {
    const item = wxrItem({
      id,
      name: names[id] ?? `post-${id}`,
      body: `<p>Body of post ${id}. ${'Words to read. '.repeat(20)}</p>`,
      terms: [
        ['category', `Category ${id % 5}`],
        ['post_tag', `tag-${id % 7}`],
      ],
      comments: id % 3 === 0 ? [{ id: id * 10 }, { id: id * 10 + 1, parent: id * 10 }] : [],
    });
    if (!out.write(`${item}\n`)) await once(out, 'drain');
  }
  out.end(tail);
  await finished(out);
}

describe('an import in batches', () => {
  let sb: Sandbox;
  let dir: string;
  let blog: Blog;

  beforeEach(async () => {
    sb = new Sandbox({ TERMPRESS_NOW: NOW.toISOString() });
    dir = sb.initBlog('--title', 'Batches');
    blog = await openBlog({ blog: dir, env: sb.env, cwd: sb.cwd });
  });
  afterEach(() => sb.cleanup());

  const postFiles = () => readdirSync(path.join(dir, 'posts')).filter((name) => name.endsWith('.json'));
  const readPosts = (): Post[] => postFiles().map((name) => JSON.parse(readFileSync(path.join(dir, 'posts', name), 'utf8')) as Post);
  const slugOfWpPost = (posts: Post[], wpId: number) => posts.find((p) => p.legacy?.['wpPostId'] === String(wpId))?.slug;

  /** The blog's target, calling `before` as each batch comes, with the number of batches stored before it. */
  function targetWith(before: (stored: number) => Promise<void>) {
    const inner = importTarget(blog);
    let stored = 0;
    return {
      ...inner,
      async addPosts(posts: Post[], options?: { last?: boolean }) {
        await before(stored);
        await inner.addPosts(posts, options);
        stored += 1;
      },
    };
  }

  it('leaves every post, slugs unique across batches, and an index doctor finds true; a second import adds nothing', async () => {
    const file = path.join(sb.cwd, 'export.xml');
    // The same post_name in three batches of 200.
    await writeExport(file, 450, { 5: 'same-name', 205: 'same-name', 405: 'same-name' });
    const report = await importWxr(file, importTarget(blog), { timezone: 'UTC', now: NOW });
    expect(report).toMatchObject({ items: 450, imported: 450, comments: { approved: 300 } });

    const posts = readPosts();
    expect(posts).toHaveLength(450);
    expect([5, 205, 405].map((id) => slugOfWpPost(posts, id))).toEqual(['same-name', 'same-name-2', 'same-name-3']);
    expect(new Set(posts.map((p) => p.slug)).size).toBe(450);
    // Doctor compares the index with every file: out of date or untrue, it would say so.
    const doctor = await checkBlog(blog.store);
    expect(doctor.findings).toEqual([]);
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, '.termpress', 'index.json'), 'utf8')).posts).sort()).toEqual(
      posts.map((p) => p.id).sort(),
    );

    const again = await importWxr(file, importTarget(blog), { timezone: 'UTC', now: NOW });
    expect(again).toMatchObject({ imported: 0, skipped: { present: 450 } });
    expect(postFiles()).toHaveLength(450);
  });

  it('lets a writer that waits for the lock in between two batches, and the next batch sees what it wrote', async () => {
    const file = path.join(sb.cwd, 'export.xml');
    // Post 300 comes in the second batch, with the slug the other writer takes meanwhile.
    await writeExport(file, 400, { 300: 'meanwhile' });
    let writer: Promise<{ code: number | null; stdout: string }> | undefined;
    const target = targetWith(async (stored) => {
      if (stored !== 1) return;
      // Just before the second batch: hold the lock, start a writer, and let go once it waits.
      // The import, about to take the lock, must let the writer have it first.
      const held = await acquireLock(blog.store.layout.lockFile);
      const child = spawn(
        process.execPath,
        [BIN, 'post', 'create', '--title', 'Meanwhile', '--slug', 'meanwhile', '--body', 'Written during the import.', '--porcelain'],
        {
          env: { ...sb.env, TERMPRESS_LOCK_TIMEOUT_MS: '60000' },
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      writer = new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
      while ((await waitingFor(blog.store.files, blog.store.layout.lockFile)) === 0)
        await new Promise((resolve) => setTimeout(resolve, 10));
      await held.release();
    });
    const report = await importWxr(file, target, { timezone: 'UTC', now: NOW });
    expect(report.imported).toBe(400);
    const created = await writer!;
    expect(created.code).toBe(0);

    const posts = readPosts();
    expect(posts).toHaveLength(401);
    expect(posts.find((p) => p.id === created.stdout.trim())?.slug).toBe('meanwhile');
    // Had the import not let the writer in first, the slug would have been the import's.
    expect(slugOfWpPost(posts, 300)).toBe('meanwhile-2');
    expect((await checkBlog(blog.store)).findings).toEqual([]);
    expect(await blog.listPosts({ status: ['draft', 'published'] })).toHaveLength(401);
  });

  it('picks up a post put in the folder between batches by another program (a git pull), slug and all', async () => {
    const file = path.join(sb.cwd, 'export.xml');
    await writeExport(file, 300, { 250: 'pulled' });
    // The post comes from another clone as a file, the way git brings it: without the lock or the index.
    const other = path.join(sb.cwd, 'other');
    sb.ok(['init', other]);
    const id = sb.ok(['--blog', other, 'post', 'create', '--title', 'Pulled', '--slug', 'pulled', '--porcelain']).trim();
    const target = targetWith(async (stored) => {
      if (stored === 1) copyFileSync(path.join(other, 'posts', `${id}.json`), path.join(dir, 'posts', `${id}.json`));
    });
    await importWxr(file, target, { timezone: 'UTC', now: NOW });
    const posts = readPosts();
    expect(posts).toHaveLength(301);
    expect(posts.find((p) => p.id === id)?.slug).toBe('pulled');
    expect(slugOfWpPost(posts, 250)).toBe('pulled-2');
    expect((await checkBlog(blog.store)).findings).toEqual([]);
  });

  it('killed half-way (SIGKILL), leaves a blog every command reads; importing again completes it, each post once', async () => {
    const file = path.join(sb.cwd, 'export.xml');
    const COUNT = 3000;
    await writeExport(file, COUNT);
    const child = spawn(process.execPath, [BIN, 'import', file], { env: sb.env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Killed once a few batches are in, while it writes.
    while (postFiles().length < 450) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const written = postFiles().length;
    expect(written).toBeLessThan(COUNT);
    for (const post of readPosts()) expect(post.legacy?.['source']).toBe('wxr');
    expect(sb.ok(['post', 'list', '--status', 'all', '--format', 'count']).trim()).toBe(String(written));
    // All doctor may find is what the killed writes left beside their files, which --fix removes.
    const doctor = sb.run(['doctor', '--format', 'json']);
    const findings = JSON.parse(doctor.stdout).findings as Array<{ problem: string }>;
    expect(findings.filter((f) => !/leftover temporary file from an interrupted write/.test(f.problem))).toEqual([]);
    if (findings.length > 0) sb.ok(['doctor', '--fix']);

    const again = JSON.parse(sb.ok(['import', file, '--json']));
    expect(again).toMatchObject({ imported: COUNT - written, skipped: { present: written } });
    expect(postFiles()).toHaveLength(COUNT);
    expect(new Set(readPosts().map((p) => p.legacy?.['wpPostId'])).size).toBe(COUNT);
    expect(sb.run(['doctor']).code).toBe(0);
  });
});
