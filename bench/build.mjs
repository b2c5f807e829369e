#!/usr/bin/env node
// Times `termpress build` through the CLI, as users run it, on a generated blog (bench/blogs.mjs, as npm run bench),
// each figure alternately with its reference in the same run:
//   cold (`build --clean`)            against `hugo` on the same posts (its site made by bench/blogs.mjs), when installed
//   nothing changed (`build`)         against `node -e ''`
//   one comment approved, then build  against `node -e ''`
// and `termpress --version` for the start-up both of the latter include. Prints medians and ratios.
//   npm run build && node bench/build.mjs [--posts 1000] [--runs 5] [--keep] [--bin other/bin/termpress.js]
// (--bin times another termpress, such as an earlier checkout's, on the same blog.) Where /proc tells it (Linux),
// each figure also shows its median CPU time (user + system, every thread), which a loaded machine disturbs less.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, copyBlog, envFor, generateBlog, hugoSite as cachedHugoSite, idOf, termpress } from './blogs.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const posts = option('posts', 1000);
const runs = option('runs', 5);
const binAt = args.indexOf('--bin');
const bin = binAt >= 0 ? path.resolve(args[binAt + 1]) : BIN;

const spec = { posts, words: 700 };
const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-build-'));
const blog = copyBlog(generateBlog(spec), root);
const env = envFor(blog);
const hasHugo = spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
const hugoSite = hasHugo ? cachedHugoSite(spec) : null;

/** CPU milliseconds (user + system) of this process's finished children, where /proc tells it (Linux); else null. */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime, fields 16 and 17 of stat(5), in clock ticks (100 a second on Linux).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return null;
  }
}
const cpu = new Map();

/** Wall-clock milliseconds of one run of a command (its CPU time kept in `cpu` under `label`); throws when it fails. */
function time(command, argv, options = {}, label = undefined) {
  const cpuBefore = childrenCpu();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, argv, { env, encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${result.stderr}`);
  const cpuAfter = childrenCpu();
  if (label !== undefined && cpuBefore !== null && cpuAfter !== null) cpu.set(label, [...(cpu.get(label) ?? []), cpuAfter - cpuBefore]);
  return ms;
}
const node = () => time(process.execPath, ['-e', ''], {}, 'node');
const build = (label, ...extra) => time(process.execPath, [bin, 'build', '-q', ...extra], {}, label);
const hugo = () => time('hugo', ['--quiet', '-s', hugoSite, '-d', path.join(root, 'hugo-public'), '--cleanDestinationDir'], {}, 'hugo');

const samples = { cold: [], hugo: [], unchanged: [], node: [], comment: [], version: [] };
// The first build makes the index and the site; every figure below is of a blog that has been built.
build('first');
// A post near the newest, whose page, lists and feeds a new comment changes.
const postId = idOf(posts - 3);
for (let run = 0; run < runs; run++) {
  samples.cold.push(build('cold', '--clean'));
  if (hasHugo) samples.hugo.push(hugo());
  samples.node.push(node());
  samples.unchanged.push(build('unchanged'));
  samples.version.push(time(process.execPath, [bin, '--version']));
  termpress(blog, [
    'comment',
    'add',
    postId,
    '--author',
    'Editor',
    '--email',
    'editor@example.com',
    '--body',
    `Comment ${run} from the bench.`,
    '--approve',
    '--porcelain',
  ]);
  samples.node.push(node());
  samples.comment.push(build('comment'));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpuOf = (label) => (cpu.has(label) ? `  (cpu ${median(cpu.get(label)).toFixed(0)} ms)` : '');
const ms = (values, label) => `${median(values).toFixed(0).padStart(6)} ms${label ? cpuOf(label) : ''}`;
const ratio = (a, b) => `${(median(a) / median(b)).toFixed(2)}×`;
console.log(
  `${posts} posts, ${runs} runs each, medians (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}, load ${os.loadavg()[0].toFixed(1)})`,
);
console.log(`node -e ''                      ${ms(samples.node, 'node')}`);
console.log(`termpress --version             ${ms(samples.version)}  ${ratio(samples.version, samples.node)} node`);
console.log(
  `build --clean (cold)            ${ms(samples.cold, 'cold')}${hasHugo ? `  ${ratio(samples.cold, samples.hugo)} hugo${cpu.has('hugo') ? `, cpu ${ratio(cpu.get('cold'), cpu.get('hugo'))}` : ''}` : ''}`,
);
if (hasHugo) console.log(`hugo (same posts)               ${ms(samples.hugo, 'hugo')}`);
console.log(`build, nothing changed          ${ms(samples.unchanged, 'unchanged')}  ${ratio(samples.unchanged, samples.node)} node`);
console.log(`build after one comment         ${ms(samples.comment, 'comment')}  ${ratio(samples.comment, samples.node)} node`);
if (args.includes('--keep')) console.log(`kept: ${root}`);
else rmSync(root, { recursive: true, force: true });
