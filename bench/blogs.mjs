// Deterministic blogs for the benchmarks, written straight as JSON files (no termpress process per post)
// and kept under the system's temp folder, keyed by their parameters, so that a second run reuses them.
// A benchmark that changes a blog works on a copy (copyBlog), never on the cached one.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// TERMPRESS_BENCH_BIN times another build of termpress (a copy made before changing this one, say).
export const BIN = process.env.TERMPRESS_BENCH_BIN ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'termpress.js');
export const CACHE = path.join(os.tmpdir(), 'termpress-bench-cache');

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute ' +
  'irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident'
).split(' ');

/** The id of the n-th generated post (or comment, with another lead letter): 8 characters of termpress's alphabet. */
export function idOf(n, lead = '') {
  let id = '';
  for (let k = 0, m = n; k < 8 - lead.length; k++, m = Math.floor(m / 32)) id = ALPHABET[m % 32] + id;
  return lead + id;
}

const sentence = (count, seed) => Array.from({ length: count }, (_, k) => WORDS[(seed * 7 + k * 13) % WORDS.length]).join(' ');

/** A body of about `words` words in paragraphs of 60, with a heading, a link and a code block. */
function bodyOf(words, seed) {
  const paragraphs = [];
  for (let p = 0, left = words; left > 0; p++, left -= 60) {
    paragraphs.push(
      `${p === 2 ? '## A heading\n\n' : ''}${sentence(Math.min(60, left), seed + p)} [a link](https://example.com/${seed}) and *emphasis*.`,
    );
  }
  return `${paragraphs.join('\n\n')}\n\n\`\`\`js\nconsole.log(${seed})\n\`\`\`\n`;
}

const STEP_MS = 36e5 * 7; // one post every 7 hours, so that 100,000 posts span about 80 years
const START = Date.UTC(1990, 0, 1);

/** The n-th post of a generated blog; `comments` per post, the last `pendingPosts` posts holding 2 pending each. */
export function postOf(n, spec) {
  const at = new Date(START + n * STEP_MS).toISOString();
  const id = idOf(n);
  const pending = n >= spec.posts - (spec.pendingPosts ?? 0);
  const count = spec.comments === undefined ? n % 5 : spec.comments;
  const comments = Array.from({ length: count }, (_, c) => {
    const when = new Date(START + n * STEP_MS + (c + 1) * 60_000).toISOString();
    return {
      id: idOf(n * 128 + c, 'c'),
      parentId: c > 0 && c % 3 === 0 ? idOf(n * 128 + c - 1, 'c') : null,
      author: `Reader ${(n + c) % 500}`,
      email: `reader${(n + c) % 500}@example.com`,
      url: '',
      ip: '192.0.2.1',
      userAgent: 'Mozilla/5.0 (bench)',
      body: sentence(30, n + c),
      status: pending && c >= count - 2 ? 'pending' : 'approved',
      createdAt: when,
      updatedAt: when,
      type: 'comment',
      reasons: [],
    };
  });
  return {
    id,
    slug: `post-${n}`,
    title: `Post ${n}: ${sentence(5, n)}`,
    author: 'Bench',
    status: 'published',
    categories: [`Category ${n % 10}`],
    tags: [`tag-${n % 50}`, `tag-${(n * 7) % 50}`],
    excerpt: '',
    body: bodyOf(spec.words, n),
    format: 'markdown',
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments,
  };
}

/** The environment termpress runs with in the benchmarks: its own config folder, no prompts. */
export function envFor(blog) {
  return { ...process.env, TERMPRESS_CONFIG_DIR: path.join(path.dirname(blog), 'home'), TERMPRESS_BLOG: blog, CI: 'true', NO_COLOR: '1' };
}

export function termpress(blog, argv, options = {}) {
  const result = spawnSync(process.execPath, [BIN, ...argv], { env: envFor(blog), encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (result.status !== 0) throw new Error(`termpress ${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * The folder of a generated blog (cached): `spec` is { posts, words, comments?, pendingPosts? }. Its
 * index is built by a first listing, as a blog in use has one.
 */
export function generateBlog(spec) {
  const key = `blog-p${spec.posts}-w${spec.words}-c${spec.comments ?? 'mix'}-q${spec.pendingPosts ?? 0}-v1`;
  const root = path.join(CACHE, key);
  const blog = path.join(root, 'blog');
  if (existsSync(path.join(root, 'done'))) return blog;
  rmSync(root, { recursive: true, force: true });
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const draft = path.join(partial, 'blog');
  mkdirSync(partial, { recursive: true });
  termpress(draft, [
    'init',
    draft,
    '--title',
    'Bench',
    '--url',
    'https://bench.example/',
    '--author',
    'Bench',
    '--timezone',
    'UTC',
    '--language',
    'en',
  ]);
  const posts = path.join(draft, 'posts');
  mkdirSync(posts, { recursive: true });
  for (let n = 0; n < spec.posts; n++) {
    const post = postOf(n, spec);
    writeFileSync(path.join(posts, `${post.id}.json`), `${JSON.stringify(post, null, 2)}\n`);
  }
  renameSync(partial, root);
  termpress(blog, ['post', 'list', '--format', 'count']);
  writeFileSync(path.join(root, 'done'), '');
  return blog;
}

/** A generated post as a Markdown file with YAML front matter, as static site generators read it. */
export function markdownOf(post, { slug = false } = {}) {
  const front = [
    '---',
    `title: ${JSON.stringify(post.title)}`,
    `date: ${post.publishedAt}`,
    ...(slug ? [`slug: ${post.slug}`] : []),
    `categories: ${JSON.stringify(post.categories)}`,
    `tags: ${JSON.stringify(post.tags)}`,
    '---',
    '',
  ];
  return front.join('\n') + post.body;
}

/** A fresh copy of a cached blog in `into` (its index and all), for benchmarks that change it. */
export function copyBlog(blog, into) {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const copy = path.join(into, 'blog');
  cpSync(blog, copy, { recursive: true, preserveTimestamps: true });
  return copy;
}

/** A Hugo site (cached) holding the same posts as a generated blog, with a theme comparable to termpress's default. */
export function hugoSite(spec) {
  const root = path.join(CACHE, `hugo-p${spec.posts}-w${spec.words}-v1`);
  if (existsSync(path.join(root, 'done'))) return root;
  rmSync(root, { recursive: true, force: true });
  const layouts = path.join(root, 'layouts');
  mkdirSync(path.join(root, 'content', 'posts'), { recursive: true });
  mkdirSync(path.join(layouts, '_default'), { recursive: true });
  mkdirSync(path.join(layouts, 'partials'), { recursive: true });
  writeFileSync(
    path.join(root, 'config.toml'),
    [
      'baseURL = "https://bench.example/"',
      'title = "Bench"',
      'languageCode = "en"',
      'paginate = 10',
      '[permalinks]',
      '  posts = "/:year/:month/:day/:slug/"',
      '[taxonomies]',
      '  category = "categories"',
      '  tag = "tags"',
      '[outputs]',
      '  home = ["HTML", "RSS"]',
      '',
    ].join('\n'),
  );
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head><body><header><a href="/">{{ site.Title }}</a></header><main>';
  const foot = '</main><footer>{{ site.Title }}</footer></body></html>';
  writeFileSync(path.join(layouts, 'partials', 'head.html'), head);
  writeFileSync(path.join(layouts, 'partials', 'foot.html'), foot);
  writeFileSync(
    path.join(layouts, '_default', 'single.html'),
    '{{ partial "head.html" . }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}' +
      '<p>{{ range .Params.categories }}<a href="{{ "categories/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}' +
      '{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ partial "foot.html" . }}',
  );
  const list =
    '{{ partial "head.html" . }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>' +
    '<time>{{ .Date.Format "2006-01-02" }}</time>{{ .Summary }}</article>{{ end }}' +
    '{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ partial "foot.html" . }}';
  writeFileSync(path.join(layouts, '_default', 'list.html'), list);
  writeFileSync(
    path.join(layouts, 'index.html'),
    list.replace('.Paginator.Pages', '(.Paginate (where site.RegularPages "Type" "posts")).Pages'),
  );
  writeFileSync(
    path.join(layouts, '_default', 'terms.html'),
    '{{ partial "head.html" . }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ partial "foot.html" . }}',
  );
  for (let n = 0; n < spec.posts; n++) {
    const post = postOf(n, spec);
    writeFileSync(path.join(root, 'content', 'posts', `${post.slug}.md`), markdownOf(post, { slug: true }));
  }
  writeFileSync(path.join(root, 'done'), '');
  return root;
}
