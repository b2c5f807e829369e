// Times termpress's site build on a generated blog of POSTS posts (default 1000): a cold build,
// an unchanged rebuild, and a rebuild after one new comment. Needs the compiled library:
//   npm run build && node bench/build.mjs [posts]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../dist/site/build.js';

const count = Number(process.argv[2] ?? process.env.POSTS ?? 1000);
const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');
const sentence = (n, i) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');

const settings = {
  schemaVersion: 1, title: 'Bench', description: 'A benchmark blog', url: 'https://bench.example/', language: 'en',
  timezone: 'Europe/Paris', author: 'Bench', permalink: '/:year/:month/:day/:slug/', postsPerPage: 10,
  moderation: { holdAll: false, maxLinks: 2, holdWords: [], blockWords: [], autoApproveKnown: true, requireNameEmail: true, floodSeconds: 15, closeAfterDays: 0, threadDepth: 5 },
};
const posts = Array.from({ length: count }, (_, i) => {
  const at = new Date(Date.UTC(2015, 0, 1) + i * 36e5 * 61).toISOString();
  const id = [...i.toString(32).padStart(8, '0')].map((d) => '0123456789abcdefghjkmnpqrstvwxyz'[parseInt(d, 32)]).join('');
  return {
    id, slug: `post-${i}`, title: `Post ${i}: ${sentence(5, i)}`, author: 'Bench', status: 'published',
    categories: [`Category ${i % 10}`], tags: [`tag-${i % 50}`, `tag-${(i * 7) % 50}`], excerpt: '',
    body: Array.from({ length: 8 }, (_, p) => `${p === 2 ? '## A heading\n\n' : ''}${sentence(60, i + p)} [a link](https://example.com/${i}) and *emphasis*.`).join('\n\n') + '\n\n```js\nconsole.log(1)\n```\n',
    format: 'markdown', createdAt: at, updatedAt: at, publishedAt: at, commentStatus: 'open', sticky: false, revision: 1,
    comments: Array.from({ length: i % 5 }, (_, c) => ({
      id: `${id.slice(0, 6)}c${c}`, parentId: c > 0 && c % 2 === 0 ? `${id.slice(0, 6)}c${c - 1}` : null, author: `Reader ${c}`, email: 'r@example.com', url: '', ip: '192.0.2.1',
      userAgent: 'bench', body: `${sentence(30, c)} <b>bold</b> <script>x()</script>`, status: 'approved', createdAt: at, updatedAt: at, type: 'comment', reasons: [],
    })),
  };
});

const outDir = await mkdtemp(join(tmpdir(), 'termpress-bench-'));
const now = new Date('2030-01-01T00:00:00Z');
const time = async (label, run) => {
  const start = performance.now();
  const report = await run();
  console.log(`${label.padEnd(28)} ${(performance.now() - start).toFixed(0).padStart(6)} ms  written ${report.pagesWritten}, rendered ${report.pagesRendered}, unchanged ${report.pagesUnchanged}`);
};
console.log(`${count} posts -> ${outDir}`);
await time('cold build', () => buildSite({ settings, posts, blogDir: outDir + '-blog', outDir, now }));
await time('unchanged rebuild', () => buildSite({ settings, posts, blogDir: outDir + '-blog', outDir, now }));
posts[count - 3].comments.push({ ...posts[count - 3].comments[0] ?? {}, id: 'zzzzzzzz', parentId: null, author: 'New', email: 'n@example.com', url: '', ip: '', userAgent: '', body: 'new comment', status: 'approved', createdAt: now.toISOString(), updatedAt: now.toISOString(), type: 'comment', reasons: [] });
await time('one new comment', () => buildSite({ settings, posts, blogDir: outDir + '-blog', outDir, now }));
await time('clean build', () => buildSite({ settings, posts, blogDir: outDir + '-blog', outDir, now, clean: true }));
await rm(outDir, { recursive: true, force: true });
