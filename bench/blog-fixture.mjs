// A generated blog on disk for the benchmarks: POSTS posts of about 700 words of Markdown (headings,
// links, emphasis, a list, a code block), 10 categories, 50 tags, a few approved comments each and one
// pending comment on a recent post (for "one comment approved"). Deterministic: the same arguments
// give the same files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, idOf } from './blogs.mjs';

export { BIN, idOf };
const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore ' +
  'magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat ' +
  'duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat'
).split(' ');

const sentence = (n, seed) => {
  const words = Array.from({ length: n }, (_, k) => WORDS[(seed * 7 + k * 3 + ((seed * k) % 5)) % WORDS.length]);
  return words[0][0].toUpperCase() + words.join(' ').slice(1) + '.';
};
const paragraph = (seed) => Array.from({ length: 5 }, (_, k) => sentence(14 + ((seed + k) % 6), seed + k)).join(' ');

/** A Markdown body of about 700 words. */
function body(i) {
  const parts = [];
  for (let p = 0; p < 8; p++) {
    if (p === 3) parts.push('## A closer look');
    if (p === 6) parts.push('- first point\n- second point with `code`\n- third point, **strong**');
    parts.push(`${paragraph(i + p)} See [this page](https://example.com/${i}/${p}) and *this*.`);
  }
  parts.push('```js\nconsole.log("hello");\n```');
  return parts.join('\n\n') + '\n';
}

/** The post with index i (0 oldest), with i % 4 approved comments. */
export function postOf(i) {
  const id = idOf(i);
  const at = new Date(Date.UTC(2015, 0, 1) + i * 36e5 * 61).toISOString();
  return {
    id,
    slug: `post-${i}`,
    title: `Post ${i}: ${sentence(5, i).slice(0, -1)}`,
    author: 'Bench',
    status: 'published',
    categories: [`Category ${i % 10}`],
    tags: [`tag-${i % 50}`, `tag-${(i * 7 + 3) % 50}`],
    excerpt: '',
    body: body(i),
    format: 'markdown',
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: Array.from({ length: i % 4 }, (_, c) => ({
      id: idOf(i * 8 + c, 'c'),
      parentId: c === 2 ? idOf(i * 8 + 1, 'c') : null,
      author: `Reader ${c}`,
      email: `reader${c}@example.com`,
      url: c === 1 ? 'https://reader.example/' : '',
      ip: '192.0.2.1',
      userAgent: 'bench',
      body: `${sentence(25, i + c)}\n\nA <b>bold</b> word.`,
      status: 'approved',
      createdAt: at,
      updatedAt: at,
      type: 'comment',
      reasons: [],
    })),
  };
}

/** The post that holds the pending comment, and that comment's id. */
export function pendingOf(posts) {
  const index = posts - 3;
  return { index, postId: idOf(index), commentId: idOf(index * 8 + 7, 'c') };
}

/** Runs termpress with the bench environment; throws on failure. */
export function termpress(env, argv) {
  const result = spawnSync(process.execPath, [BIN, ...argv], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`termpress ${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** The environment the bench runs termpress in. */
export function benchEnv(root, blog) {
  return {
    ...process.env,
    TERMPRESS_CONFIG_DIR: path.join(root, 'home'),
    TERMPRESS_BLOG: blog,
    TERMPRESS_NOW: '2030-01-01T00:00:00Z',
    CI: 'true',
  };
}

/** Makes the blog folder `blog` (through `termpress init`) with `posts` generated posts. */
export function writeBlog(root, blog, posts) {
  const env = benchEnv(root, blog);
  termpress(env, ['init', blog, '--title', 'Bench', '--url', 'https://bench.example/']);
  mkdirSync(path.join(blog, 'posts'), { recursive: true });
  const pending = pendingOf(posts);
  for (let i = 0; i < posts; i++) {
    const post = postOf(i);
    if (i === pending.index) {
      post.comments.push({
        id: pending.commentId,
        parentId: null,
        author: 'Newcomer',
        email: 'new@example.com',
        url: '',
        ip: '192.0.2.9',
        userAgent: 'bench',
        body: 'A first comment, waiting for approval.',
        status: 'pending',
        createdAt: post.publishedAt,
        updatedAt: post.publishedAt,
        type: 'comment',
        reasons: ['first comment from this author'],
      });
    }
    writeFileSync(path.join(blog, 'posts', `${post.id}.json`), `${JSON.stringify(post, null, 2)}\n`);
  }
  return env;
}
