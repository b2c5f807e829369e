import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { openBlog } from '../src/api/blog.js';
import { StorageError } from '../src/core/errors.js';
import { acquireLock } from '../src/store/lock.js';
import { BlogStore } from '../src/store/store.js';
import { REPO, removeDir, tempDir } from './helpers/cli.js';

const DIST = path.join(REPO, 'dist', 'index.js');

describe('the store', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = tempDir();
    env = { TERMPRESS_CONFIG_DIR: path.join(dir, 'home'), TERMPRESS_NOW: '2026-11-27T10:00:00Z' };
    await (await openBlog({ blog: path.join(dir, 'blog'), env })).init({ title: 'T' });
  });
  afterEach(() => removeDir(dir));

  const blogDir = () => path.join(dir, 'blog');
  const open = (lockTimeoutMs?: number) => openBlog({ blog: blogDir(), env, lockTimeoutMs });

  it('writes pretty JSON with a final newline and leaves no temp files', async () => {
    const blog = await open();
    const post = await blog.createPost({ title: 'Atomic' });
    for (let i = 0; i < 10; i++) await blog.updatePost(post.id, { body: `v${i}` });
    expect(readdirSync(path.join(blogDir(), 'posts'))).toEqual([`${post.id}.json`]);
    const text = readFileSync(path.join(blogDir(), 'posts', `${post.id}.json`), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "id": ');
    expect(JSON.parse(text).revision).toBe(11);
  });

  it("dates each write of a post after the file it replaces, so that a post file's size and time name one version", async () => {
    const blog = await open();
    const post = await blog.createPost({ title: 'Tick' });
    const file = path.join(blogDir(), 'posts', `${post.id}.json`);
    // A file dated ahead of the clock stands for one written in the same tick as the next write.
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(file, ahead, ahead);
    const before = statSync(file);
    await blog.updatePost(post.id, { title: 'Tock' });
    const after = statSync(file);
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).toBeGreaterThan(before.mtimeMs);
    expect(after.mtimeMs).toBeLessThan(before.mtimeMs + 2);
    expect(blog.lastPostWrite(post.id)).toEqual({
      before: { size: before.size, mtimeMs: before.mtimeMs },
      after: { size: after.size, mtimeMs: after.mtimeMs },
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).title).toBe('Tock');
  });

  it.each(['600', '664', '644', '640'])('keeps the permissions of a post file it rewrites (%s)', async (octal) => {
    const mode = parseInt(octal, 8);
    const blog = await open();
    const post = await blog.createPost({ title: 'Modes' });
    const file = path.join(blogDir(), 'posts', `${post.id}.json`);
    chmodSync(file, mode);
    await blog.updatePost(post.id, { title: 'Modes kept' });
    expect(statSync(file).mode & 0o7777).toBe(mode);
  });

  it('keeps fields it does not know when it rewrites a file', async () => {
    const blog = await open();
    const post = await blog.createPost({ title: 'Extra' });
    const file = path.join(blogDir(), 'posts', `${post.id}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), futureField: { keep: true } }, null, 2));
    await blog.updatePost(post.id, { title: 'Extra 2' });
    expect(JSON.parse(readFileSync(file, 'utf8')).futureField).toEqual({ keep: true });
  });

  it('waits for a live lock holder, then fails with exit 5 naming its pid', async () => {
    const lockFile = path.join(blogDir(), '.termpress', 'lock');
    const holder = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { acquireLock } from ${JSON.stringify(path.join(REPO, 'dist', 'store', 'lock.js'))};
       await acquireLock(${JSON.stringify(lockFile)}); console.log('held'); setTimeout(() => {}, 20000);`,
    ]);
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const blog = await open(300);
      const error = await blog.createPost({ title: 'Blocked' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toContain(`process ${holder.pid}`);
      expect(readdirSync(path.join(blogDir(), 'posts'))).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over at once a lock left by a dead process', async () => {
    const lockFile = path.join(blogDir(), '.termpress', 'lock');
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    writeFileSync(
      lockFile,
      JSON.stringify({ pid, host: (await import('node:os')).hostname(), token: 'old', since: '2026-01-01T00:00:00Z' }),
    );
    // A lock wait of 200 ms: had the dead holder been waited for, this would fail with exit 5.
    const blog = await open(200);
    await expect(blog.createPost({ title: 'After a crash' })).resolves.toMatchObject({ slug: 'after-a-crash' });
    expect(existsSync(lockFile)).toBe(false);
  });

  it('lock is exclusive within one process too', async () => {
    const lockFile = path.join(dir, 'solo.lock');
    const first = await acquireLock(lockFile);
    await expect(acquireLock(lockFile, { timeoutMs: 100 })).rejects.toThrow(/locked by process/);
    await first.release();
    const second = await acquireLock(lockFile, { timeoutMs: 100 });
    await second.release();
  });

  it('gives every one of several processes creating the same title its own slug', async () => {
    const script = `import { openBlog } from ${JSON.stringify(DIST)};
      const blog = await openBlog({ blog: ${JSON.stringify(blogDir())} });
      const post = await blog.createPost({ title: 'Same title' });
      console.log(post.slug);`;
    const runs = Array.from(
      { length: 8 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env } });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
        }),
    );
    const slugs = await Promise.all(runs);
    expect(new Set(slugs).size).toBe(8);
    expect(slugs.sort()).toEqual(['same-title', ...Array.from({ length: 7 }, (_, i) => `same-title-${i + 2}`)].sort());
  });

  it('migrates an older schema after a backup', async () => {
    const blog = await open();
    const post = await blog.createPost({ title: 'Old' });
    const settingsFile = path.join(blogDir(), 'termpress.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(settingsFile, JSON.stringify({ ...settings, schemaVersion: 0, tagline: 'from v0' }));
    const store = new BlogStore(blogDir(), {
      migrations: {
        0: {
          settings: ({ tagline, ...rest }) => ({ ...rest, description: String(tagline) }),
          post: (p) => ({ ...p, title: `${String(p.title)} (migrated)` }),
        },
      },
    });
    const migrated = await store.readSettings();
    expect(migrated).toMatchObject({ schemaVersion: 1, description: 'from v0' });
    expect((await store.readPost(post.id)).title).toBe('Old (migrated)');
    const backups = readdirSync(path.join(blogDir(), '.termpress', 'backups'));
    expect(backups).toHaveLength(1);
    const saved = JSON.parse(readFileSync(path.join(blogDir(), '.termpress', 'backups', backups[0]!, 'termpress.json'), 'utf8'));
    expect(saved.schemaVersion).toBe(0);
  });

  it('refuses an older schema it has no migration for, and changes nothing', async () => {
    const settingsFile = path.join(blogDir(), 'termpress.json');
    const text = JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), schemaVersion: 0 });
    writeFileSync(settingsFile, text);
    await expect(new BlogStore(blogDir()).readSettings()).rejects.toThrow(/cannot migrate/);
    expect(readFileSync(settingsFile, 'utf8')).toBe(text);
  });

  it('keeps recovered text in the temp folder when the blog cannot take it', async () => {
    const blog = await open();
    // A file where the recovery folder should be: no write under .termpress/recovery/ can succeed.
    writeFileSync(path.join(blogDir(), '.termpress', 'recovery'), 'in the way');
    const kept = await blog.store.saveRecovery('draft.md', 'every word');
    expect(kept.startsWith(path.join(blogDir(), '.termpress'))).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('every word');
    removeDir(path.dirname(kept));
  });

  it('rebuilds a damaged index from the post files', async () => {
    const blog = await open();
    await blog.createPost({ title: 'One' });
    await blog.createPost({ title: 'Two' });
    mkdirSync(path.join(blogDir(), '.termpress'), { recursive: true });
    writeFileSync(path.join(blogDir(), '.termpress', 'index.json'), 'garbage');
    expect((await (await open()).listPosts()).map((p) => p.title).sort()).toEqual(['One', 'Two']);
    expect(JSON.parse(readFileSync(path.join(blogDir(), '.termpress', 'index.json'), 'utf8')).version).toBe(2);
  });

  // The index is sealed by the digest of its entries, so that a listing need not validate each entry
  // of an index exactly as termpress wrote it; anything else is validated entry by entry.
  it('checks each entry of an index that is not sealed, and seals it once checked', async () => {
    const blog = await open();
    const one = await blog.createPost({ title: 'One' });
    const two = await blog.createPost({ title: 'Two' });
    const indexFile = path.join(blogDir(), '.termpress', 'index.json');
    const sealed = readFileSync(indexFile, 'utf8');
    expect(sealed).toMatch(/^\{"version":2,"sum":"[0-9a-f]{40}","posts":\{/);
    // As an earlier termpress wrote it (no digest), with one entry damaged: the damaged entry is read
    // from its file again, and the index is written sealed.
    const index = JSON.parse(sealed) as { posts: Record<string, { summary: Record<string, unknown> }> };
    index.posts[one.id]!.summary['status'] = 'bogus';
    writeFileSync(indexFile, JSON.stringify({ version: 2, posts: index.posts }));
    expect((await (await open()).listPosts()).map((p) => [p.title, p.status]).sort()).toEqual([
      ['One', 'draft'],
      ['Two', 'draft'],
    ]);
    const resealed = readFileSync(indexFile, 'utf8');
    expect(resealed).toMatch(/^\{"version":2,"sum":"[0-9a-f]{40}","posts":\{/);
    expect(JSON.parse(resealed).posts[one.id].summary.status).toBe('draft');
    // Sealed, but an entry changed afterwards keeps the old digest: checked all the same.
    writeFileSync(indexFile, resealed.replace('"title":"Two"', '"title":42'));
    expect((await (await open()).listPosts()).map((p) => p.title).sort()).toEqual(['One', 'Two']);
    expect(two.title).toBe('Two');
  });

  // A write after a listing in the same process works on the index the listing read: the file it writes
  // still says what each post is, and is sealed (a listing by another process finds it so and leaves it).
  it('writes an index that holds every post as it is after a listing and a write in one process', async () => {
    const blog = await open();
    const [one, two, three] = [
      await blog.createPost({ title: 'One' }),
      await blog.createPost({ title: 'Two' }),
      await blog.createPost({ title: 'Three' }),
    ];
    const again = await open();
    expect((await again.listPosts()).map((p) => p.title).sort()).toEqual(['One', 'Three', 'Two']);
    await again.updatePost(two.id, { title: 'Second' });
    const indexFile = path.join(blogDir(), '.termpress', 'index.json');
    const text = readFileSync(indexFile, 'utf8');
    expect(text).toMatch(/^\{"version":2,"sum":"[0-9a-f]{40}","posts":\{/);
    const titles = Object.entries(JSON.parse(text).posts as Record<string, { summary: { title: string } }>).map(([id, e]) => [
      id,
      e.summary.title,
    ]);
    expect(titles.sort()).toEqual(
      [
        [one.id, 'One'],
        [two.id, 'Second'],
        [three.id, 'Three'],
      ].sort(),
    );
    expect((await (await open()).listPosts()).map((p) => p.title).sort()).toEqual(['One', 'Second', 'Three']);
    expect(readFileSync(indexFile, 'utf8')).toBe(text);
  });
});

describe('the Blog API', () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  it('detects an edit conflict on a field changed since the edit began, keeping the text', async () => {
    dir = tempDir();
    const env = { TERMPRESS_CONFIG_DIR: path.join(dir, 'home') };
    const blog = await openBlog({ blog: path.join(dir, 'b'), env });
    await blog.init();
    const base = await blog.createPost({ title: 'Base', body: 'one' });
    await blog.updatePost(base.id, { body: 'changed elsewhere' });
    // A change to another field since the edit began is not a conflict.
    await expect(blog.updatePost(base.id, { title: 'Mine' }, { base })).resolves.toMatchObject({ changed: ['title'] });
    const error = await blog.updatePost(base.id, { body: 'my text' }, { base, recoveryText: 'my text' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Edit conflict.*\(body\)/);
    const recovery = path.join(dir, 'b', '.termpress', 'recovery');
    const kept = readdirSync(recovery);
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(recovery, kept[0]!), 'utf8')).toBe('my text');
    expect((await blog.getPost(base.id)).body).toBe('changed elsewhere');
  });

  it('names every kept text by one scheme: what it was for, and which post or comment', async () => {
    dir = tempDir();
    const blog = await openBlog({
      blog: path.join(dir, 'b'),
      env: { TERMPRESS_CONFIG_DIR: path.join(dir, 'home') },
      now: () => new Date('2026-11-27T10:00:00Z'),
    });
    await blog.init();
    const kept = await Promise.all([
      blog.keepText({ newPost: 'hello-world' }, 'a'),
      blog.keepText({ post: 'abcd2345' }, 'b'),
      blog.keepText({ newComment: 'hello-world' }, 'c'),
      blog.keepText({ comment: 'efgh6789' }, 'd'),
      blog.keepText({ reply: 'efgh6789' }, 'e'),
    ]);
    expect(kept.map((file) => path.relative(path.join(dir, 'b'), file))).toEqual(
      ['new-post-hello-world', 'post-abcd2345', 'new-comment-hello-world', 'comment-efgh6789', 'reply-efgh6789'].map((name) =>
        path.join('.termpress', 'recovery', `2026-11-27T10-00-00-000Z-${name}.md`),
      ),
    );
    // Replacing a kept file writes over it; only files of the recovery folder are ever dropped.
    expect(await blog.keepText({ post: 'abcd2345' }, 'b again', { replace: kept[1] })).toBe(kept[1]);
    expect(readFileSync(kept[1]!, 'utf8')).toBe('b again');
    expect(await blog.dropKeptText(kept[1]!)).toBe(true);
    expect(await blog.dropKeptText(path.join(dir, 'elsewhere.md'))).toBe(false);
  });

  it('is importable by package name, as a Node script uses it', async () => {
    dir = tempDir();
    const script = `import { openBlog, NotFoundError } from 'termpress';
      const blog = await openBlog({ blog: ${JSON.stringify(path.join(dir, 'lib'))} });
      await blog.init({ title: 'Scripted' });
      const post = await blog.createPost({ title: 'From a script', tags: ['auto'] });
      await blog.publishPost(post.id, { at: new Date('2030-01-01T00:00:00Z') });
      const listed = await blog.listPosts({ status: ['scheduled'] });
      const missing = await blog.getPost('nothing').catch((e) => e instanceof NotFoundError && e.exitCode);
      console.log(JSON.stringify({ slugs: listed.map((p) => p.slug), missing }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, TERMPRESS_CONFIG_DIR: path.join(dir, 'home') },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ slugs: ['from-a-script'], missing: 3 });
  });
});
