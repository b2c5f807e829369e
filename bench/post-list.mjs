#!/usr/bin/env node
// Times `termpress post list` on a generated blog of N posts (default 10,000): the first run builds the
// index, the later ones read it. Usage: npm run bench [-- --posts 10000 --runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const posts = option('posts', 10000);
const runs = option('runs', 5);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'termpress.js');

const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-'));
const blog = path.join(root, 'blog');
const env = { ...process.env, TERMPRESS_CONFIG_DIR: path.join(root, 'home'), TERMPRESS_BLOG: blog, CI: 'true' };
spawnSync(process.execPath, [bin, 'init', blog], { env, stdio: 'inherit' });
mkdirSync(path.join(blog, 'posts'), { recursive: true });
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const body = 'Lorem ipsum dolor sit amet. '.repeat(200);
for (let i = 0; i < posts; i++) {
  let id = '';
  for (let n = i, k = 0; k < 8; k++, n = Math.floor(n / 32)) id = alphabet[n % 32] + id;
  const at = new Date(Date.UTC(2020, 0, 1) + i * 3600_000).toISOString();
  const post = {
    id, slug: `post-number-${i}`, title: `Post number ${i}`, author: 'Bench', status: i % 3 ? 'published' : 'draft',
    categories: [`cat-${i % 10}`], tags: [`tag-${i % 50}`], excerpt: '', body, format: 'markdown',
    createdAt: at, updatedAt: at, publishedAt: i % 3 ? at : null, commentStatus: 'open', sticky: false, revision: 1, comments: [],
  };
  writeFileSync(path.join(blog, 'posts', `${id}.json`), `${JSON.stringify(post, null, 2)}\n`);
}

function time(label, argv) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...argv], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cold = time('cold', ['post', 'list', '--format', 'count']);
const warm = Array.from({ length: runs }, () => time('warm', ['post', 'list', '--format', 'count']));
const table = Array.from({ length: runs }, () => time('table', ['post', 'list', '--status', 'published', '--limit', '20']));
const startup = Array.from({ length: runs }, () => time('startup', ['--version']));
console.log(`posts: ${posts}`);
console.log(`termpress --version (startup):         ${median(startup).toFixed(0)} ms`);
console.log(`post list, no index yet (parses all): ${cold.toFixed(0)} ms`);
console.log(`post list --format count (index):     ${median(warm).toFixed(0)} ms (median of ${runs})`);
console.log(`post list --limit 20 table (index):   ${median(table).toFixed(0)} ms (median of ${runs})`);
if (args.includes('--keep')) console.log(`kept: ${blog}`);
else rmSync(root, { recursive: true, force: true });
