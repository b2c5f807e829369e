import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError } from '../core/errors.js';
import { isErrno, storageFailure } from './fsx.js';

// A hand-made lock rather than proper-lockfile: that library judges staleness by age, so a crashed
// process would block every command for its stale period; here the holder's pid is checked, so the
// next command takes over a dead process's lock at once, and a live holder is named in the error.

interface Holder {
  pid: number;
  host: string;
  token: string;
  since: string;
}

export interface LockOptions {
  /** How long to wait for a live holder, in milliseconds. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isErrno(error, 'EPERM');
  }
}

async function readHolder(file: string): Promise<Holder | null | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw storageFailure('read the lock', file, error);
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return typeof holder.pid === 'number' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Creates the file only if it does not exist; false when it does. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw storageFailure('create the lock', file, error);
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether a holder is gone: a dead pid on this host, or a lock file left half-written long ago. */
async function isStale(file: string, holder: Holder | 'unreadable'): Promise<boolean> {
  if (holder === 'unreadable') return (await ageMs(file)) > 2000;
  return holder.host === os.hostname() && !isAlive(holder.pid);
}

/**
 * Removes a stale lock. Only the holder of the takeover guard may remove one, after reading it again,
 * so that two processes cannot both remove locks and then both believe they hold the new one.
 */
async function takeOver(file: string, seen: Holder | 'unreadable'): Promise<void> {
  const guard = `${file}.takeover`;
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'takeover', since: new Date().toISOString() });
  if (!(await createExclusive(guard, me))) {
    const guardHolder = await readHolder(guard);
    if (guardHolder && (await isStale(guard, guardHolder))) await fs.rm(guard, { force: true });
    return;
  }
  try {
    const now = await readHolder(file);
    const same = now === 'unreadable' || seen === 'unreadable' ? now === seen : now !== null && now.token === seen.token;
    if (same) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/** A held lock; release it exactly once. */
export interface Lock {
  release(): Promise<void>;
}

/** Takes the blog's lock, waiting for a live holder up to the timeout; exit 5 names the holder. */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await fs.mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw storageFailure('create the folder of', file, error);
  });
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), token, since: new Date().toISOString() });
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (await createExclusive(file, content)) return heldLock(file, token);
    const holder = await readHolder(file);
    if (holder !== null && (await isStale(file, holder))) {
      await takeOver(file, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder && holder !== 'unreadable' ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
      throw new StorageError(
        `The blog is locked by ${who}; wait for it to finish and retry, or remove ${file} if that process is gone.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 100);
  }
}

function heldLock(file: string, token: string): Lock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const holder = await readHolder(file).catch(() => null);
      // Never remove a lock that someone else took over.
      if (holder && holder !== 'unreadable' && holder.token === token) await fs.rm(file, { force: true });
    },
  };
}
