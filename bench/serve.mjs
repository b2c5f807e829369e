// Measures `termpress serve` on a generated blog of POSTS posts (default 1000): static requests a
// second and reader comments a second, with their p50 and p99 latency, while the site is being
// rebuilt. Needs the compiled CLI:
//   npm run build && node bench/serve.mjs [posts] [seconds per phase] [rounds]
//
// How it keeps the measure honest:
// - Static and comment phases alternate (static, comments, static, comments, ...), so that whatever
//   else the machine does at the time weighs on both alike; the figures are over all rounds.
// - A real rebuild runs during the measured time: once a second the newest post's title is edited
//   through the library (under the blog's lock, as `termpress post edit` does), which rewrites its
//   page, the lists that show it and the feeds. The server logs each rebuild with its duration, and the
//   share of the measured time a rebuild was running is printed.
// - Each comment comes from a network of its own (X-Forwarded-For, with --trust-proxy) and its own
//   email, so neither the per-network rate limit nor the flood rule (left at its default of 15 s)
//   is what is measured; every other rule, the form token and the body checks apply as for readers.
// - Comments go to the 20 newest posts (where readers comment) as JSON, each acknowledged with 201
//   only once it is on disk; afterwards the comments on disk are counted against those acknowledged.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const count = Number(process.argv[2] ?? process.env.POSTS ?? 1000);
const seconds = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 3);
const connections = 20;
const commentedPosts = Number(process.env.COMMENTED_POSTS ?? 20);
const bin = fileURLToPath(new URL('../bin/termpress.js', import.meta.url));
const { openBlog } = await import(new URL('../dist/index.js', import.meta.url).href);
const root = await mkdtemp(join(tmpdir(), 'termpress-bench-serve-'));
const blogDir = join(root, 'blog');
const env = { ...process.env, CI: 'true', TERMPRESS_CONFIG_DIR: join(root, 'home'), TERMPRESS_BLOG: blogDir };
const cli = (...args) => {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`termpress ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};

cli('init', blogDir, '--title', 'Bench', '--url', 'http://127.0.0.1/');
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
  await writeFile(join(blogDir, 'posts', `${id}.json`), `${JSON.stringify(post, null, 2)}\n`);
}

const server = spawn(
  process.execPath,
  [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), bin, 'serve', '--port', '0', '--trust-proxy'],
  { env, stdio: ['ignore', 'pipe', 'pipe'] },
);
// Rebuilds as the server logs them: when each ended and how long it took.
const rebuilds = [];
let logged = '';
server.stderr.on('data', (chunk) => {
  logged += chunk;
  const lines = logged.split('\n');
  logged = lines.pop();
  for (const text of lines) {
    const match = /^rebuilt the site in (\d+)ms/.exec(text);
    if (match) rebuilds.push({ end: Date.now(), ms: Number(match[1]) });
  }
});
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
    if (match) resolve(match[0]);
  });
  server.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
});

const home = await (await fetch(url)).text();
const postPath = /href="([^"]*post-\d+\/)index\.html"/.exec(home)[1];
const page = await (await fetch(url + postPath)).text();
const token = /name="token"[^>]*value="([^"]*)"/.exec(page)[1];
// The form's token is refused when sent faster than a person types.
await new Promise((resolve) => setTimeout(resolve, 3100));

const blog = await openBlog({ blog: blogDir, env });
const newest = ids[count - 1];
let edits = 0;
let lastEdit = Promise.resolve();
const edit = () =>
  (lastEdit = blog.updatePost(newest, { title: `Post ${count - 1}, edited ${++edits} times` }).then(
    () => undefined,
    () => undefined,
  ));
await edit();
const editing = setInterval(() => void edit(), 1000);

const targets = ids.slice(-commentedPosts);
let reader = 0;
const phases = {
  static: {
    label: `static (home page, a post page with its form filled in, feed.xml, in turn)`,
    options: { requests: [{ path: '/' }, { path: `/${postPath}` }, { path: '/feed.xml' }] },
  },
  comments: {
    label: `comments (JSON, to the ${commentedPosts} newest posts, each from its own network and email)`,
    options: {
      requests: [
        {
          method: 'POST',
          path: '/_termpress/comment',
          setupRequest: (request) => {
            reader++;
            const address = `10.${(reader >> 8) & 255}.${reader & 255}.1`;
            return {
              ...request,
              headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': address },
              body: JSON.stringify({
                post: targets[reader % targets.length],
                token,
                body: `Benchmark comment ${reader}`,
                author: `Reader ${reader}`,
                email: `r${reader}@example.com`,
              }),
            };
          },
        },
      ],
    },
  },
};
const results = { static: { times: [], ok: 0, other: 0, ms: 0, cpu: 0 }, comments: { times: [], ok: 0, other: 0, ms: 0, cpu: 0 } };
const windows = [];

// The server's own CPU time (Linux), so that its cost per request can be told apart from how busy the machine was.
const cpuMs = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
};
const measure = (kind) =>
  new Promise((resolve, reject) => {
    const into = results[kind];
    const started = Date.now();
    const cpuBefore = cpuMs(server.pid);
    const instance = autocannon({ url, duration: seconds, connections, ...phases[kind].options }, (error) => {
      if (error) return reject(error);
      into.cpu += cpuMs(server.pid) - cpuBefore;
      into.ms += Date.now() - started;
      windows.push({ start: started, end: Date.now() });
      resolve();
    });
    instance.on('response', (_client, status, _bytes, time) => {
      into.times.push(time);
      if (status >= 200 && status < 400) into.ok++;
      else into.other++;
    });
  });

const load = loadavg()[0];
// BENCH_PHASES=comments (or static) measures one kind only, for profiling with BENCH_NODE_ARGS=--cpu-prof.
const kinds = (process.env.BENCH_PHASES ?? 'static,comments').split(',');
for (let r = 0; r < rounds; r++) {
  for (const kind of kinds) await measure(kind);
}
clearInterval(editing);
await lastEdit;
const loadAfter = loadavg()[0];

// How much of the measured time a rebuild was running.
let busy = 0;
for (const { end, ms } of rebuilds) {
  for (const w of windows) busy += Math.max(0, Math.min(end, w.end) - Math.max(end - ms, w.start));
}
const measured = windows.reduce((sum, w) => sum + (w.end - w.start), 0);
const during = rebuilds.filter(({ end, ms }) => windows.some((w) => end - ms < w.end && end > w.start));

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const line = (kind) => {
  const { times, ok, other, ms, cpu } = results[kind];
  const sorted = Float64Array.from(times).sort();
  const rate = Math.round((ok + other) / (ms / 1000));
  const perRequest = Number.isNaN(cpu) ? '' : `   server CPU ${((1000 * cpu) / (ok + other)).toFixed(0)} µs a request`;
  return `${String(rate).padStart(6)} /s   p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   ok ${ok}, other ${other}${perRequest}`;
};

server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
const stored = Number(cli('comment', 'list', '--status', 'all', '--format', 'count').trim()) - ids.reduce((n, _id, i) => n + (i % 5), 0);

console.log(
  `termpress serve, ${count} posts; ${cpus().length} × ${cpus()[0]?.model.trim()}; node ${process.version}; load average ${load.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
);
console.log(`${rounds} rounds of ${seconds} s static then ${seconds} s comments, ${connections} connections (autocannon, same machine)`);
console.log(
  `rebuilds: ${during.length} during the measured ${(measured / 1000).toFixed(0)} s (${edits} edits of the newest post, one a second), ` +
    `a rebuild running ${Math.round((100 * busy) / measured)}% of the time, ${rebuilds.length ? Math.round(rebuilds.reduce((s, r) => s + r.ms, 0) / rebuilds.length) : '?'} ms each on average`,
);
for (const kind of kinds) console.log(`${phases[kind].label}\n  ${line(kind)}`);
console.log(`comments on disk after the run: ${stored}; acknowledged: ${results.comments.ok} (the rest were in flight when a phase ended)`);
await rm(root, { recursive: true, force: true, maxRetries: 5 });
