/** `termpress import --media` end to end: the built binary downloads from a local HTTP server, then `build` shows the local copies. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from './fixtures/wxr/memory-target.js';
import { BIN, Sandbox, type RunResult } from './helpers/cli.js';

/** Runs the built binary without blocking this process, so that the test's own server can answer it. */
function runAsync(sb: Sandbox, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: sb.cwd, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe('termpress import --media', () => {
  let server: Server;
  let origin = '';
  const sockets = new Set<Socket>();
  let sb: Sandbox;
  let blog: string;
  let file: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop();
      if (name === 'boat.jpg' || name === 'gull.png' || name === 'climber.jpg') res.end(`bytes of ${name}`);
      else if (name === 'slow.jpg') return;
      else if (name === 'huge.jpg') {
        res.setHeader('content-length', String(5 * 1024 * 1024));
        res.end();
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Harbour Lights', '--url', 'https://notes.example/');
    file = path.join(sb.cwd, 'site.xml');
    writeFileSync(file, readFileSync(fixture('site-1.2.xml'), 'utf8').replaceAll('http://uploads.invalid', origin));
  });
  afterEach(() => sb.cleanup());

  it('downloads what it can, names each file it could not, and the built site shows the local copies', async () => {
    const result = await runAsync(sb, ['import', file, '--media', '--media-timeout', '1', '--media-max-size', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Imported 3 posts and 5 pages from site\.xml \(https:\/\/harbourlights\.example\)\n/);
    expect(result.stdout).toMatch(/\n {2}media: {4}8 new; 3 downloaded, 5 failed\n/);
    expect(result.stdout).toMatch(/\n {2}5 media files are still on the old site \(run the import again with --media to retry\)\n/);
    expect(result.stderr).toMatch(
      /could not download http:\/\/127\.0\.0\.1:\d+\/wp-content\/uploads\/2019\/05\/slow\.jpg: no answer within 1 s; the site keeps the remote address/,
    );
    expect(result.stderr).toMatch(/huge\.jpg: it is 5242880 bytes, over the limit of 1048576/);
    expect(result.stderr).toMatch(/missing\.jpg: the server answered 404/);
    expect(readFileSync(path.join(blog, 'media/2019/05/boat.jpg'), 'utf8')).toBe('bytes of boat.jpg');

    sb.ok(['build']);
    expect(readFileSync(path.join(blog, 'public/media/2019/05/boat.jpg'), 'utf8')).toBe('bytes of boat.jpg');
    const lamp = readFileSync(path.join(blog, 'public/2019/05/25/lamp-lit-at-dusk/index.html'), 'utf8');
    expect(lamp).toContain('src="/media/2019/05/boat.jpg"');
    expect(lamp).toContain('<p>By morning the sea was flat.');
  });

  it('refuses a timeout or size that is not a positive number, with exit 2 and nothing imported', async () => {
    const result = await runAsync(sb, ['import', file, '--media', '--media-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --media-timeout takes a number of more than 0 and at most 3600, not "soon".\n');
    expect(sb.ok(['post', 'list', '--format', 'count']).trim()).toBe('0');
  });
});
