import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError } from '../src/core/errors.js';
import { acquireLock } from '../src/store/lock.js';
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
