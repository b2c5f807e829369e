#!/usr/bin/env node
// Times `termpress comment approve --all` on one post holding N pending comments (default 100,000): the
// post is read, changed and written once, and every comment is reported on its own line. Needs the
// compiled CLI:
//   npm run build && node bench/comments-approve.mjs [--comments 100000] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const count = option('comments', 100_000);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'termpress.js');
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const idOf = (lead, n) => {
  let id = '';
  for (let k = 0, m = n; k < 7; k++, m = Math.floor(m / 32)) id = alphabet[m % 32] + id;
  return `${lead}${id}`;
};

const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-'));
const blog = path.join(root, 'blog');
const env = { ...process.env, TERMPRESS_CONFIG_DIR: path.join(root, 'home'), TERMPRESS_BLOG: blog, CI: 'true' };
const termpress = (...argv) => {
  const result = spawnSync(process.execPath, [bin, ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`termpress ${argv.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};
termpress('init', blog, '--title', 'Bench');
const big = termpress('post', 'create', '--title', 'Busy post', '--status', 'published', '--porcelain').trim();

const file = path.join(blog, 'posts', `${big}.json`);
const post = JSON.parse(readFileSync(file, 'utf8'));
post.comments = Array.from({ length: count }, (_, n) => {
  const at = new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString();
  return {
    id: idOf('c', n),
    parentId: null,
    author: `Reader ${n % 500}`,
    email: `reader${n % 500}@example.com`,
    url: '',
    ip: '192.0.2.1',
    userAgent: 'Mozilla/5.0',
    body: `Comment number ${n}, with a few words to make it look like one.`,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    type: 'comment',
    reasons: ['first comment from this author'],
  };
});
writeFileSync(file, `${JSON.stringify(post, null, 2)}\n`);
const megabytes = (readFileSync(file).length / 1e6).toFixed(1);

const started = process.hrtime.bigint();
const bulk = spawn(process.execPath, [bin, 'comment', 'approve', '--all', '--post', big, '-y'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let lines = 0;
bulk.stdout.on('data', (chunk) => {
  for (const byte of chunk) if (byte === 10) lines++;
});
const code = await new Promise((resolve) => bulk.once('close', resolve));
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (code !== 0) throw new Error(`comment approve --all exited ${code}`);

const after = JSON.parse(readFileSync(file, 'utf8'));
const approved = after.comments.filter((c) => c.status === 'approved').length;
console.log(`comments: ${count} on one post (${megabytes} MB)`);
console.log(`comment approve --all: ${ms.toFixed(0)} ms (${lines} lines reported, ${approved} approved)`);
if (approved !== count || lines !== count) process.exitCode = 1;
if (args.includes('--keep')) console.log(`kept: ${blog}`);
else rmSync(root, { recursive: true, force: true });
