#!/usr/bin/env node
// Times `termpress import` of a generated WordPress export (WXR) of N posts of about 700 words, each with
// a few comments, into a new blog. Needs the compiled CLI:
//   npm run build && node bench/import.mjs [--posts 1000] [--json] [--timeout seconds]
// With --json it prints one line, { posts, bytes, ms, rss }, which bench/run.mjs puts in its table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, CACHE, postOf } from './blogs.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const posts = option('posts', 1000);
const timeoutMs = option('timeout', 600) * 1000;

const cdata = (text) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const wpDate = (iso) => iso.slice(0, 19).replace('T', ' ');

/** The WXR file of N generated posts (cached). */
function wxrFile(count) {
  const file = path.join(CACHE, `wxr-p${count}-v1.xml`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE, { recursive: true });
  const items = [];
  for (let n = 0; n < count; n++) {
    const post = postOf(n, { posts: count, words: 700 });
    const date = wpDate(post.publishedAt);
    const comments = post.comments.map((c, k) =>
      [
        '<wp:comment>',
        `<wp:comment_id>${n * 10 + k + 1}</wp:comment_id>`,
        `<wp:comment_author>${cdata(c.author)}</wp:comment_author>`,
        `<wp:comment_author_email>${cdata(c.email)}</wp:comment_author_email>`,
        `<wp:comment_author_url></wp:comment_author_url>`,
        `<wp:comment_author_IP>${c.ip}</wp:comment_author_IP>`,
        `<wp:comment_date>${wpDate(c.createdAt)}</wp:comment_date>`,
        `<wp:comment_date_gmt>${wpDate(c.createdAt)}</wp:comment_date_gmt>`,
        `<wp:comment_content>${cdata(c.body)}</wp:comment_content>`,
        '<wp:comment_approved>1</wp:comment_approved>',
        '<wp:comment_type>comment</wp:comment_type>',
        `<wp:comment_parent>${k > 0 && k % 3 === 0 ? n * 10 + k : 0}</wp:comment_parent>`,
        '</wp:comment>',
      ].join(''),
    );
    items.push(
      [
        '<item>',
        `<title>${cdata(post.title)}</title>`,
        `<dc:creator>${cdata('bench')}</dc:creator>`,
        `<guid isPermaLink="false">https://bench.example/?p=${n + 1}</guid>`,
        `<content:encoded>${cdata(post.body)}</content:encoded>`,
        `<excerpt:encoded>${cdata('')}</excerpt:encoded>`,
        `<wp:post_id>${n + 1}</wp:post_id>`,
        `<wp:post_date>${date}</wp:post_date>`,
        `<wp:post_date_gmt>${date}</wp:post_date_gmt>`,
        '<wp:comment_status>open</wp:comment_status>',
        `<wp:post_name>${cdata(post.slug)}</wp:post_name>`,
        '<wp:status>publish</wp:status>',
        '<wp:post_type>post</wp:post_type>',
        '<wp:is_sticky>0</wp:is_sticky>',
        ...post.categories.map(
          (c) => `<category domain="category" nicename="${c.toLowerCase().replace(/ /g, '-')}">${cdata(c)}</category>`,
        ),
        ...post.tags.map((t) => `<category domain="post_tag" nicename="${t}">${cdata(t)}</category>`),
        ...comments,
        '</item>',
      ].join('\n'),
    );
  }
  const text = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    ' xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">',
    '<channel>',
    '<title>Bench</title>',
    '<link>https://bench.example</link>',
    '<language>en</language>',
    '<wp:wxr_version>1.2</wp:wxr_version>',
    '<wp:base_site_url>https://bench.example</wp:base_site_url>',
    '<wp:base_blog_url>https://bench.example</wp:base_blog_url>',
    '<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[bench]]></wp:author_login><wp:author_email><![CDATA[bench@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Bench]]></wp:author_display_name></wp:author>',
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
  writeFileSync(`${file}.partial`, text);
  writeFileSync(file, text);
  rmSync(`${file}.partial`);
  return file;
}

const file = wxrFile(posts);
const root = mkdtempSync(path.join(os.tmpdir(), 'termpress-bench-import-'));
const blog = path.join(root, 'blog');
const env = { ...process.env, TERMPRESS_CONFIG_DIR: path.join(root, 'home'), TERMPRESS_BLOG: blog, CI: 'true', NO_COLOR: '1' };
const init = spawnSync(process.execPath, [BIN, 'init', blog, '--title', 'Bench'], { env, encoding: 'utf8' });
if (init.status !== 0) throw new Error(`termpress init failed: ${init.stderr}`);

const time = existsSync('/usr/bin/time');
const rssFile = path.join(root, 'rss');
// coreutils' timeout stops the import itself (a timeout of spawnSync would stop only /usr/bin/time).
const argv = ['timeout', String(timeoutMs / 1000), process.execPath, BIN, 'import', file];
const started = process.hrtime.bigint();
const result = time
  ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 28 })
  : spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 28 });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const rss = time && result.status === 0 ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : null;
rmSync(root, { recursive: true, force: true });
const bytes = statSync(file).size;
if (result.status === 124) {
  console.error(`import of ${posts} posts took more than ${timeoutMs / 1000} s; stopped`);
  if (args.includes('--json')) console.log(JSON.stringify({ posts, bytes, error: `> ${timeoutMs / 1000} s (stopped)` }));
  process.exit(0);
}
if (result.status !== 0) {
  console.error(`termpress import failed (${result.status}): ${result.stderr}`);
  process.exit(1);
}
if (args.includes('--json')) console.log(JSON.stringify({ posts, bytes, ms, rss }));
else
  console.log(
    `import of ${posts} posts (${(bytes / 1e6).toFixed(1)} MB): ${(ms / 1000).toFixed(2)} s${rss ? `, max RSS ${rss.toFixed(0)} MB` : ''}`,
  );
