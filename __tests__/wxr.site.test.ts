/**
 * Moving a whole WordPress site in (fixtures/wxr/site-1.2.xml): pages with their tree, the category tree
 * with two categories named alike, attachments downloaded from a real local HTTP server (one missing,
 * one that never answers, one too large, and addresses that must never be fetched or written), posts
 * sharing a guid; then the built site: paragraphs, local images, archives by tree, old links, and the
 * WXR export read back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { openBlog, type Blog } from '../src/api/blog.js';
import { buildBlog } from '../src/site/blog.js';
import { exportBlog, importIntoBlog, type BlogImportReport } from '../src/wxr/blog.js';
import { importWxr } from '../src/wxr/index.js';
import { fixture, MemoryTarget } from './fixtures/wxr/memory-target.js';

const BOAT = Buffer.from('JFIF boat bytes');
const GULL = Buffer.from('PNG gull bytes');
const CLIMBER = Buffer.from('JFIF climber bytes');

/** The old site's uploads: what each path answers, and every path asked for. */
class UploadsServer {
  readonly requests: string[] = [];
  missingFound = false;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push(url);
    const file = url.replace(/^\/wp-content\/uploads\/2019\/05\//, '');
    if (file === 'boat.jpg') res.end(BOAT);
    else if (file === 'gull.png') res.end(GULL);
    else if (file === 'climber.jpg') res.end(CLIMBER);
    else if (file === 'missing.jpg' && this.missingFound) res.end('JFIF found at last');
    else if (file === 'slow.jpg')
      return; // never answers
    else if (file === 'huge.jpg') {
      // No Content-Length: the cap must hold while the bytes arrive.
      const body = new PassThrough();
      body.pipe(res);
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && body.write(chunk)) sent += 1;
        if (sent < 40) body.once('drain', pump);
        else body.end();
      };
      res.on('error', () => body.destroy());
      pump();
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const NOW = new Date('2026-11-27T10:00:00.000Z');
const DOWNLOAD = { timeoutMs: 500, retries: 1, maxBytes: 1024 * 1024 };

describe('a WordPress site moved in whole', () => {
  let root: string;
  let uploads: UploadsServer;
  let exportFile: string;

  beforeAll(async () => {
    uploads = new UploadsServer();
    await uploads.start();
  });
  afterAll(() => uploads.stop());

  /** A scratch folder holding the fixture, its uploads pointed at the local server. */
  function prepare(): void {
    root = mkdtempSync(path.join(os.tmpdir(), 'termpress-wxr-site-'));
    exportFile = path.join(root, 'site.xml');
    writeFileSync(exportFile, readFileSync(fixture('site-1.2.xml'), 'utf8').replaceAll('http://uploads.invalid', uploads.origin));
    uploads.requests.length = 0;
    uploads.missingFound = false;
  }

  async function newBlog(name = 'blog'): Promise<Blog> {
    const blog = await openBlog({ blog: path.join(root, name), env: { TERMPRESS_CONFIG_DIR: path.join(root, 'home') }, now: () => NOW });
    await blog.init({ title: 'Harbour Lights', url: 'https://notes.example/', timezone: 'UTC' });
    return blog;
  }

  const posts = async (blog: Blog) =>
    (await blog.listPosts({ status: ['draft', 'pending', 'scheduled', 'published', 'trash'] })).map((p) => p.title).sort();
  const pages = async (blog: Blog) => (await blog.listPosts({ type: 'page', status: ['draft', 'published'] })).map((p) => p.title).sort();

  describe('importing', () => {
    beforeEach(prepare);
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    test('every item is accounted for: the summary counts what the file holds', async () => {
      const blog = await newBlog();
      const report: BlogImportReport = await importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD });
      expect(report).toMatchObject({
        items: 17,
        imported: 8,
        posts: { draft: 0, pending: 0, scheduled: 0, published: 3, trash: 0 },
        pages: { draft: 1, pending: 0, scheduled: 0, published: 4, trash: 0 },
        comments: { approved: 4, pending: 0, spam: 0, trash: 0 },
        categories: { imported: 5, present: 0 },
        tags: { imported: 1, present: 0 },
        media: { imported: 8, present: 0 },
        skipped: { nav_menu_item: 1 },
        downloads: { downloaded: 3, failed: 5 },
        remoteMedia: 5,
      });
      const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total(report.posts) + total(report.pages) + report.media.imported + total(report.skipped)).toBe(report.items);
      // Posts 10 and 11 share a guid, and are two posts.
      expect(await posts(blog)).toEqual(['Fog week', 'Lamp lit at dusk', 'Regatta results']);
      expect(await pages(blog)).toEqual(['About', 'Contact', 'History', 'Keepers only', 'Team']);
      expect(report.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/page 6 "Keepers only": private in WordPress, imported as a draft/),
          expect.stringMatching(/could not download .*\/missing\.jpg: the server answered 404/),
          expect.stringMatching(/could not download .*\/slow\.jpg: no answer within/),
          expect.stringMatching(/could not download .*\/huge\.jpg: it is over the limit of 1048576 bytes/),
          expect.stringMatching(/could not download .*\/page\.html: it is text\/html, which termpress does not put on the site/),
          expect.stringMatching(/could not download file:\/\/\/etc\/passwd: only http and https addresses are downloaded/),
        ]),
      );

      // What must never be fetched was not; what was fetched is inside media/ only.
      expect(uploads.requests.filter((r) => r.endsWith('page.html'))).toEqual([]);
      const media = path.join(blog.dir, 'media');
      expect(readFileSync(path.join(media, '2019/05/boat.jpg'))).toEqual(BOAT);
      expect(readFileSync(path.join(media, '2019/05/gull.png'))).toEqual(GULL);
      expect(readFileSync(path.join(media, 'tmp/climber.jpg'))).toEqual(CLIMBER);
      expect(readdirSync(media, { recursive: true }).map(String).sort()).toEqual([
        '2019',
        '2019/05',
        '2019/05/boat.jpg',
        '2019/05/gull.png',
        'tmp',
        'tmp/climber.jpg',
      ]);
      const records = await blog.store.readMedia();
      expect(records.map((r) => [r.title, r.file, r.size]).sort()).toEqual([
        ['A page', null, null],
        ['Climber', 'tmp/climber.jpg', CLIMBER.length],
        ['Gull', '2019/05/gull.png', GULL.length],
        ['Huge', null, null],
        ['Missing', null, null],
        ['Password file', null, null],
        ['Pilot boat', '2019/05/boat.jpg', BOAT.length],
        ['Slow', null, null],
      ]);
      expect(records.find((r) => r.title === 'Pilot boat')).toMatchObject({
        caption: 'The pilot boat at the quay',
        alt: 'The pilot boat',
        mimeType: 'image/jpeg',
      });
    });

    test('importing again adds nothing, and --media resumes what is left', async () => {
      const blog = await newBlog();
      await importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD });
      uploads.missingFound = true;
      uploads.requests.length = 0;
      const again = await importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD });
      expect(again).toMatchObject({
        imported: 0,
        skipped: { present: 8, nav_menu_item: 1 },
        media: { imported: 0, present: 8 },
        categories: { imported: 0, present: 5 },
        downloads: { downloaded: 1, failed: 4 },
        remoteMedia: 4,
      });
      // Files already downloaded are not fetched again.
      expect(uploads.requests.some((r) => r.endsWith('boat.jpg'))).toBe(false);
      expect(readFileSync(path.join(blog.dir, 'media/2019/05/missing.jpg'), 'utf8')).toBe('JFIF found at last');
      expect(await posts(blog)).toHaveLength(3);
    });

    test('without --media nothing is fetched and the summary says how many files stay on the old site', async () => {
      const blog = await newBlog();
      const report = await importIntoBlog(blog, exportFile, {});
      expect(report).toMatchObject({ media: { imported: 8 }, remoteMedia: 8 });
      expect(report.downloads).toBeUndefined();
      expect(uploads.requests).toEqual([]);
      expect(existsSync(path.join(blog.dir, 'media'))).toBe(false);
    });

    test('a media folder that is a link is refused, and nothing is written where it points', async () => {
      const blog = await newBlog();
      const elsewhere = path.join(root, 'elsewhere');
      mkdirSync(elsewhere);
      symlinkSync(elsewhere, path.join(blog.dir, 'media'));
      await expect(importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD })).rejects.toThrow(/media is a symbolic link/);
      expect(readdirSync(elsewhere)).toEqual([]);
    });

    test('the category tree: parents, slugs, descriptions, and two categories named News', async () => {
      const blog = await newBlog();
      await importIntoBlog(blog, exportFile, {});
      expect((await blog.store.readTaxonomy()).categories.map((c) => [c.slug, c.name, c.parent, c.description])).toEqual([
        ['uncategorized', 'Uncategorized', null, ''],
        ['world', 'World', null, 'Beyond the harbour wall'],
        ['news', 'News', 'world', 'News from <em>abroad</em>'],
        ['sports', 'Sports', null, ''],
        ['news-sports', 'News', 'sports', ''],
      ]);
      const byTitle = async (title: string) => (await blog.listPosts()).find((p) => p.title === title)!;
      // "News" names two categories, so posts name them by slug; "World" is one, so by name.
      expect((await byTitle('Lamp lit at dusk')).categories).toEqual(['news']);
      expect((await byTitle('Regatta results')).categories).toEqual(['news-sports']);
      expect((await byTitle('Fog week')).categories).toEqual(['World']);
      expect((await blog.store.readTaxonomy()).tags).toEqual([
        { slug: 'boats', name: 'Boats', description: 'Anything that floats', legacy: { wpTermId: '6' } },
      ]);
    });
  });

  describe('the built site', () => {
    let out: string;
    const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

    beforeAll(async () => {
      prepare();
      const blog = await newBlog();
      await importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD });
      out = path.join(root, 'public');
      await buildBlog(blog, { outDir: out });
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test('pages stand at their tree, in the navigation by menu order, never in lists or feeds', () => {
      expect(read('about/index.html')).toContain('<h1 id="post-title" class="post-title">About</h1>');
      expect(read('about/team/index.html')).toContain('Three keepers.');
      expect(read('about/team/history/index.html')).toContain('The first lamp was oil.');
      // A page whose comments are closed and that has none shows no comment section, as WordPress themes do.
      expect(read('contact/index.html')).not.toContain('id="comments"');
      expect(existsSync(path.join(out, 'keepers-only'))).toBe(false);
      const home = read('index.html');
      const nav = home.slice(home.indexOf('<nav class="site-nav"'), home.indexOf('</nav>'));
      expect([...nav.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])).toEqual([
        'Home',
        'About',
        'Team',
        'Contact',
        'Archives',
        'Feed',
      ]);
      expect(home).not.toContain('Three keepers');
      expect(read('feed.xml')).not.toContain('About');
      expect(read('archives/index.html')).not.toContain('Contact</a></li>\n<li');
      expect(read('sitemap.xml')).toContain('<loc>https://notes.example/about/team/history/</loc>');
      // A page keeps its comments.
      expect(read('about/index.html')).toContain('Lovely page.');
    });

    test('posts have their paragraphs, captions, galleries and local images; blocks and pingbacks are in their place', () => {
      const lamp = read('2019/05/25/lamp-lit-at-dusk/index.html');
      expect(lamp).toContain('<p>The lamp was lit at dusk.<br />\nThe wind rose after nine.</p>');
      expect(lamp).toMatch(
        /<figure class="wp-caption alignright" style="width:300px"><a href="\/media\/2019\/05\/boat\.jpg"><img class="size-medium wp-image-20" src="\/media\/2019\/05\/boat\.jpg" alt="The pilot boat" width="300" height="200" srcset="\/media\/2019\/05\/boat\.jpg 300w, \/media\/2019\/05\/boat\.jpg 1024w" \/><\/a><figcaption class="wp-caption-text">The pilot boat at the quay<\/figcaption><\/figure>/,
      );
      expect(lamp).not.toContain('uploads');
      // Two comments in the thread; the pingback is listed apart.
      expect(lamp).toContain('2 comments');
      const comments = lamp.slice(
        lamp.indexOf('<ol class="comment-list">'),
        lamp.indexOf('</ol>', lamp.indexOf('<ol class="comment-list">')),
      );
      expect(comments).not.toContain('Harbour Gazette');
      expect(lamp).toMatch(
        /<ol class="ping-list">\s*<li id="comment-[a-z0-9]+" class="ping pingback"><a href="https:\/\/gazette\.example\/lights" rel="external nofollow ugc">Harbour Gazette<\/a>/,
      );

      const regatta = read('2019/05/26/regatta-results/index.html');
      expect(regatta).toContain(
        '<ul class="gallery gallery-columns-2"><li class="gallery-item"><figure><a href="/media/2019/05/boat.jpg"><img src="/media/2019/05/boat.jpg" alt="The pilot boat" loading="lazy" /></a><figcaption>The pilot boat at the quay</figcaption></figure></li>',
      );
      expect(regatta).toContain('<img src="/media/2019/05/gull.png" alt="A gull" />');

      const fog = read('2019/05/27/fog-week/index.html');
      expect(fog).toContain('<p>Fog all week.</p>');
      expect(fog).not.toContain('wp:paragraph');
      expect(readFileSync(path.join(out, 'media/2019/05/boat.jpg'))).toEqual(BOAT);
    });

    test("category archives follow the tree, and a parent lists its children's posts", () => {
      const titles = (file: string) => [...read(file).matchAll(/<h2 class="post-title"><a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
      expect(titles('category/world/news/index.html')).toEqual(['Lamp lit at dusk']);
      expect(titles('category/world/index.html')).toEqual(['Fog week', 'Lamp lit at dusk']);
      expect(titles('category/sports/news-sports/index.html')).toEqual(['Regatta results']);
      expect(titles('category/sports/index.html')).toEqual(['Regatta results']);
      expect(read('category/world/news/index.html')).toContain('Category: World › News');
      expect(read('category/world/news/index.html')).toContain('<div class="archive-description">News from <em>abroad</em></div>');
      expect(read('2019/05/25/lamp-lit-at-dusk/index.html')).toContain(
        'href="../../../../category/world/news/index.html" rel="category tag">News</a>',
      );
    });

    test('old WordPress addresses lead to the new pages', () => {
      const old = read('2019/05/lamp-lit-at-dusk/index.html');
      expect(old).toContain('<meta http-equiv="refresh" content="0; url=../25/lamp-lit-at-dusk/index.html">');
      expect(old).toContain('<link rel="canonical" href="https://notes.example/2019/05/25/lamp-lit-at-dusk/">');
      const rules = read('_redirects').split('\n');
      expect(rules).toEqual(
        expect.arrayContaining([
          '/2019/05/lamp-lit-at-dusk/ /2019/05/25/lamp-lit-at-dusk/ 301!',
          '/ p=10 /2019/05/25/lamp-lit-at-dusk/ 301!',
          '/ p=11 /2019/05/26/regatta-results/ 301!',
          '/ page_id=4 /about/team/history/ 301!',
        ]),
      );
      // The page's old address is its new one: no redirect over it.
      expect(rules.some((line) => line.startsWith('/about/ '))).toBe(false);
      expect(read('about/index.html')).toContain('About');
      expect(read('nginx-redirects.map')).toContain('"/?p=10" "/2019/05/25/lamp-lit-at-dusk/";');
    });
  });

  describe('exporting', () => {
    beforeEach(prepare);
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    test('the WXR export carries pages, the tree and the media back out', async () => {
      const blog = await newBlog();
      await importIntoBlog(blog, exportFile, { media: true, download: DOWNLOAD });
      const file = path.join(root, 'out.xml');
      await exportBlog(blog, {
        format: 'wxr',
        statuses: ['draft', 'pending', 'scheduled', 'published', 'trash'],
        file,
        stream: process.stdout,
      });
      const target = new MemoryTarget();
      const report = await importWxr(file, target, { timezone: 'UTC', now: NOW });
      expect(report).toMatchObject({
        items: 16,
        imported: 8,
        media: { imported: 8 },
        categories: { imported: 5 },
        tags: { imported: 1 },
        skipped: {},
      });
      const history = target.posts.find((p) => p.title === 'History')!;
      const team = target.posts.find((p) => p.title === 'Team')!;
      expect(history).toMatchObject({ type: 'page' });
      expect(history.legacy?.['wpParentId']).toBe(team.legacy?.['wpPostId']);
      expect(target.posts.find((p) => p.title === 'About')).toMatchObject({ menuOrder: 1 });
      expect(target.terms.categories.map((c) => [c.slug, c.parent])).toEqual([
        ['uncategorized', null],
        ['world', null],
        ['news', 'world'],
        ['sports', null],
        ['news-sports', 'sports'],
      ]);
      expect(target.posts.find((p) => p.title === 'Regatta results')?.categories).toEqual(['news-sports']);
      const boat = target.media.find((m) => m.title === 'Pilot boat')!;
      expect(boat.url).toBe('https://notes.example/media/2019/05/boat.jpg');
      expect(boat.caption).toBe('The pilot boat at the quay');
      expect(target.media.find((m) => m.title === 'Missing')?.url).toBe(`${uploads.origin}/wp-content/uploads/2019/05/missing.jpg`);
    });
  });
});
