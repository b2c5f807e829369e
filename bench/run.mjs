#!/usr/bin/env node
// termpress's benchmark: each figure is timed alternately with its reference (`node -e ''`, or hugo
// when installed) in the same run, and the table gives medians, their ratio and the issue's goal.
// Peak memory (max RSS) is measured with /usr/bin/time when it is there.
//   npm run bench [-- --quick] [-- --runs N] [-- --only text,text] [-- --no-write]
// Blogs are generated once and cached under the system's temp folder (see blogs.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, CACHE, copyBlog, envFor, generateBlog, hugoSite, idOf, termpress } from './blogs.mjs';
import { hexoSite, hexoTool } from './hexo.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option('runs', quick ? 3 : 11));
// --only a,b: only the figures whose names hold one of these texts.
const only = option('only', undefined)?.split(',');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || null;
const HUGO = which('hugo');

const work = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-run-'));
const notes = [];
const log = (text) => process.stderr.write(`${text}\n`);

/** Runs one command once: wall time in ms and max RSS in MB (null without /usr/bin/time). */
function measure(command, argv, env) {
  const rssFile = path.join(work, 'rss');
  const [file, list] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, command, ...argv]] : [command, argv];
  const started = process.hrtime.bigint();
  const result = spawnSync(file, list, { env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (${result.status}): ${result.stderr.slice(0, 500)}`);
  const rss = TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : null;
  return { ms, rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const NODE_REF = { label: "node -e ''", command: process.execPath, argv: () => ['-e', ''] };

/**
 * Times a figure: `before` (untimed) then the command, alternating with the reference, the order of
 * the two swapped each round so that neither always runs on a warmer machine.
 */
function figure({ name, blog, argv, before, ref = NODE_REF, goal, runs = RUNS, env }) {
  if (only && !only.some((text) => name.includes(text))) return;
  log(`- ${name}`);
  const mine = [];
  const theirs = [];
  const environment = env ?? envFor(blog);
  // One untimed round of each: the files are in the page cache, as for a person who just used the blog.
  before?.(-1);
  measure(process.execPath, [BIN, ...argv(-1)], environment);
  measure(ref.command, ref.argv(-1), environment);
  for (let i = 0; i < runs; i++) {
    before?.(i);
    const pair = [
      () => mine.push(measure(process.execPath, [BIN, ...argv(i)], environment)),
      () => theirs.push(measure(ref.command, ref.argv(i), environment)),
    ];
    if (i % 2) pair.reverse();
    for (const run of pair) run();
  }
  rows.push({
    name,
    ms: median(mine.map((m) => m.ms)),
    ref: ref.label,
    refMs: median(theirs.map((m) => m.ms)),
    rss: TIME ? Math.max(...mine.map((m) => m.rss)) : null,
    refRss: TIME ? Math.max(...theirs.map((m) => m.rss)) : null,
    goal,
  });
}

const rows = [];

// The blogs: 1,000 and 10,000 posts of about 700 words (a few comments each, some pending on the newest
// posts); 100,000 posts of 200 words; 10,000 posts of 200 words with 100 comments each (a million).
log('Generating (or reusing) the blogs ...');
const small = { posts: 1000, words: 700, pendingPosts: 40 };
const medium = { posts: 10000, words: 700, pendingPosts: 40 };
const large = { posts: 100000, words: 200 };
const crowded = { posts: 10000, words: 200, comments: 100, pendingPosts: 20 };
const blog1k = generateBlog(small);
const blog10k = generateBlog(medium);
const blog100k = generateBlog(large);
const blog1m = generateBlog(crowded);

// Start-up and listing.
figure({ name: 'termpress --version', blog: blog10k, argv: () => ['--version'], goal: 1.5 });
figure({ name: 'post list --limit 20 (10,000 posts)', blog: blog10k, argv: () => ['post', 'list', '--limit', '20'], goal: 1.5 });
figure({ name: 'post list --limit 20 (100,000 posts)', blog: blog100k, argv: () => ['post', 'list', '--limit', '20'], goal: 3 });
figure({
  name: 'comment list --status pending --limit 20 (1,000,000 comments)',
  blog: blog1m,
  argv: () => ['comment', 'list', '--status', 'pending', '--limit', '20'],
  goal: 2,
});

// Writes on a copy of the 10,000-post blog.
const writable = copyBlog(blog10k, path.join(work, 'writes'));
const drafts = [];
figure({
  name: 'post create (10,000 posts)',
  blog: writable,
  argv: (i) => ['post', 'create', '--title', `Bench post ${i + 2}`, '--body', 'A short body.', '--porcelain'],
  goal: 1.5,
});
if (!only || only.some((text) => 'post publish (10,000 posts)'.includes(text))) {
  for (let i = -1; i < RUNS; i++)
    drafts.push(termpress(writable, ['post', 'create', '--title', `Draft ${i + 2}`, '--body', 'Draft body.', '--porcelain']).trim());
}
figure({ name: 'post publish (10,000 posts)', blog: writable, argv: (i) => ['post', 'publish', drafts[i + 1]], goal: 1.5 });
figure({
  name: 'comment add (10,000 posts)',
  blog: writable,
  argv: (i) => [
    'comment',
    'add',
    idOf(9000 + i + 1),
    '--author',
    `Visitor ${i + 2}`,
    '--email',
    `visitor${i + 2}@example.org`,
    '--ip',
    `198.51.100.${i + 2}`,
    '--body',
    'Thanks for the post.',
    '--porcelain',
  ],
  goal: 1.5,
});
// The newest posts hold their last 2 comments pending (ids as blogs.mjs makes them).
const pendingIds = (spec) =>
  Array.from({ length: spec.pendingPosts }, (_, k) => spec.posts - 1 - k)
    .filter((n) => n % 5 >= 2)
    .flatMap((n) => [idOf(n * 128 + (n % 5) - 1, 'c'), idOf(n * 128 + (n % 5) - 2, 'c')]);
const pending10k = pendingIds(medium);
figure({ name: 'comment approve (10,000 posts)', blog: writable, argv: (i) => ['comment', 'approve', pending10k[i + 1]], goal: 1.5 });

// The site build on 1,000 posts.
const site = copyBlog(blog1k, path.join(work, 'site'));
const pending1k = pendingIds(small);
if (HUGO) {
  const hugo = hugoSite(small);
  const out = path.join(work, 'hugo-public');
  figure({
    name: 'build --clean (1,000 posts)',
    blog: site,
    argv: () => ['build', '--clean'],
    ref: { label: 'hugo', command: HUGO, argv: () => ['--quiet', '--source', hugo, '--destination', out, '--cleanDestinationDir'] },
    goal: 1,
    runs: quick ? 2 : 5,
  });
} else {
  notes.push("hugo is not installed (apt-get install hugo): build --clean is timed against node -e '' only.");
  figure({ name: 'build --clean (1,000 posts)', blog: site, argv: () => ['build', '--clean'], goal: null, runs: quick ? 2 : 5 });
}
figure({ name: 'build, nothing changed (1,000 posts)', blog: site, argv: () => ['build'], goal: 2 });
figure({
  name: 'build after one comment approved (1,000 posts)',
  blog: site,
  before: (i) => termpress(site, ['comment', 'approve', pending1k[i + 1]]),
  argv: () => ['build'],
  goal: 3,
});

// Hexo, when its package is installed (see hexo.mjs), for the issue's side-by-side figure.
const hexo = hexoTool();
if (hexo && (!only || only.some((text) => 'hexo list post (1,000 posts)'.includes(text)))) {
  const hexoRoot = hexoSite(small, hexo);
  figure({
    name: 'hexo list post (1,000 posts)',
    blog: blog1k,
    argv: () => ['post', 'list', '--limit', '20'],
    ref: {
      label: 'hexo list post',
      command: process.execPath,
      argv: () => [path.join(hexo, 'node_modules', 'hexo-cli', 'bin', 'hexo'), '--cwd', hexoRoot, 'list', 'post'],
    },
    goal: 1 / 20,
    runs: quick ? 2 : 5,
  });
} else if (!hexo) {
  notes.push(`hexo is not installed: to include it, npm install --prefix ${path.join(CACHE, 'hexo-tool')} hexo hexo-cli.`);
}

// Import, timed by its own script (one run each: an import is long enough not to need a median).
const imports = [];
if (!only || only.some((text) => 'import'.includes(text))) {
  for (const posts of quick ? [1000] : [1000, 2000, 10000]) {
    log(`- import ${posts}`);
    const result = spawnSync(
      process.execPath,
      [path.join(here, 'import.mjs'), '--posts', String(posts), '--json', '--timeout', quick ? '60' : '300'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = result.stdout.trim().split('\n').pop();
    imports.push(result.status === 0 && line ? JSON.parse(line) : { posts, error: `bench/import.mjs exited ${result.status}` });
  }
}
rmSync(work, { recursive: true, force: true });

const fmt = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const lines = ['| figure | termpress | reference | ratio | goal | met | max RSS |', '|---|---|---|---|---|---|---|'];
for (const row of rows) {
  const ratio = row.ms / row.refMs;
  const goal =
    row.goal === null
      ? '—'
      : row.goal < 1
        ? `≤ ${row.goal}× (${Math.round(1 / row.goal)}× faster)`
        : row.goal === 1
          ? '< 1× (faster)'
          : `≤ ${row.goal}×`;
  const met = row.goal === null ? '' : ratio <= row.goal && (row.rss === null || row.rss < 512) ? 'yes' : 'no';
  lines.push(
    `| ${row.name} | ${fmt(row.ms)} | ${row.ref} ${fmt(row.refMs)} | ${ratio.toFixed(2)}× | ${goal} | ${met} | ${row.rss === null ? '—' : `${row.rss.toFixed(0)} MB`} |`,
  );
}
for (const result of imports) {
  if (result.error) lines.push(`| import ${result.posts}-post WXR | ${result.error} | — | — | | no | — |`);
  else {
    const goal = result.posts === 10000 ? '< 10 s' : result.posts === 1000 ? '< 1.5 s' : '';
    const met = result.posts === 10000 ? result.ms < 10000 : result.posts === 1000 ? result.ms < 1500 : '';
    lines.push(
      `| import ${result.posts}-post WXR (${(result.bytes / 1e6).toFixed(1)} MB) | ${fmt(result.ms)} | — | — | ${goal} | ${met === '' ? '' : met ? 'yes' : 'no'} | ${result.rss ? `${result.rss.toFixed(0)} MB` : '—'} |`,
    );
  }
}
const byPosts = new Map(imports.filter((r) => !r.error).map((r) => [r.posts, r.ms]));
if (byPosts.has(1000) && byPosts.has(2000))
  lines.push(`\nImport, twice the posts: ${(byPosts.get(2000) / byPosts.get(1000)).toFixed(2)}× the time (goal ≤ 2.2×).`);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.type()} ${os.release()}, Node ${process.version}${HUGO ? `, ${spawnSync(HUGO, ['version'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 2).join(' ')}` : ''}`;
const header = `Medians of ${RUNS} runs${quick ? ' (--quick)' : ''}, each alternating with its reference; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
const table = [header, '', `Machine: ${machine}`, '', ...lines, ...(notes.length ? ['', ...notes.map((n) => `Note: ${n}`)] : [])].join(
  '\n',
);
console.log(`\n${table}`);
if (!args.includes('--no-write') && !only) {
  const results = path.join(here, 'RESULTS.md');
  const text = existsSync(results) ? readFileSync(results, 'utf8') : '';
  const marker = '<!-- table -->';
  const intro = text.includes(marker) ? text.slice(0, text.indexOf(marker)) : '# Benchmark results\n\n';
  writeFileSync(results, `${intro}${marker}\n${table}\n`);
  log(`Wrote ${path.relative(process.cwd(), results)}`);
}
