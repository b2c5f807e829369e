import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BIN, Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type Served } from './helpers/serve.js';

/** A reader's form, from the post's page: its id and a token, used after a person's typing time. */
async function formOf(served: Served, target: string): Promise<{ postId: string; token: string }> {
  const html = (await rawRequest(served.port, target)).body;
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
  await new Promise((resolve) => setTimeout(resolve, 3100));
  return { postId: value('post'), token: value('token') };
}

async function postPathOf(served: Served): Promise<string> {
  const home = (await rawRequest(served.port, '/')).body;
  return '/' + /href="([^"]*\/load\/)index\.html"/.exec(home)![1]!;
}

/** Runs the built termpress without holding up this process (its server's readers go on meanwhile). */
function termpressAsync(sb: Sandbox, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: sb.cwd, env: sb.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

/** Runs tasks with at most `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe('termpress serve under load', () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  const setUp = () => {
    sb = new Sandbox();
    sb.initBlog('--title', 'Busy');
    const id = sb.ok(['post', 'create', '--title', 'Load', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
  };

  it('takes 200 comments sent at once from 200 networks: each answered 303, all 200 on disk', async () => {
    setUp();
    const served = await startServe(sb);
    try {
      const { postId, token } = await formOf(served, await postPathOf(served));
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          rawRequest(served.port, '/_termpress/comment', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${served.port}` },
            body: new URLSearchParams({
              post: postId,
              token,
              comment: `Comment number ${i}`,
              author: `Reader ${i}`,
              email: `reader${i}@example.com`,
            }).toString(),
            // 127.1.i.1: a network (/24) of its own for each reader.
            localAddress: `127.1.${i}.1`,
          }),
        ),
      );
      expect(answers.map((a) => a.status).filter((status) => status !== 303)).toEqual([]);
      expect(sb.ok(['comment', 'list', '--status', 'all', '--format', 'count']).trim()).toBe('200');
      const bodies = new Set(JSON.parse(sb.ok(['comment', 'list', '--status', 'all', '--json'])).map((c: { body: string }) => c.body));
      expect(bodies.size).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 120_000);

  it("lets a moderator's comment approve in another terminal have the blog while it takes a steady load of comments", async () => {
    setUp();
    const served = await startServe(sb);
    try {
      const { postId, token } = await formOf(served, await postPathOf(served));
      const send = (i: number) =>
        rawRequest(served.port, '/_termpress/comment', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ post: postId, token, body: `Steady ${i}`, author: `Steady ${i}`, email: `steady${i}@example.com` }),
          localAddress: `127.3.${i % 250}.${1 + Math.floor(i / 250)}`,
        });
      const held = await Promise.all([0, 1, 2].map(async (i) => (JSON.parse((await send(i)).body) as { id: string }).id));
      let moderating = true;
      const load = pool(16, 16, async (worker) => {
        // Bounded: at most 600 comments, and only while the moderator works.
        for (let i = 3 + worker; moderating && i < 600; i += 16) expect((await send(i)).status).toBe(201);
      });
      const approvals: Array<{ code: number | null; stderr: string }> = [];
      for (const id of held) approvals.push(await termpressAsync(sb, ['comment', 'approve', id]));
      moderating = false;
      await load;
      expect(approvals).toEqual(held.map(() => ({ code: 0, stderr: '' })));
      const statuses = JSON.parse(sb.ok(['comment', 'list', '--status', 'approved', '--json'])).map((c: { id: string }) => c.id);
      expect(statuses.sort()).toEqual([...held].sort());
    } finally {
      expect(await served.stop()).toBe(0);
    }
    // The lock the server kept between batches is let go when it stops.
    expect(existsSync(path.join(sb.env.TERMPRESS_BLOG!, '.termpress', 'lock'))).toBe(false);
  }, 120_000);

  it('keeps every comment it acknowledged when killed with SIGKILL in the middle of a load; every file parses and doctor finds nothing wrong', async () => {
    setUp();
    const served = await startServe(sb);
    const { postId, token } = await formOf(served, await postPathOf(served));
    const acknowledged: string[] = [];
    let killed = false;
    await pool(400, 16, async (i) => {
      if (killed) return;
      try {
        const answer = await rawRequest(served.port, '/_termpress/comment', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ post: postId, token, body: `Under load ${i}`, author: `Loader ${i}`, email: `loader${i}@example.com` }),
          localAddress: `127.2.${i % 250}.${1 + Math.floor(i / 250)}`,
        });
        if (answer.status === 201) acknowledged.push((JSON.parse(answer.body) as { id: string }).id);
      } catch {
        // Cut off by the kill: not acknowledged, so nothing is owed.
      }
      if (acknowledged.length >= 60 && !killed) {
        killed = true;
        served.child.kill('SIGKILL');
      }
    });
    await served.stop();
    expect(killed).toBe(true);
    const stored = new Set(sb.ok(['comment', 'list', '--status', 'all', '--format', 'ids']).trim().split('\n'));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const doctor = sb.run(['doctor']);
    // A clean report is talk (stderr), so a scheduled doctor prints nothing on stdout when all is well.
    expect(doctor.stdout).toBe('');
    expect(doctor.stderr).toContain('No problems found.');
    expect(doctor.code).toBe(0);
  }, 120_000);
});
