#!/usr/bin/env node
// Times `termpress import` of a generated WordPress export (deterministic: the same N gives the same
// file) into a fresh blog, for N posts and for 2N, and prints one table: median seconds, posts per
// second, processor time and peak RSS of the import process, and how much longer 2N took than N (linear
// is 2.0×). Processor time is the steadier figure on a busy machine.
// Each run imports into a new blog; the N and 2N runs alternate, so that the machine's load falls on both.
//
// Usage: node bench/import.mjs [--posts 1000] [--runs 3] [--words 700] [--file export.xml ...] [--keep]
// With --json (as npm run bench calls it) it imports the N-post file only, --runs times (default 1),
// stopping after --timeout seconds, and prints one line, { posts, bytes, ms, rss } (or { posts, bytes, error }).
//   --file   also time the import of an export of your own (e.g. WordPress's theme unit test data)
//   --keep   leave the generated exports and blogs in the temp folder and print where
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const files = args.flatMap((arg, i) => (arg === '--file' && args[i + 1] ? [path.resolve(args[i + 1])] : []));
const posts = option('posts', 1000);
const json = args.includes('--json');
const runs = option('runs', json ? 1 : 3);
const timeoutMs = option('timeout', 0) * 1000;
const words = option('words', 700);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'termpress.js');
const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-import-'));

// A small seeded generator (mulberry32), so that every run and every machine imports the same file.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute ' +
  'irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non ' +
  'proident sunt culpa qui officia deserunt mollit anim id est laborum garden kitchen bicycle river mountain coffee ' +
  'winter summer library journey café naïve über straße'
).split(' ');
const CATEGORIES = Array.from({ length: 20 }, (_, i) => `Category ${i + 1}`);
const TAGS = Array.from({ length: 100 }, (_, i) => `tag-${i + 1}`);
const cdata = (text) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const slugOf = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const pad = (n) => String(n).padStart(2, '0');

function wpDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function sentence(next, count) {
  const chosen = Array.from({ length: count }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]);
  const text = chosen.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

/** A body of about `words` words in paragraphs of 50 to 100, with the odd link, list and heading. */
function body(next) {
  const parts = [];
  let left = words;
  while (left > 0) {
    const size = Math.min(left, 50 + Math.floor(next() * 50));
    left -= size;
    let text = '';
    for (let n = size; n > 0;) {
      const length = Math.min(n, 6 + Math.floor(next() * 12));
      text += `${sentence(next, length)} `;
      n -= length;
    }
    if (next() < 0.3) text += `See <a href="https://example.com/${Math.floor(next() * 1000)}">this</a>.`;
    parts.push(`<p>${text.trim()}</p>`);
    if (next() < 0.15) parts.push(`<h2>${sentence(next, 4)}</h2>`);
    if (next() < 0.1) parts.push(`<ul>\n<li>${sentence(next, 3)}</li>\n<li>${sentence(next, 5)}</li>\n</ul>`);
  }
  return parts.join('\n\n');
}

function comment(next, id, parent, at) {
  const statuses = ['1', '1', '1', '1', '0', 'spam'];
  return [
    '<wp:comment>',
    `<wp:comment_id>${id}</wp:comment_id>`,
    `<wp:comment_author>${cdata(`Reader ${id % 500}`)}</wp:comment_author>`,
    `<wp:comment_author_email>reader${id % 500}@example.com</wp:comment_author_email>`,
    '<wp:comment_author_url></wp:comment_author_url>',
    `<wp:comment_author_IP>10.0.${id % 200}.${id % 250}</wp:comment_author_IP>`,
    `<wp:comment_date>${wpDate(at)}</wp:comment_date>`,
    `<wp:comment_date_gmt>${wpDate(at)}</wp:comment_date_gmt>`,
    `<wp:comment_content>${cdata(sentence(next, 10 + Math.floor(next() * 40)))}</wp:comment_content>`,
    `<wp:comment_approved>${statuses[Math.floor(next() * statuses.length)]}</wp:comment_approved>`,
    '<wp:comment_type>comment</wp:comment_type>',
    `<wp:comment_parent>${parent}</wp:comment_parent>`,
    '</wp:comment>',
  ].join('\n');
}

function item(n) {
  const next = random(n);
  const at = Date.UTC(2010, 0, 1) + n * 3 * 3600_000;
  const title = `${sentence(next, 3 + Math.floor(next() * 5)).slice(0, -1)} ${n}`;
  const status = n % 10 === 0 ? 'draft' : 'publish';
  const comments = [];
  const count = Math.floor(next() * 4);
  for (let c = 0; c < count; c++) {
    const id = n * 10 + c;
    const parent = c > 0 && next() < 0.3 ? n * 10 + Math.floor(next() * c) : 0;
    comments.push(comment(next, id, parent, at + (c + 1) * 60_000));
  }
  const categories = [CATEGORIES[n % CATEGORIES.length], CATEGORIES[(n * 7) % CATEGORIES.length]];
  const tags = [TAGS[n % TAGS.length], TAGS[(n * 13) % TAGS.length], TAGS[(n * 31) % TAGS.length]];
  return [
    '<item>',
    `<title>${cdata(title)}</title>`,
    `<link>https://example.com/?p=${n}</link>`,
    `<dc:creator>${cdata(n % 3 === 0 ? 'editor' : 'admin')}</dc:creator>`,
    `<guid isPermaLink="false">https://example.com/?p=${n}</guid>`,
    `<content:encoded>${cdata(body(next))}</content:encoded>`,
    `<excerpt:encoded>${cdata('')}</excerpt:encoded>`,
    `<wp:post_id>${n}</wp:post_id>`,
    `<wp:post_date>${wpDate(at)}</wp:post_date>`,
    `<wp:post_date_gmt>${status === 'draft' ? '0000-00-00 00:00:00' : wpDate(at)}</wp:post_date_gmt>`,
    '<wp:comment_status>open</wp:comment_status>',
    `<wp:post_name>${cdata(status === 'draft' ? '' : slugOf(title))}</wp:post_name>`,
    `<wp:status>${status}</wp:status>`,
    '<wp:post_parent>0</wp:post_parent>',
    '<wp:post_type>post</wp:post_type>',
    `<wp:post_password>${cdata('')}</wp:post_password>`,
    '<wp:is_sticky>0</wp:is_sticky>',
    ...[...new Set(categories)].map((name) => `<category domain="category" nicename="${slugOf(name)}">${cdata(name)}</category>`),
    ...[...new Set(tags)].map((name) => `<category domain="post_tag" nicename="${name}">${cdata(name)}</category>`),
    ...comments,
    '</item>',
  ].join('\n');
}

/** Writes the export of `count` posts item by item, so that the benchmark never holds it whole. */
async function writeExport(file, count) {
  const out = createWriteStream(file);
  const head = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
      'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">',
    '<channel>',
    '<title>Benchmark blog</title>',
    '<link>https://example.com</link>',
    '<description>Generated for termpress benchmarks</description>',
    '<language>en-US</language>',
    '<wp:wxr_version>1.2</wp:wxr_version>',
    '<wp:base_site_url>https://example.com</wp:base_site_url>',
    '<wp:base_blog_url>https://example.com</wp:base_blog_url>',
    `<wp:author><wp:author_id>1</wp:author_id><wp:author_login>${cdata('admin')}</wp:author_login><wp:author_display_name>${cdata('Admin')}</wp:author_display_name></wp:author>`,
    `<wp:author><wp:author_id>2</wp:author_id><wp:author_login>${cdata('editor')}</wp:author_login><wp:author_display_name>${cdata('Editor')}</wp:author_display_name></wp:author>`,
    ...CATEGORIES.map(
      (name, i) =>
        `<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${cdata(slugOf(name))}</wp:category_nicename><wp:category_parent>${cdata('')}</wp:category_parent><wp:cat_name>${cdata(name)}</wp:cat_name></wp:category>`,
    ),
    ...TAGS.map(
      (name, i) =>
        `<wp:tag><wp:term_id>${i + 101}</wp:term_id><wp:tag_slug>${cdata(name)}</wp:tag_slug><wp:tag_name>${cdata(name)}</wp:tag_name></wp:tag>`,
    ),
  ];
  out.write(`${head.join('\n')}\n`);
  for (let n = 1; n <= count; n++) {
    if (!out.write(`${item(n)}\n`)) await once(out, 'drain');
  }
  out.end('</channel>\n</rss>\n');
  await finished(out);
}

// The import's own peak resident memory and processor time, written by the import process as it exits.
const usageFile = path.join(root, 'usage');
const usageHook = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify(process.resourceUsage())));`,
)}`;

let blogs = 0;
/** One import of the file into a new blog: seconds, processor seconds and peak RSS in MB. */
function importOnce(file) {
  const blog = path.join(root, `blog-${(blogs += 1)}`);
  const env = { ...process.env, TERMPRESS_CONFIG_DIR: path.join(root, 'home'), CI: 'true', TERMPRESS_NOW: '2026-01-01T00:00:00Z' };
  const init = spawnSync(process.execPath, [bin, 'init', blog, '--title', 'Bench'], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`termpress init failed: ${init.stderr}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', usageHook, bin, 'import', file, '--blog', blog], {
    env,
    encoding: 'utf8',
    ...(timeoutMs > 0 ? { timeout: timeoutMs, killSignal: 'SIGKILL' } : {}),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL') return { timedOut: true };
  if (result.status !== 0) throw new Error(`termpress import ${file} failed (exit ${result.status}): ${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  if (!args.includes('--keep')) rmSync(blog, { recursive: true, force: true });
  return { seconds, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMb: usage.maxRSS / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => bytes / 1024 / 1024;

const small = path.join(root, `posts-${posts}.xml`);
const large = path.join(root, `posts-${posts * 2}.xml`);
await writeExport(small, posts);
if (json) {
  const bytes = statSync(small).size;
  const done = Array.from({ length: runs }, () => importOnce(small));
  if (done.some((one) => one.timedOut)) console.log(JSON.stringify({ posts, bytes, error: `> ${timeoutMs / 1000} s (stopped)` }));
  else
    console.log(
      JSON.stringify({ posts, bytes, ms: median(done.map((one) => one.seconds)) * 1000, rss: Math.max(...done.map((one) => one.rssMb)) }),
    );
  rmSync(root, { recursive: true, force: true });
  process.exit(0);
}
await writeExport(large, posts * 2);

const times = { small: [], large: [] };
const cpu = { small: [], large: [] };
const rss = { small: [], large: [] };
for (let run = 0; run < runs; run++) {
  for (const [key, file] of [
    ['small', small],
    ['large', large],
  ]) {
    const one = importOnce(file);
    times[key].push(one.seconds);
    cpu[key].push(one.cpu);
    rss[key].push(one.rssMb);
  }
}

const rows = [
  [`${posts} posts`, mb(statSync(small).size), median(times.small), median(cpu.small), posts, Math.max(...rss.small)],
  [`${posts * 2} posts`, mb(statSync(large).size), median(times.large), median(cpu.large), posts * 2, Math.max(...rss.large)],
];
for (const file of files) {
  const one = Array.from({ length: runs }, () => importOnce(file));
  const of = (key) => one.map((o) => o[key]);
  rows.push([path.basename(file), mb(statSync(file).size), median(of('seconds')), median(of('cpu')), null, Math.max(...of('rssMb'))]);
}

console.log(`termpress import, median of ${runs} run${runs === 1 ? '' : 's'} each (node ${process.version}, ${os.cpus().length} cores)`);
console.log('| export | size (MB) | seconds | CPU seconds | posts/s | peak RSS (MB) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [label, size, seconds, processor, count, peak] of rows) {
  const rate = count === null ? '' : Math.round(count / seconds);
  console.log(`| ${label} | ${size.toFixed(1)} | ${seconds.toFixed(2)} | ${processor.toFixed(2)} | ${rate} | ${peak.toFixed(0)} |`);
}
const ratio = median(times.large) / median(times.small);
console.log(`doubling: ${posts} → ${posts * 2} posts took ${ratio.toFixed(2)}× the time (goal ≤ 2.2×)`);
if (args.includes('--keep')) console.log(`kept: ${root}`);
else rmSync(root, { recursive: true, force: true });
