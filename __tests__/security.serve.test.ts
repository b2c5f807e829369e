/**
 * `termpress serve` never crashes on a request, never serves anything outside the site, and answers only
 * the hosts the blog is served as. Links and odd files are committed into public/ (links to a sentinel
 * outside the blog, a dangling link, a loop, a FIFO), requests come in every path encoding and with
 * hostile Host headers, and files vanish while a rebuild runs under the requests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BIN, Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type Served } from './helpers/serve.js';

const SECRET = 'OUTSIDE-SECRET-5e1f';

let sb: Sandbox;
let blog: string;
let served: Served;
let outside: string;

beforeAll(async () => {
  sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
  blog = sb.initBlog('--title', 'Served', '--url', 'https://blog.example/');
  sb.ok(['post', 'create', '--title', 'On the web', '--body', 'Public words.', '--status', 'published']);
  outside = path.join(sb.root, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), `${SECRET}\n`);
  writeFileSync(path.join(outside, 'secret.html'), `<p>${SECRET}</p>\n`);
  served = await startServe(sb);
  // Put there after the build, as a clone or another process would: the server meets them as they are.
  const pub = path.join(blog, 'public');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(pub, 'leak.txt'));
  symlinkSync(path.join(outside, 'secret.html'), path.join(pub, 'leak.html'));
  symlinkSync(outside, path.join(pub, 'linked'));
  symlinkSync('/etc/passwd', path.join(pub, 'passwd.txt'));
  symlinkSync(path.join(outside, 'missing'), path.join(pub, 'dangling.html'));
  symlinkSync(path.join(pub, 'loop-b'), path.join(pub, 'loop-a'));
  symlinkSync(path.join(pub, 'loop-a'), path.join(pub, 'loop-b'));
  spawnSync('mkfifo', [path.join(pub, 'fifo.html')]);
  mkdirSync(path.join(pub, 'dir.html'));
}, 60_000);
afterAll(async () => {
  await served?.stop();
  sb.cleanup();
});

const get = (target: string, headers: Record<string, string> = {}) => rawRequest(served.port, target, { headers });

/** The server still answers its home page: it did not crash or hang. */
async function expectAlive(): Promise<void> {
  const home = await get('/');
  expect(home.status).toBe(200);
  expect(home.body).toContain('On the web');
}

describe('never outside the site', () => {
  const TARGETS = [
    '/leak.txt',
    '/leak.html',
    '/linked/secret.txt',
    '/linked/',
    '/linked',
    '/passwd.txt',
    '/dangling.html',
    '/loop-a',
    '/loop-b/x',
    '/fifo.html',
    '/dir.html',
    '/.termpress-build.json',
    '/../outside/secret.txt',
    '/../../../../etc/passwd',
    '/..%2f..%2foutside%2fsecret.txt',
    '/%2e%2e/%2e%2e/outside/secret.txt',
    '/%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/..%5c..%5coutside%5csecret.txt',
    '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
    '/%u002e%u002e/etc/passwd',
    '/./../.././outside/secret.txt',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/index.html%00.txt',
    '/%00',
    '/%zz',
    '/linked%2fsecret.txt',
    '/leak.txt/',
    '/leak.txt%20',
    '/leak.txt.',
    '/LEAK.TXT',
    `/${'a'.repeat(8000)}`,
    `http://127.0.0.1/../../etc/passwd`,
    '*',
  ];

  it.each(TARGETS.map((t) => [t.length > 60 ? `${t.slice(0, 60)}…` : t, t] as const))(
    'GET %s: a 4xx or a redirect, never the file outside',
    async (_shown, target) => {
      const response = await get(target);
      expect({ target: _shown, ok: [301, 400, 404, 405, 414].includes(response.status) }).toEqual({ target: _shown, ok: true });
      expect(response.body).not.toContain(SECRET);
      expect(response.body).not.toMatch(/root:x?:0:0/);
      if (response.status === 301) expect(response.headers.location).not.toMatch(/^(https?:)?\/\/|\.\./);
    },
  );

  it('HEAD and other methods on the same paths give nothing away either', async () => {
    for (const method of ['HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']) {
      const response = await rawRequest(served.port, '/leak.txt', {
        method,
        body: method === 'POST' || method === 'PUT' ? 'x=1' : undefined,
      });
      expect({ method, status: [404, 405].includes(response.status) }).toEqual({ method, status: true });
      expect(response.body).not.toContain(SECRET);
    }
  });

  it('the server answered every one of them and wrote no stack trace', async () => {
    await expectAlive();
    expect(served.stderr()).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(served.child.exitCode).toBeNull();
  });
});

describe('only the hosts the blog is served as', () => {
  it.each([
    'attacker.example',
    'attacker.example:PORT',
    '127.0.0.1.attacker.example:PORT',
    'localhost.attacker.example:PORT',
    '127.0.0.1:PORT@attacker.example',
    'attacker.example@127.0.0.1:PORT',
    'localhost:1',
    '127.0.0.1:PORT1',
    '0.0.0.0:PORT',
    '[::ffff:127.0.0.1]:PORT',
    'blog.example.attacker.example',
    'blog.example:8443',
    ' ',
    '127.0.0.1:PORT/../',
    'localhost\\@attacker.example',
  ])('Host: %j is 421 with no page of the site', async (host) => {
    const response = await get('/', { host: host.replaceAll('PORT', String(served.port)) });
    expect(response.status).toBe(421);
    expect(response.body).not.toContain('On the web');
  });

  it.each([
    'GET / HTTP/1.0\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n',
    'GET http://attacker.example/ HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n',
  ])('a request without a usable Host (%j) is refused too', async (request) => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(served.port, '127.0.0.1', () => socket.write(request));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.[01] (400|421)/);
    expect(answer).not.toContain('On the web');
  });

  it.each([
    '127.0.0.1:PORT',
    'localhost:PORT',
    'LOCALHOST:PORT',
    '[::1]:PORT',
    'localhost',
    'blog.example',
    'blog.example.',
    'BLOG.example:443',
  ])('Host: %j is the site', async (host) => {
    const response = await get('/', { host: host.replaceAll('PORT', String(served.port)) });
    expect(response.status).toBe(200);
  });
});

describe('files that vanish under a request', () => {
  it('a rebuild that removes and rewrites pages while requests come in: every request is answered, the server lives', async () => {
    const pages = ['/', '/2026/', '/archives/', '/feed.xml', '/assets/style.css', '/no/such/'];
    const statuses: number[] = [];
    const builds: number[] = [];
    for (let round = 0; round < 4; round++) {
      const build = new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'build', '--clean'], { env: sb.env, cwd: sb.cwd, stdio: 'ignore' });
        child.once('exit', (code) => resolve(code ?? -1));
      });
      // Requests until the build is done, so that some meet pages removed and not yet written again.
      let done = false;
      void build.then(() => (done = true));
      for (let i = 0; !done && i < 400; i++) statuses.push((await get(pages[i % pages.length]!)).status);
      builds.push(await build);
    }
    expect(builds).toEqual([0, 0, 0, 0]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => [200, 301, 404].includes(status))).toBe(true);
    await expectAlive();
    expect(served.stderr()).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });
});
