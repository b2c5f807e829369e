import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Sandbox } from './helpers/cli.js';

// Faults the machine throws at termpress, injected into the real built binary with a preload module
// (node --import, written per test below): termpress's own atomic writes on the real file system, with
// one system call made to fail the way a full disk, a read-only mount or a concurrent delete makes it
// fail. Nothing in termpress knows about the injection. Tests run as root, where chmod cannot make a
// folder read-only, which is why the read-only case is injected too.

const FAULTS = String.raw`
import fs from 'node:fs';
import path from 'node:path';
const [op, code] = (process.env.TP_FAULT ?? '').split(':');
const under = process.env.TP_FAULT_UNDER ?? '/nonexistent';
const inside = (p) => typeof p === 'string' && path.resolve(p).startsWith(under);
const fault = (syscall, p) => Object.assign(new Error(code + ': injected fault, ' + syscall + " '" + p + "'"), { code, syscall, path: p });
const writes = (flags) => typeof flags === 'string' && /[wa+]/.test(flags);
const P = fs.promises;

if (op === 'write') {
  // A disk that fills up part-way through a file's content: half is written, then the error.
  fs.write = function (fd, data, ...rest) {
    const cb = rest[rest.length - 1];
    try { fs.writeSync(fd, typeof data === 'string' ? data.slice(0, Math.ceil(data.length / 2)) : data.subarray(0, Math.ceil(data.length / 2))); } catch {}
    process.nextTick(cb, fault('write', 'fd ' + fd));
  };
  // The same through a FileHandle (fs.promises), which does not go through fs.write.
  const probe = await P.open(process.execPath, 'r');
  const FileHandle = Object.getPrototypeOf(probe);
  await probe.close();
  const half = (data) => { const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer ?? data, data.byteOffset ?? 0, data.byteLength ?? data.length); return bytes.subarray(0, Math.ceil(bytes.length / 2)); };
  const origWrite = FileHandle.write;
  FileHandle.writeFile = async function (data) { try { await origWrite.call(this, half(data)); } catch {} throw fault('write', 'fd ' + this.fd); };
  FileHandle.write = async function (data) { try { await origWrite.call(this, half(data)); } catch {} throw fault('write', 'fd ' + this.fd); };
}
if (op === 'writeFile') {
  const orig = P.writeFile;
  P.writeFile = async (file, ...rest) => { if (inside(file)) throw fault('open', file); return orig(file, ...rest); };
}
if (op === 'readonly') {
  // Everything under the blog may be read, nothing created, changed or removed.
  const guard = (name, pick = (a) => a[0]) => {
    const orig = P[name];
    P[name] = async (...args) => { if (inside(pick(args)) && !(name === 'open' && !writes(args[1] ?? 'r')) && !(name === 'mkdir' && fs.existsSync(args[0]))) throw fault(name, pick(args)); return orig.apply(P, args); };
  };
  for (const name of ['writeFile', 'open', 'mkdir', 'link', 'rename', 'rm', 'unlink', 'utimes', 'lutimes', 'copyFile', 'appendFile']) guard(name);
  const origOpen = fs.open;
  fs.open = function (file, flags, ...rest) {
    if (inside(file) && writes(flags)) { const cb = rest[rest.length - 1]; return process.nextTick(cb, fault('open', file)); }
    return origOpen.call(fs, file, flags, ...rest);
  };
}
if (op === 'vanish-read') {
  // The post file is deleted by someone else just as this process reads it.
  const target = process.env.TP_FAULT_FILE;
  for (const name of ['readFile', 'open']) {
    const orig = P[name];
    P[name] = async (file, ...rest) => {
      if (typeof file === 'string' && path.resolve(file) === target && fs.existsSync(target)) fs.unlinkSync(target);
      return orig.call(P, file, ...rest);
    };
  }
}
if (op === 'vanish-temp') {
  // The temp file of an atomic write is removed (by a cleaner, a person) before it is renamed into place.
  const orig = fs.rename;
  fs.rename = function (from, to, cb) {
    if (inside(to)) { try { fs.unlinkSync(from); } catch {} }
    return orig.call(fs, from, to, cb);
  };
  const origP = P.rename;
  P.rename = async (from, to) => {
    if (inside(to)) { try { fs.unlinkSync(from); } catch {} }
    return origP.call(P, from, to);
  };
}
`;

let sb: Sandbox;
let blog: string;
let preload: string;
let postId: string;

function faultEnv(op: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`, TP_FAULT: op, TP_FAULT_UNDER: blog, ...extra };
}

/** Every file of the blog but the private cache, as path -> hash: what "the previous data intact" means. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const rel = path.relative(blog, file);
      if (rel === '.termpress') continue;
      if (statSync(file).isDirectory()) walk(file);
      else out[rel] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  };
  walk(blog);
  return out;
}

beforeAll(() => {
  sb = new Sandbox();
  blog = path.join(sb.root, 'blog');
  preload = path.join(sb.root, 'faults.mjs');
  writeFileSync(preload, FAULTS);
  sb.env.TERMPRESS_BLOG = blog;
  sb.ok(['init', blog, '--title', 'Faults']);
  postId = sb.ok(['post', 'create', '--title', 'Kept safe', '--body', 'The original body.', '--status', 'published', '--porcelain']).trim();
  sb.ok(['comment', 'add', postId, '--author', 'Ann', '--email', 'ann@example.com', '--body', 'First!', '--approve']);
});
afterAll(() => sb.cleanup());

function expectIntactAfter(before: Record<string, string>): void {
  expect(snapshot()).toEqual(before);
  // Whatever the write left half-done was cleaned up: no temp file beside the posts.
  expect(readdirSync(path.join(blog, 'posts')).filter((n) => !n.endsWith('.json'))).toEqual([]);
  expect(sb.ok(['post', 'show', postId, '--format', 'json'])).toContain('The original body.');
}

describe('a full disk (ENOSPC)', () => {
  test.each([
    ['post edit', () => ['post', 'edit', postId, '--body', 'A new body that will not fit.']],
    ['post create', () => ['post', 'create', '--title', 'No room']],
    ['comment add', () => ['comment', 'add', postId, '--author', 'Bob', '--email', 'bob@example.com', '--body', 'Hello', '--approve']],
    ['post publish --at', () => ['post', 'publish', postId, '--at', '2026-01-01']],
  ])('in the middle of writing a file: %s exits 5 saying the disk is full, and nothing changed', (_name, args) => {
    const before = snapshot();
    const result = sb.run(args(), { env: faultEnv('write:ENOSPC') });
    expect(result).toMatchObject({ code: 5, stdout: '' });
    expect(result.stderr).toMatch(
      /^error: Cannot write \/\S+\/blog\/posts\/[a-z0-9]{8}\.json: the disk is full; free some space and retry\.\n$/,
    );
    expectIntactAfter(before);
  });

  test('before the lock can even be written: exit 5 naming the lock, nothing changed, no lock left', () => {
    const before = snapshot();
    const result = sb.run(['post', 'edit', postId, '--title', 'Nope'], { env: faultEnv('writeFile:ENOSPC') });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Cannot create the lock .*\.termpress\/lock: the disk is full/);
    expectIntactAfter(before);
    expect(existsSync(path.join(blog, '.termpress', 'lock'))).toBe(false);
  });
});

describe('a read-only blog folder', () => {
  test('reading still works: post list, post show, comment list', () => {
    const env = faultEnv('readonly:EROFS');
    expect(sb.run(['post', 'list', '--format', 'ids'], { env })).toMatchObject({ code: 0, stdout: `${postId}\n` });
    expect(sb.run(['post', 'show', postId], { env }).code).toBe(0);
    expect(sb.run(['comment', 'list', '--format', 'count'], { env })).toMatchObject({ code: 0, stdout: '1\n' });
  });

  test.each([
    ['post edit', () => ['post', 'edit', postId, '--body', 'Changed']],
    ['post create', () => ['post', 'create', '--title', 'Read-only']],
    ['comment add', () => ['comment', 'add', postId, '--author', 'Cy', '--email', 'cy@example.com', '--body', 'Hi', '--approve']],
    ['config set', () => ['config', 'set', 'title', 'New title']],
  ])('%s exits 5 saying the file system is read-only, and nothing changed', (_name, args) => {
    const before = snapshot();
    const result = sb.run(args(), { env: faultEnv('readonly:EROFS') });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: Cannot .*: the file system is read-only; mount it writable or copy the blog elsewhere\.\n$/);
    expectIntactAfter(before);
  });
});

describe('a file that vanishes', () => {
  test('a post deleted between listing the folder and reading it is simply not listed', () => {
    const other = sb.ok(['post', 'create', '--title', 'Short-lived', '--porcelain']).trim();
    const file = path.join(blog, 'posts', `${other}.json`);
    // Make the index distrust the file, so that the listing has to read it.
    writeFileSync(path.join(blog, '.termpress', 'index.json'), '{}');
    const result = sb.run(['post', 'list', '--format', 'ids'], { env: faultEnv('vanish-read:ENOENT', { TP_FAULT_FILE: file }) });
    expect(result).toMatchObject({ code: 0, stdout: `${postId}\n`, stderr: '' });
    expect(existsSync(file)).toBe(false);
    expect(sb.run(['post', 'show', other])).toMatchObject({ code: 3 });
  });

  test('a write whose temp file vanishes before the rename exits 5, and the post keeps its previous content', () => {
    const before = snapshot();
    const result = sb.run(['post', 'edit', postId, '--body', 'Lost temp'], { env: faultEnv('vanish-temp:ENOENT') });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: Cannot write \/\S+\/blog\/posts\/[a-z0-9]{8}\.json: ENOENT: no such file or directory, rename/);
    expectIntactAfter(before);
  });
});

describe('a lock that cannot be had', () => {
  let holder: ChildProcess;
  afterEach(() => {
    holder?.kill('SIGKILL');
  });

  test("a live holder: exit 5 naming its pid after the wait, the data and the holder's lock left alone", async () => {
    holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((resolve) => holder.once('spawn', resolve));
    const lockFile = path.join(blog, '.termpress', 'lock');
    const lock = JSON.stringify({ pid: holder.pid, host: os.hostname(), token: 'held-by-test', since: '2026-11-27T10:00:00.000Z' });
    writeFileSync(lockFile, lock);
    const before = snapshot();
    const result = sb.run(['post', 'edit', postId, '--body', 'Waited'], { env: { TERMPRESS_LOCK_TIMEOUT_MS: '600' } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`The blog is locked by process ${holder.pid} on ${os.hostname()} since 2026-11-27T10:00:00.000Z`);
    expect(readFileSync(lockFile, 'utf8')).toBe(lock);
    expectIntactAfter(before);
    // Once the holder is gone, the next command takes the lock over without waiting for it: with a
    // 600 ms wait it would otherwise fail as above.
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    sb.ok(['post', 'edit', postId, '--excerpt', 'After the holder died'], { env: { TERMPRESS_LOCK_TIMEOUT_MS: '600' } });
    expect(existsSync(lockFile)).toBe(false);
  });
});
