import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, Sandbox } from '../__tests__/helpers/cli.js';
import { readPosts, run, start } from './procs.js';
import type { Running } from './procs.js';

// Processes killed with SIGKILL at random moments while they write, in a loop. After every kill:
// the next write takes the dead process's lock over at once; at checkpoints: every write that was
// reported as done is there, every file parses, listings never trip on leftover temp files, and
// doctor --fix clears the leftovers. STRESS_ITERATIONS overrides the count (default 100).

const ITERATIONS = Number(process.env.STRESS_ITERATIONS ?? 100);

// A writer using the library: posts, comments and appends to a journal post, printing each one only
// after the call returned. Standard output to a pipe is synchronous on Linux, so a line printed before
// the kill is a line the test receives.
const WRITER = String.raw`
const { openBlog, ConflictError } = await import(process.env.TP_LIB);
const blog = await openBlog({ blog: process.env.TERMPRESS_BLOG, lockTimeoutMs: 60000 });
const tag = process.env.TP_TAG;
const [target, journal] = [process.env.TP_TARGET, process.env.TP_JOURNAL];
process.stdout.write('ready\n');
for (let k = 0; ; k++) {
  const op = k % 3;
  if (op === 0) {
    const post = await blog.createPost({ title: 'Crash ' + tag + ' ' + k, body: 'x'.repeat(Math.floor(Math.random() * 200000)) });
    process.stdout.write('post ' + post.id + '\n');
  } else if (op === 1) {
    const { comment } = await blog.addComment(target, { author: 'W ' + tag + ' ' + k, email: tag + '-' + k + '@example.com', ip: tag + '-' + k, body: 'crash comment ' + tag + ' ' + k, approve: true });
    process.stdout.write('comment ' + comment.id + '\n');
  } else {
    for (;;) {
      const base = await blog.getPost(journal);
      try {
        await blog.updatePost(journal, { body: base.body + 'line ' + tag + '-' + k + '\n' }, { base });
        break;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    process.stdout.write('line ' + tag + '-' + k + '\n');
  }
}
`;

let sb: Sandbox;
let blog: string;
let writer: string;
beforeAll(() => {
  sb = new Sandbox();
  blog = sb.initBlog('--title', 'Crashes');
  writer = path.join(sb.root, 'writer.mjs');
  writeFileSync(writer, WRITER);
});
afterAll(() => sb.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(proc: Running, text: string, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (!proc.stdout().includes(text) && Date.now() < until && proc.child.exitCode === null) await sleep(5);
}

test(`SIGKILL at random moments while writing, ${ITERATIONS} times: nothing reported is lost, every file parses, the lock is taken over at once`, async () => {
  const target = sb.ok(['post', 'create', '--title', 'Commented', '--status', 'published', '--porcelain']).trim();
  const journal = sb.ok(['post', 'create', '--title', 'Journal', '--porcelain']).trim();
  const reported = { posts: new Set<string>(), comments: new Set<string>(), lines: new Set<string>() };
  const cliPosts = new Set<string>();
  let kills = 0;
  let takeovers = 0;

  const check = async () => {
    const posts = readPosts(blog); // throws naming any file that does not parse
    for (const id of [...reported.posts, ...cliPosts]) expect(posts.has(id) ? id : `missing post ${id}`).toBe(id);
    const commentIds = new Set(posts.get(target).comments.map((c: { id: string }) => c.id));
    for (const id of reported.comments) expect(commentIds.has(id) ? id : `missing comment ${id}`).toBe(id);
    const lines = new Set(
      posts
        .get(journal)
        .body.split('\n')
        .filter(Boolean)
        .map((l: string) => l.slice('line '.length)),
    );
    for (const line of reported.lines) expect(lines.has(line) ? line : `missing line ${line}`).toBe(line);
    // Temp files of killed writes may sit beside the posts; a listing must neither count nor trip on them.
    const temps = readdirSync(path.join(blog, 'posts')).filter((n) => !n.endsWith('.json'));
    for (const name of temps) expect(name).toMatch(/\.json\.\d+$/);
    const count = await run(sb, ['post', 'list', '--status', 'all', '--format', 'count']);
    expect(count).toMatchObject({ code: 0, stdout: `${posts.size}\n` });
    const doctor = await run(sb, ['doctor', '--format', 'json']);
    const findings = JSON.parse(doctor.stdout).findings as Array<{ problem: string; fix?: string }>;
    // Everything doctor finds after crashes is a leftover it can remove, or the index to rebuild.
    for (const finding of findings) expect(finding).toMatchObject({ fix: expect.stringMatching(/^(remove it|rebuild it)$/) });
    return temps.length;
  };

  for (let i = 0; i < ITERATIONS; i++) {
    const procs = ['a', 'b'].map((tag) =>
      start(sb, [], {
        script: writer,
        env: {
          TP_LIB: pathToFileURL(path.join(REPO, 'dist', 'index.js')).href,
          TP_TAG: `${i}${tag}`,
          TP_TARGET: target,
          TP_JOURNAL: journal,
        },
      }),
    );
    const cli = start(sb, ['post', 'create', '--title', `CLI ${i}`, '--body', 'y'.repeat(5000), '--porcelain']);
    await Promise.all(procs.map((p) => waitFor(p, 'ready', 10000)));
    await sleep(20 + Math.random() * 300);
    for (const p of [...procs, cli]) p.child.kill('SIGKILL');
    kills += 3;
    const results = await Promise.all([...procs, cli].map((p) => p.done));
    for (const result of results.slice(0, 2)) {
      // A writer only ever ends by the kill: an error of its own would be a failure to report.
      expect({ signal: result.signal, stderr: result.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
      for (const line of result.stdout.split('\n')) {
        const [kind, value] = line.split(' ');
        if (kind === 'post') reported.posts.add(value!);
        if (kind === 'comment') reported.comments.add(value!);
        if (kind === 'line') reported.lines.add(value!);
      }
    }
    const cliResult = results[2]!;
    if (cliResult.code === 0) cliPosts.add(cliResult.stdout.trim());

    // The next command must not wait for the dead: a short lock wait, and it succeeds.
    const lockWasLeft = existsSync(path.join(blog, '.termpress', 'lock'));
    const next = await run(sb, ['post', 'edit', journal, '--excerpt', `after kill ${i}`, '--debug'], { TERMPRESS_LOCK_TIMEOUT_MS: '1000' });
    expect(next.code === 0 ? 'ok' : `exit ${next.code}: ${next.stderr}`).toBe('ok');
    if (lockWasLeft) takeovers++;
    expect(existsSync(path.join(blog, '.termpress', 'lock'))).toBe(false);

    if (i % 10 === 9) await check();
  }

  const temps = await check();
  const fixed = await run(sb, ['doctor', '--fix']);
  expect(fixed.code).toBe(0);
  expect(readdirSync(path.join(blog, 'posts')).filter((n) => !n.endsWith('.json'))).toEqual([]);
  expect((await run(sb, ['doctor'])).code).toBe(0);
  await check();
  // The run must actually have crashed writers in the middle of things to prove anything.
  expect(reported.posts.size + reported.comments.size + reported.lines.size).toBeGreaterThan(ITERATIONS);
  expect(takeovers + temps).toBeGreaterThan(0);
  process.stdout.write(
    `crash loop: ${ITERATIONS} iterations, ${kills} kills, ${takeovers} locks left by the dead and taken over, ${temps} temp files left, ` +
      `${reported.posts.size} posts, ${reported.comments.size} comments, ${reported.lines.size} journal lines reported and found, ${cliPosts.size} CLI posts\n`,
  );
});
