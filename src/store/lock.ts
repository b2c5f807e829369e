import { promises as fs, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError, TermpressError } from '../core/errors.js';
import { blogFolder } from './confined.js';
import type { ConfinedFolder } from './confined.js';
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

/** A lock file as read: its holder, or the identity of a file that does not parse (left by hand or a crash). */
type Seen = Holder | { unreadable: string };

export interface LockOptions {
  /** How long to wait for a live holder, in milliseconds. */
  timeoutMs?: number;
  /** The blog's folder: no link inside it is followed on the way to the lock. Default: the lock's own folder. */
  root?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** A lock file that does not parse is judged stale after this long (it cannot name a pid to check). */
const UNREADABLE_STALE_MS = 2000;
/** Guards of guards are only needed when a process dies inside a takeover; more than this is a person's job. */
const MAX_TAKEOVER_DEPTH = 3;

/** Whether a process with this pid runs on this machine (EPERM: it does, as someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isErrno(error, 'EPERM');
  }
}

function newToken(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

function holderText(token: string): string {
  return JSON.stringify({ pid: process.pid, host: os.hostname(), token, since: new Date().toISOString() });
}

// The lock's own name is never followed either: a committed `.termpress/lock -> ~/x` is refused by the
// reads below (O_NOFOLLOW), and link() and exclusive creates never write through a name.
async function readHolder(folder: ConfinedFolder, file: string): Promise<Seen | null> {
  let text: string | null;
  try {
    text = await folder.readText(file);
  } catch (error) {
    if (error instanceof TermpressError) throw error;
    throw storageFailure('read the lock', file, error);
  }
  if (text === null) return null;
  try {
    const holder = JSON.parse(text) as Holder;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string' && /^[\w-]+$/.test(holder.token)) return holder;
  } catch {
    // Not a holder: identified below by the file itself.
  }
  try {
    const stat = await fs.lstat(file);
    return { unreadable: `x${stat.ino}-${Math.round(stat.mtimeMs)}-${stat.size}` };
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw storageFailure('read the lock', file, error);
  }
}

/** What names this lock instance: the holder's token, unique per acquisition, or the file's identity. */
function identity(seen: Seen): string {
  return 'unreadable' in seen ? seen.unreadable : seen.token;
}

/**
 * Creates the file with its content only if it does not exist; false when it does. The content is
 * written to a private temp file first and hard-linked into place, so the lock never exists empty: a
 * process killed at any moment leaves either no lock or a whole one naming its pid.
 */
async function createExclusive(file: string, content: string, token: string): Promise<boolean> {
  const temp = `${file}.${token}.tmp`;
  try {
    await fs.writeFile(temp, content, { flag: 'wx' });
    try {
      await fs.link(temp, file);
      return true;
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return false;
      // File systems without hard links: an exclusive create, with a tiny window where it is empty.
      if (isErrno(error, 'EPERM') || isErrno(error, 'ENOTSUP') || isErrno(error, 'EOPNOTSUPP') || isErrno(error, 'ENOSYS')) {
        return await createExclusiveOpen(file, content);
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw storageFailure('create the lock', file, error);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

async function createExclusiveOpen(file: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await fs.lstat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether a holder is gone: a dead pid on this host, or a lock file that does not parse, left long ago. */
async function isStale(file: string, seen: Seen): Promise<boolean> {
  if ('unreadable' in seen) return (await ageMs(file)) > UNREADABLE_STALE_MS;
  return seen.host === os.hostname() && !isAlive(seen.pid);
}

/**
 * Removes a stale lock, the instance `seen` of it and nothing else.
 *
 * Why this is safe: the guard's name carries the identity of the stale instance (its holder's token,
 * unique per acquisition), and it is created exclusively, so at most one process at a time runs the
 * read-compare-remove below for that instance. A stale instance can only leave the lock's place
 * through that section (its holder is dead, and live holders only remove their own token), so a
 * process that enters the section later, even after the guard was removed, reads a different lock
 * and removes nothing: a token never comes back. The remove cannot hit a fresh lock either, because
 * no fresh lock can be created while the stale instance still occupies the name.
 *
 * A process killed inside the section leaves a guard naming a dead pid; the guard is then a stale
 * lock of its own and is removed by the same procedure one level up (guard of the guard). Removing
 * guards by a plain "is its pid dead? then rm" would be unsafe: two processes could both see the
 * dead guard, the first remove it and create its own, and the second then remove that live one.
 */
async function takeOver(folder: ConfinedFolder, file: string, seen: Seen, depth = 0): Promise<void> {
  const guard = `${file}.takeover-${identity(seen)}`;
  const token = newToken();
  if (!(await createExclusive(guard, holderText(token), token))) {
    // Another process is taking this instance over, or died doing so.
    const guardHolder = await readHolder(folder, guard);
    if (guardHolder !== null && depth < MAX_TAKEOVER_DEPTH && (await isStale(guard, guardHolder))) {
      await takeOver(folder, guard, guardHolder, depth + 1);
    }
    return;
  }
  try {
    const now = await readHolder(folder, file);
    if (now !== null && identity(now) === identity(seen)) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/** A file a process that died while taking the lock left beside it. */
export interface LockLeftover {
  file: string;
  pid: number;
  kind: 'temp' | 'takeover';
}

/**
 * What processes that died while taking the lock left beside it, on this machine: their temp files
 * (`<lock>.<token>.tmp`, the token starting with the pid: see createExclusive) and takeover guards
 * (`<lock>.takeover-<identity>`, naming their holder inside: see takeOver). Safe to remove under the lock,
 * where no guard can belong to the current lock.
 */
export async function lockLeftovers(folder: ConfinedFolder, file: string): Promise<LockLeftover[]> {
  const base = path.basename(file);
  const found: LockLeftover[] = [];
  for (const entry of await folder.list(path.dirname(file))) {
    if (!entry.isFile() || !entry.name.startsWith(`${base}.`)) continue;
    const leftover = path.join(path.dirname(file), entry.name);
    const temp = new RegExp(`^${base}(?:\\.takeover-[\\w-]+)*\\.(\\d+)-[a-z0-9]+\\.tmp$`).exec(entry.name);
    if (temp) {
      const pid = Number(temp[1]);
      if (!isAlive(pid)) found.push({ file: leftover, pid, kind: 'temp' });
      continue;
    }
    if (!new RegExp(`^${base}(?:\\.takeover-[\\w-]+)+$`).test(entry.name)) continue;
    const holder = await readHolder(folder, leftover).catch(() => null);
    // Unreadable guards are judged by the lock's own takeover, not here.
    if (holder !== null && !('unreadable' in holder) && (await isStale(leftover, holder)))
      found.push({ file: leftover, pid: holder.pid, kind: 'takeover' });
  }
  return found;
}

/**
 * Removes what dead processes left beside the lock, so that a process killed while taking it (a server
 * stopped by SIGKILL, say) leaves nothing behind once the blog is written again. Only a courtesy: what
 * cannot be removed now is reported by doctor.
 */
async function sweepLeftovers(folder: ConfinedFolder, file: string): Promise<void> {
  try {
    for (const leftover of await lockLeftovers(folder, file)) await fs.rm(leftover.file, { force: true });
  } catch {
    // Left for doctor to report.
  }
}

/** A held lock; release it exactly once. */
export interface Lock {
  release(): Promise<void>;
  /**
   * Whether the lock file is still the one this hold created (one look at the file, not a read): for a
   * lock kept between writes, which a person may have removed meanwhile, and another process taken.
   */
  stillHeld(): Promise<boolean>;
}

/** Takes the blog's lock, waiting for a live holder up to the timeout; exit 5 names the holder. */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<Lock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const folder = blogFolder(options.root ?? path.dirname(file));
  await folder.folder(path.dirname(file), true);
  const token = newToken();
  const content = holderText(token);
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  let waiting: string | null = null;
  let released: ReleaseWatch | undefined;
  try {
    for (;;) {
      if (await createExclusive(file, content, token)) {
        await sweepLeftovers(folder, file);
        return heldLock(folder, file, token, await fileIdentity(file));
      }
      waiting ??= await announceWaiting(file, token, content);
      const holder = await readHolder(folder, file);
      if (holder !== null && (await isStale(file, holder))) {
        await takeOver(folder, file, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const who =
          holder && !('unreadable' in holder) ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
        throw new StorageError(`The blog is locked by ${who}; wait for it to finish and retry, or remove ${file} if that process is gone.`);
      }
      if (released === undefined) {
        // Let go before the watch began, maybe: tried again at once.
        released = watchRelease(file, (changed) => changed === path.basename(file));
        continue;
      }
      await released.sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  } finally {
    released?.close();
    if (waiting) await fs.rm(waiting, { force: true }).catch(() => undefined);
  }
}

/** A wait for the lock that ends when the lock file is removed or replaced, or after a while. */
interface ReleaseWatch {
  sleep(ms: number): Promise<void>;
  close(): void;
}

/**
 * Watches the lock's folder, so that a process waiting for the lock tries again as soon as its holder
 * lets go rather than at its next poll: a holder that lets go and takes the lock back at once (a
 * server taking a burst of comments) leaves a gap of a few milliseconds, which polls every 100 ms
 * or so would mostly miss, and a poll that comes late keeps the writers behind it waiting. The polls
 * stay, for what a watch does not tell (a file system that does not support it, a lost event).
 */
function watchRelease(file: string, matters: (name: string) => boolean): ReleaseWatch {
  let wake: (() => void) | undefined;
  let changed = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(file), { persistent: false }, (_event, changedName) => {
      if (changedName !== null && !matters(String(changedName))) return;
      changed = true;
      wake?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // Not watchable: the polls alone.
  }
  return {
    async sleep(ms) {
      if (changed) {
        changed = false;
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms);
      });
      clearTimeout(timer);
      wake = undefined;
      changed = false;
    },
    close() {
      watcher?.close();
    },
  };
}

// Waiting processes say so in a file of their own beside the lock (lock.wait-<token>, naming their
// pid), so that a long run of writes can let them in between its writes; see letWaitersIn.
const WAIT_MARK = '.wait-';

/** Marks this process as waiting for the lock; the mark is only a courtesy, so failing to write it is no error. */
async function announceWaiting(file: string, token: string, content: string): Promise<string> {
  const mark = `${file}${WAIT_MARK}${token}`;
  // 'wx' never writes through a link that might stand where the mark goes.
  await fs.writeFile(mark, content, { flag: 'wx' }).catch(() => undefined);
  return mark;
}

/** How many live processes wait for the lock; the marks of dead ones are removed on the way. */
export async function waitingFor(folder: ConfinedFolder, file: string): Promise<number> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}${WAIT_MARK}`;
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((name) => name.startsWith(prefix));
  } catch {
    return 0; // No folder, no waiters; the lock itself reports what is wrong with the folder.
  }
  let live = 0;
  for (const name of names) {
    const mark = path.join(dir, name);
    const seen = await readHolder(folder, mark).catch(() => null);
    if (seen === null) continue;
    if (await isStale(mark, seen)) await fs.rm(mark, { force: true }).catch(() => undefined);
    else live++;
  }
  return live;
}

/**
 * Waits, at most maxMs, until no live process waits for the lock. A run of many writes calls this
 * before taking the lock again: released and taken back at once, the lock would almost never be free
 * when a waiting process polls for it (every 100 to 200 ms), and that process would time out with
 * exit 5 however short each write is.
 */
export async function letWaitersIn(folder: ConfinedFolder, file: string, maxMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + maxMs;
  if ((await waitingFor(folder, file)) === 0) return;
  // A waiter takes its mark away once it has the lock: looked for again when a mark goes, or after a while.
  const marks = `${path.basename(file)}${WAIT_MARK}`;
  const gone = watchRelease(file, (name) => name.startsWith(marks));
  try {
    while ((await waitingFor(folder, file)) > 0 && Date.now() < deadline) await gone.sleep(10);
  } finally {
    gone.close();
  }
}

function heldLock(folder: ConfinedFolder, file: string, token: string, identity: string | null): Lock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const holder = await readHolder(folder, file).catch(() => null);
      // Never remove a lock that someone else took over.
      if (holder && !('unreadable' in holder) && holder.token === token) await fs.rm(file, { force: true });
    },
    async stillHeld() {
      return !released && identity !== null && (await fileIdentity(file)) === identity;
    },
  };
}

/** What tells one lock file from another made in its place: its inode, birth and change times, size (null when there is none). */
async function fileIdentity(file: string): Promise<string | null> {
  const stat = await fs.lstat(file).catch(() => null);
  return stat?.isFile() ? `${stat.ino}:${stat.birthtimeMs}:${stat.ctimeMs}:${stat.size}` : null;
}
