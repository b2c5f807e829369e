import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type RawResponse, type Served } from './helpers/serve.js';

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The same file asked for twice: once read from the disk, once from memory. */
async function twice(served: Served, target: string, headers: Record<string, string> = {}): Promise<[RawResponse, RawResponse]> {
  const first = await rawRequest(served.port, target, { headers });
  const second = await rawRequest(served.port, target, { headers });
  return [first, second];
}

const VALIDATORS = ['etag', 'last-modified', 'content-type', 'content-length', 'cache-control', 'x-content-type-options', 'accept-ranges'];
const validators = (response: RawResponse) => Object.fromEntries(VALIDATORS.map((name) => [name, response.headers[name]]));

describe('termpress serve answers the site as the files on disk say, however often they are asked for', () => {
  let sb: Sandbox;
  let blog: string;
  let served: Served;
  let postPath: string;

  beforeAll(async () => {
    sb = new Sandbox();
    blog = sb.initBlog('--title', 'Static');
    const id = sb.ok(['post', 'create', '--title', 'First words', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    served = await startServe(sb);
    const home = (await rawRequest(served.port, '/')).body;
    postPath = '/' + /href="([^"]*first-words\/)index\.html"/.exec(home)![1]!;
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    sb?.cleanup();
  });

  it('gives every kind of file its type, and the same validators on each answer', async () => {
    const types: Record<string, RegExp> = {
      '/': /^text\/html; charset=utf-8$/,
      '/feed.xml': /^application\/rss\+xml; charset=utf-8$/,
      '/atom.xml': /^application\/atom\+xml; charset=utf-8$/,
      '/feed.json': /^application\/feed\+json; charset=utf-8$/,
      '/sitemap.xml': /^application\/xml; charset=utf-8$/,
      '/assets/style.css': /^text\/css; charset=utf-8$/,
    };
    for (const [target, type] of Object.entries(types)) {
      const [first, second] = await twice(served, target);
      expect({ target, status: first.status }).toEqual({ target, status: 200 });
      expect(first.headers['content-type']).toMatch(type);
      expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      expect(first.headers['x-content-type-options']).toBe('nosniff');
      expect(validators(second)).toEqual(validators(first));
      expect(second.body).toBe(first.body);
    }
  });

  it('answers 304 to a copy that is current (If-None-Match, If-Modified-Since), and the file to one that is not or says no-cache', async () => {
    const [first] = await twice(served, '/feed.xml');
    const etag = first.headers.etag!;
    const current = await rawRequest(served.port, '/feed.xml', { headers: { 'if-none-match': etag } });
    expect(current.status).toBe(304);
    expect(current.body).toBe('');
    expect(current.headers.etag).toBe(etag);
    const byDate = await rawRequest(served.port, '/feed.xml', { headers: { 'if-modified-since': first.headers['last-modified']! } });
    expect(byDate.status).toBe(304);
    const other = await rawRequest(served.port, '/feed.xml', { headers: { 'if-none-match': 'W/"0-0"' } });
    expect(other.status).toBe(200);
    expect(other.body).toBe(first.body);
    const noCache = await rawRequest(served.port, '/feed.xml', { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } });
    expect(noCache.status).toBe(200);
  });

  it('answers HEAD with the headers alone, and a range with those bytes', async () => {
    const [full] = await twice(served, '/assets/style.css');
    const head = await rawRequest(served.port, '/assets/style.css', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(full.headers['content-length']);
    expect(head.headers.etag).toBe(full.headers.etag);
    const range = await rawRequest(served.port, '/assets/style.css', { headers: { range: 'bytes=0-9' } });
    expect(range.status).toBe(206);
    expect(range.body).toBe(full.body.slice(0, 10));
  });

  it('sends a folder asked for without its slash to the folder, and fills in the form of a post page for each reader', async () => {
    const folder = await rawRequest(served.port, postPath.replace(/\/$/, ''));
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe(postPath);
    const [a, b] = await twice(served, postPath);
    expect(a.status).toBe(200);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.headers.etag).toBeUndefined();
    const token = (page: RawResponse) => /name="token"[^>]*value="(\d+\.[\w-]{43})"/.exec(page.body)?.[1];
    expect(token(a)).toBeDefined();
    expect(token(b)).toBeDefined();
    // Each reader gets a browser id of their own.
    expect(a.headers['set-cookie']?.[0]).not.toBe(b.headers['set-cookie']?.[0]);
  });

  it('serves a page as rebuilt as soon as the rebuild is done, not as it was first asked for', async () => {
    await twice(served, postPath);
    await twice(served, '/');
    sb.ok(['post', 'edit', 'first-words', '--title', 'Second thoughts']);
    const home = await waitUntil('the rebuilt home page', async () => {
      const page = await rawRequest(served.port, '/');
      return page.body.includes('Second thoughts') ? page : null;
    });
    expect(home.body).not.toContain('First words');
    const post = await rawRequest(served.port, postPath);
    expect(post.body).toContain('Second thoughts');
  });

  it('never serves what a link put in place of a file since it was last read points to, nor a file written over it unseen', async () => {
    const pub = path.join(blog, 'public');
    const outside = path.join(sb.root, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'secret.html'), '<p>the secret</p>');
    writeFileSync(path.join(pub, 'extra.html'), '<p>public words</p>');
    const [first, second] = await twice(served, '/extra.html');
    expect(first.body).toBe('<p>public words</p>');
    expect(second.body).toBe('<p>public words</p>');

    // Replaced by a link to a file outside the site: refused, though its old text is in memory.
    renameSync(path.join(pub, 'extra.html'), path.join(pub, 'extra.old'));
    symlinkSync(path.join(outside, 'secret.html'), path.join(pub, 'extra.html'));
    const linked = await rawRequest(served.port, '/extra.html');
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain('the secret');

    // A real file again, of the same size: its new text, not the old one.
    renameSync(path.join(pub, 'extra.html'), path.join(pub, 'extra.link'));
    writeFileSync(path.join(pub, 'extra.html'), '<p>PUBLIC WORDS</p>');
    const rewritten = await rawRequest(served.port, '/extra.html');
    expect(rewritten.status).toBe(200);
    expect(rewritten.body).toBe('<p>PUBLIC WORDS</p>');
  });
});
