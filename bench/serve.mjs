// Measures `termpress serve` on a generated blog of POSTS posts (default 1000): static requests a
// second and reader comments a second, with their p50 and p99 latency, while the blog keeps changing
// (every comment, and a post touched every second, sets off a rebuild). Needs the compiled CLI:
//   npm run build && node bench/serve.mjs [posts] [seconds]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const count = Number(process.argv[2] ?? process.env.POSTS ?? 1000);
const seconds = Number(process.argv[3] ?? 10);
const bin = fileURLToPath(new URL('../bin/termpress.js', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'termpress-bench-serve-'));
const blog = join(root, 'blog');
const env = { ...process.env, CI: 'true', TERMPRESS_CONFIG_DIR: join(root, 'home'), TERMPRESS_BLOG: blog };
const cli = (...args) => {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`termpress ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};

cli('init', blog, '--title', 'Bench', '--url', 'http://127.0.0.1/');
// Readers all come through one address here: the flood rule would refuse most of them.
cli('config', 'set', 'moderation.floodSeconds', '0');
const words =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');
const sentence = (n, i) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
const ids = [];
for (let i = 0; i < count; i++) {
  const at = new Date(Date.UTC(2015, 0, 1) + i * 36e5 * 61).toISOString();
  const id = [...i.toString(32).padStart(8, '0')].map((d) => '0123456789abcdefghjkmnpqrstvwxyz'[parseInt(d, 32)]).join('');
  ids.push(id);
  const post = {
    id,
    slug: `post-${i}`,
    title: `Post ${i}: ${sentence(5, i)}`,
    author: 'Bench',
    status: 'published',
    categories: [`Category ${i % 10}`],
    tags: [`tag-${i % 50}`],
    excerpt: '',
    body: Array.from({ length: 8 }, (_, p) => sentence(60, i + p)).join('\n\n'),
    format: 'markdown',
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: Array.from({ length: i % 5 }, (_, c) => ({
      id: `${id.slice(0, 6)}c${c}`,
      parentId: null,
      author: `Reader ${c}`,
      email: 'r@example.com',
      url: '',
      ip: '192.0.2.1',
      userAgent: 'bench',
      body: sentence(30, c),
      status: 'approved',
      createdAt: at,
      updatedAt: at,
      type: 'comment',
      reasons: [],
    })),
  };
  await writeFile(join(blog, 'posts', `${id}.json`), `${JSON.stringify(post, null, 2)}\n`);
}

const server = spawn(
  process.execPath,
  [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), bin, 'serve', '--port', '0', '--trust-proxy'],
  { env, stdio: ['ignore', 'pipe', 'ignore'] },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
    if (match) resolve(match[0]);
  });
  server.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
});
const target = ids[count - 1];
const home = await (await fetch(url)).text();
const postPath = /href="([^"]*post-\d+\/)index\.html"/.exec(home)[1];
const page = await (await fetch(url + postPath)).text();
const postId = /name="post" value="([^"]*)"/.exec(page)[1];
const token = /name="token"[^>]*value="([^"]*)"/.exec(page)[1];
await new Promise((resolve) => setTimeout(resolve, 3100));

// Keeps the blog changing: each touch of a post file (a moderator approving a comment, say) sets off
// a rebuild of the site, once a second.
const touching = setInterval(() => void utimes(join(blog, 'posts', `${target}.json`), new Date(), new Date()).catch(() => undefined), 1000);

const run = (options) =>
  new Promise((resolve, reject) =>
    autocannon({ duration: seconds, connections: 20, ...options }, (error, result) => (error ? reject(error) : resolve(result))),
  );
const line = (label, result) =>
  console.log(
    `${label.padEnd(22)} ${String(Math.round(result.requests.average)).padStart(7)} /s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   ` +
      `2xx/3xx ${result['2xx'] + result['3xx']}, other ${result.non2xx - result['3xx'] + result.errors}`,
  );

console.log(`${count} posts, ${seconds} s each, 20 connections, rebuilds running throughout`);
line('static (home page)', await run({ url }));
line('static (feed.xml)', await run({ url: `${url}feed.xml` }));
let reader = 0;
line(
  'comments (JSON)',
  await run({
    url: `${url}_termpress/comment`,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          reader++;
          // Each from a network of its own, so the per-network limit measures nothing here.
          const address = `10.${(reader >> 8) & 255}.${reader & 255}.1`;
          return {
            ...request,
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address },
            body: JSON.stringify({
              post: postId,
              token,
              body: `Benchmark comment ${reader}`,
              author: `Reader ${reader}`,
              email: `r${reader}@example.com`,
            }),
          };
        },
      },
    ],
  }),
);
clearInterval(touching);
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
await rm(root, { recursive: true, force: true });
