import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError } from '../src/core/errors.js';
import { openBlog } from '../src/api/blog.js';
import { acquireLock } from '../src/store/lock.js';
import { BlogStore } from '../src/store/store.js';
import { removeDir, tempDir } from './helpers/cli.js';

// The blog lock under contention, with dead holders and with processes that died in the middle of a
// takeover. Acquirers run in one process here, so the interleavings are many and fast; the stress
// tests do the same with real processes killed at random.

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

function holder(pid: number, token: string): string {
  return JSON.stringify({ pid, host: os.hostname(), token, since: new Date().toISOString() });
}

let dir: string;
let lockFile: string;
beforeEach(() => {
  dir = tempDir('termpress-lock-');
  lockFile = path.join(dir, '.termpress', 'lock');
});
afterEach(() => removeDir(dir));

/** Runs `count` acquirers at once; each holds the lock over a few awaits and counts who else is inside. */
async function contend(count: number): Promise<{ maxInside: number; done: number }> {
  let inside = 0;
  let maxInside = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      const lock = await acquireLock(lockFile, { timeoutMs: 20000 });
      inside++;
      maxInside = Math.max(maxInside, inside);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      inside--;
      done++;
      await lock.release();
    }),
  );
  return { maxInside, done };
}

describe('the blog lock', () => {
  test('a lock left by a dead process is taken over at once', async () => {
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, holder(deadPid(), 'dead-1'));
    // A wait of 100 ms: had the dead holder been waited for, this would fail with exit 5.
    const lock = await acquireLock(lockFile, { timeoutMs: 100 });
    expect(JSON.parse(await fs.readFile(lockFile, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    await expect(fs.readdir(path.dirname(lockFile))).resolves.toEqual([]);
  });

  test('a live holder is waited for, then exit 5 names its pid, and its lock is left alone', async () => {
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    const live = holder(process.pid, 'someone-else');
    await fs.writeFile(lockFile, live);
    const failure = acquireLock(lockFile, { timeoutMs: 300 });
    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toThrow(new RegExp(`locked by process ${process.pid} on `));
    expect(await fs.readFile(lockFile, 'utf8')).toBe(live);
  });

  test('a live holder that lets go during the wait hands the lock over', async () => {
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, holder(process.pid, 'about-to-release'));
    const waiting = acquireLock(lockFile, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await fs.rm(lockFile);
    const lock = await waiting;
    expect(JSON.parse(await fs.readFile(lockFile, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  test('a lock that does not parse is taken over once it is old, not while it may be being written', async () => {
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, '');
    await expect(acquireLock(lockFile, { timeoutMs: 200 })).rejects.toThrow(/locked by another process/);
    const old = new Date(Date.now() - 10_000);
    await fs.utimes(lockFile, old, old);
    const lock = await acquireLock(lockFile, { timeoutMs: 1000 });
    await lock.release();
  });

  test('one holder at a time among many acquirers, with no lock at the start', async () => {
    expect(await contend(40)).toEqual({ maxInside: 1, done: 40 });
  });

  test.each([
    [
      'a dead holder',
      async () => {
        await fs.writeFile(lockFile, holder(deadPid(), 'dead-a'));
      },
    ],
    [
      'a dead holder and a process that died while taking it over',
      async () => {
        await fs.writeFile(lockFile, holder(deadPid(), 'dead-b'));
        await fs.writeFile(`${lockFile}.takeover-dead-b`, holder(deadPid(), 'dead-guard'));
        await fs.writeFile(`${lockFile}.takeover`, holder(deadPid(), 'dead-old-guard'));
      },
    ],
    [
      'a dead holder, a dead taker-over and a dead taker-over of the taker-over',
      async () => {
        await fs.writeFile(lockFile, holder(deadPid(), 'dead-c'));
        await fs.writeFile(`${lockFile}.takeover-dead-c`, holder(deadPid(), 'dead-g1'));
        await fs.writeFile(`${lockFile}.takeover-dead-c.takeover-dead-g1`, holder(deadPid(), 'dead-g2'));
      },
    ],
  ])('one holder at a time when the lock starts with %s', async (_name, setup) => {
    for (let round = 0; round < 4; round++) {
      await fs.rm(path.dirname(lockFile), { recursive: true, force: true });
      await fs.mkdir(path.dirname(lockFile), { recursive: true });
      await setup();
      expect(await contend(20)).toEqual({ maxInside: 1, done: 20 });
      // Nothing of the takeover is left behind but what the old code named (which nothing reads now).
      const left = (await fs.readdir(path.dirname(lockFile))).filter((name) => name !== 'lock.takeover');
      expect(left).toEqual([]);
    }
  });
});

describe('a lock kept between holds (a comment server taking one burst of comments after another)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let blogDir: string;
  beforeEach(async () => {
    blogDir = path.join(dir, 'blog');
    await (await openBlog({ blog: blogDir, env: { TERMPRESS_CONFIG_DIR: path.join(dir, 'home') } })).init({ title: 'Kept' });
  });
  const store = () => new BlogStore(blogDir, { lock: { timeoutMs: 5000 } });
  const lockOf = () => path.join(blogDir, '.termpress', 'lock');
  const exists = (file: string) =>
    fs.lstat(file).then(
      () => true,
      () => false,
    );

  it('stays held until it is let go, and serves the next hold of the same store', async () => {
    const server = store();
    await server.withLock(async () => undefined, { keep: true });
    expect(await exists(lockOf())).toBe(true);
    await server.withLock(async () => undefined, { afterWaiters: true, keep: true });
    await server.letGoOfLock();
    expect(await exists(lockOf())).toBe(false);
  });

  it('lets a process that waits for it in before the next hold', async () => {
    const server = store();
    const order: string[] = [];
    await server.withLock(async () => void order.push('server 1'), { keep: true });
    // Another process's hold: it waits, says so beside the lock, and gets it before the server's next.
    const other = store().withLock(async () => void order.push('other'));
    while ((await fs.readdir(path.dirname(lockOf()))).every((name) => !name.startsWith('lock.wait-'))) await sleep(5);
    await server.withLock(async () => void order.push('server 2'), { afterWaiters: true, keep: true });
    await other;
    await server.letGoOfLock();
    expect(order).toEqual(['server 1', 'other', 'server 2']);
  });

  it('is not used once it was removed by hand and another took the lock: the next hold waits for that one', async () => {
    const server = store();
    await server.withLock(async () => undefined, { keep: true });
    await fs.rm(lockOf());
    const order: string[] = [];
    let finish!: () => void;
    const other = store().withLock(async () => {
      order.push('other begins');
      await new Promise<void>((resolve) => (finish = resolve));
      order.push('other ends');
    });
    while (!order.includes('other begins')) await sleep(5);
    const next = server.withLock(async () => void order.push('server'), { afterWaiters: true, keep: true });
    await sleep(100);
    finish();
    await Promise.all([other, next]);
    await server.letGoOfLock();
    expect(order).toEqual(['other begins', 'other ends', 'server']);
    expect(await exists(lockOf())).toBe(false);
  });

  it('is not kept from a hold of the same store that waits for it', async () => {
    const server = store();
    let release!: () => void;
    const first = server.withLock(() => new Promise<void>((resolve) => (release = resolve)), { keep: true });
    while (release === undefined) await sleep(5);
    const second = server.withLock(async () => 'second');
    await sleep(50);
    release();
    await first;
    expect(await second).toBe('second');
    expect(await exists(lockOf())).toBe(false);
  });
});
