#!/usr/bin/env node
// Makes the V8 code cache of the one-file CLI (see bin/load-cli.js), run by scripts/bundle.mjs in a
// process of its own: compiles dist/bundle/cli.cjs, runs the commands people and scripts run most on
// a blog made for the purpose (so that the cache holds the code they run, compiled), then writes it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_CACHE_FILE, compileCli } from '../bin/load-cli.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'termpress-code-cache-'));
const blog = path.join(work, 'blog');
// Nothing of the user's (or of the folder it was started in) is read or written.
process.chdir(work);
Object.assign(process.env, { TERMPRESS_CONFIG_DIR: path.join(work, 'config'), TERMPRESS_BLOG: blog, CI: 'true', NO_COLOR: '1' });
delete process.env.TERMPRESS_NOW;

const { script, cli } = compileCli(undefined);
const run = async (...words) => {
  const code = await cli.main(['node', 'termpress', ...words]);
  if (code !== 0) throw new Error(`termpress ${words.join(' ')} exited ${code} while making the code cache`);
};
try {
  await run('init', '--blog', blog, '--title', 'Cache', '--no-input');
  await run('post', 'create', '--title', 'Hello', '--body', 'Hello.', '--porcelain');
  await run('post', 'list');
  await run('post', 'publish', 'hello');
  await run('comment', 'add', 'hello', '--author', 'Reader', '--email', 'reader@example.org', '--body', 'Thanks.', '--porcelain');
  await run('comment', 'list', '--status', 'pending');
  const [file] = readdirSync(path.join(blog, 'posts'));
  const [comment] = JSON.parse(readFileSync(path.join(blog, 'posts', file), 'utf8')).comments;
  await run('comment', comment.status === 'pending' ? 'approve' : 'unapprove', comment.id);
  writeFileSync(CODE_CACHE_FILE, script.createCachedData());
} finally {
  rmSync(work, { recursive: true, force: true });
}
