import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { buildSite, type BuildReport } from '../src/site/build.js';
import { UsageError } from '../src/core/errors.js';
import type { BlogSettings, Post } from '../src/core/types.js';
import { makeComment, makePost, makeSettings, tempDir } from './fixtures/site/factory.js';

/** A parsed XML element: name, attributes, text and children, enough to assert on feeds. */
interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/** Parses XML with saxes (which throws on anything not well-formed) into a small tree. */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlNode = { name: '#document', attributes: {}, text: '', children: [] };
  const stack: XmlNode[] = [root];
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '', children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (text) => (stack[stack.length - 1]!.text += text));
  parser.on('cdata', (text) => (stack[stack.length - 1]!.text += text));
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root.children[0]!;
}

const all = (node: XmlNode, name: string): XmlNode[] => node.children.filter((c) => c.name === name);
const one = (node: XmlNode, name: string): XmlNode => {
  const found = all(node, name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${node.name}>, found ${found.length}`);
  return found[0]!;
};

const NOW = new Date('2024-06-01T12:00:00Z');

function blog(): { settings: BlogSettings; posts: Post[] } {
  const settings = makeSettings({ timezone: 'America/New_York', postsPerPage: 2 });
  const first = makePost({
    id: 'aaaa0001',
    slug: 'first-post',
    title: 'First & <Best> post',
    author: 'Alice',
    categories: ['News'],
    tags: ['Intro', 'Hello World'],
    // 02:30 UTC on May 2nd is still May 1st in New York: permalinks follow the blog's timezone.
    publishedAt: '2024-05-02T02:30:00.000Z',
    body: 'Welcome to **termpress**.\n\nA [relative link](/about/) and ![a cat](/img/cat.png).\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    comments: [
      makeComment({ id: 'cccc0001', author: 'Bob', body: 'First!', createdAt: '2024-05-02T10:00:00.000Z' }),
      makeComment({
        id: 'cccc0002',
        author: 'Carol',
        parentId: 'cccc0001',
        body: 'Reply to Bob',
        createdAt: '2024-05-02T11:00:00.000Z',
        url: 'https://carol.example/',
      }),
      makeComment({ id: 'cccc0003', author: 'Spammer', body: 'buy now', status: 'spam', createdAt: '2024-05-02T12:00:00.000Z' }),
      makeComment({ id: 'cccc0004', author: 'Pending Pat', body: 'hold me', status: 'pending', createdAt: '2024-05-02T13:00:00.000Z' }),
      makeComment({ id: 'cccc0005', author: 'Dave', body: 'Later top-level', createdAt: '2024-05-03T09:00:00.000Z' }),
    ],
  });
  const second = makePost({
    id: 'aaaa0002',
    slug: 'second-post',
    title: 'Second post',
    categories: ['Tech'],
    tags: ['Intro'],
    publishedAt: '2024-05-10T12:00:00.000Z',
    excerpt: 'Hand-written excerpt.',
  });
  const imported = makePost({
    id: 'aaaa0003',
    slug: 'imported',
    title: 'Imported from WordPress',
    format: 'html',
    body: '<p>Old <em>post</em><script>alert(1)</script><img src="x.png" onerror="alert(2)" alt="x"></p><!--more--><p>Rest</p>',
    categories: [],
    publishedAt: '2023-12-24T18:00:00.000Z',
    legacy: { guid: 'https://old.example/?p=12' },
  });
  const dueScheduled = makePost({
    id: 'aaaa0004',
    slug: 'due',
    title: 'Due scheduled',
    status: 'scheduled',
    publishedAt: '2024-05-20T08:00:00.000Z',
  });
  const futureScheduled = makePost({
    id: 'aaaa0005',
    slug: 'future',
    title: 'Future scheduled',
    status: 'scheduled',
    publishedAt: '2024-07-01T08:00:00.000Z',
  });
  const draft = makePost({
    id: 'aaaa0006',
    slug: 'a-draft',
    title: 'A draft',
    status: 'draft',
    publishedAt: null,
    createdAt: '2024-05-25T08:00:00.000Z',
  });
  const trashed = makePost({ id: 'aaaa0007', slug: 'trashed', title: 'Trashed post', status: 'trash', previousStatus: 'published' });
  const locked = makePost({ id: 'aaaa0008', slug: 'locked', title: 'Password protected', legacy: { password: 'hunter2' } });
  const pending = makePost({
    id: 'aaaa0009',
    slug: 'pending-review',
    title: 'Pending review',
    status: 'pending',
    publishedAt: null,
    createdAt: '2024-05-26T08:00:00.000Z',
  });
  return { settings, posts: [first, second, imported, dueScheduled, futureScheduled, draft, trashed, locked, pending] };
}

describe('buildSite', () => {
  let out: string;
  let report: BuildReport;
  const read = (file: string) => readFile(join(out, file), 'utf8');

  beforeAll(async () => {
    const { settings, posts } = blog();
    out = await tempDir('site-out');
    report = await buildSite({ settings, posts, blogDir: await tempDir('site-blog'), outDir: out, now: NOW });
  });

  it('shows published and due scheduled posts, never drafts, future, trashed or protected ones', async () => {
    expect(report.postsShown).toBe(4);
    const home = await read('index.html');
    expect(home).toContain('Due scheduled');
    for (const hidden of ['Future scheduled', 'A draft', 'Trashed post', 'Password protected', 'Pending review']) {
      expect(home).not.toContain(hidden);
      expect(report.written.some((f) => f.includes(hidden.toLowerCase().replace(/ /g, '-')))).toBe(false);
    }
    expect(report.written).not.toContain('2024/05/01/locked/index.html');
  });

  it('writes each post at its permalink, dated in the blog timezone', async () => {
    expect(report.written).toEqual(
      expect.arrayContaining(['2024/05/01/first-post/index.html', '2024/05/10/second-post/index.html', '2023/12/24/imported/index.html']),
    );
    const page = await read('2024/05/01/first-post/index.html');
    expect(page).toContain('<h1 id="post-title" class="post-title">First &amp; &lt;Best&gt; post</h1>');
    expect(page).toMatch(
      /Posted by <span class="post-author">Alice<\/span> in <a href="\.\.\/\.\.\/\.\.\/\.\.\/category\/news\/index.html" rel="category tag">News<\/a>/,
    );
    expect(page).toContain('<time class="post-date" datetime="2024-05-01T22:30:00-04:00">May 1, 2024</time>');
    expect(page).toContain('<table>');
    expect(page).toContain('<link rel="canonical" href="https://blog.example.com/2024/05/01/first-post/">');
    expect(page).toContain('href="../../../../assets/style.css"');
  });

  it('numbers and threads approved comments only, with the count', async () => {
    const page = await read('2024/05/01/first-post/index.html');
    expect(page).toContain('3 comments');
    expect(page).not.toContain('Spammer');
    expect(page).not.toContain('Pending Pat');
    const text = page.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text).toContain('1. Bob - May 2, 2024, 6:00 AM');
    expect(text).toContain('2. Carol - May 2, 2024, 7:00 AM');
    expect(text).toContain('3. Dave - May 3, 2024, 5:00 AM');
    // Carol's reply sits in Bob's children list.
    expect(page).toMatch(
      /id="comment-cccc0001"[\s\S]*<ol class="children">[\s\S]*id="comment-cccc0002"[\s\S]*<\/ol>[\s\S]*id="comment-cccc0005"/,
    );
    expect(page).toContain('<a class="comment-author" href="https://carol.example/" rel="external nofollow ugc">Carol</a>');
    expect(page).not.toContain('reader@example.com');
    expect(page).not.toContain('192.0.2.1');
  });

  it('links older and newer posts', async () => {
    const page = await read('2024/05/10/second-post/index.html');
    expect(page).toMatch(/<a href="\.\.\/\.\.\/01\/first-post\/index.html" rel="prev">.*First &amp; &lt;Best&gt; post<\/a>/);
    expect(page).toMatch(/<a href="\.\.\/\.\.\/20\/due\/index.html" rel="next">.*Due scheduled<\/a>/);
    const oldest = await read('2023/12/24/imported/index.html');
    expect(oldest).not.toContain('rel="prev"');
  });

  it('paginates the home page newest first', async () => {
    const home = await read('index.html');
    expect(home.indexOf('Due scheduled')).toBeLessThan(home.indexOf('Second post'));
    expect(home).toContain('Page 1 of 2');
    expect(home).toContain('<a href="page/2/index.html" rel="next">Older posts</a>');
    const page2 = await read('page/2/index.html');
    expect(page2).toContain('First &amp; &lt;Best&gt; post');
    expect(page2).toContain('Imported from WordPress');
    expect(page2).toContain('<a href="../../index.html" rel="prev">Newer posts</a>');
    expect(home).toContain('Hand-written excerpt.');
  });

  it('writes category, tag, year and month archives and an archive index', async () => {
    expect(await read('category/news/index.html')).toContain('Category: News');
    const intro = await read('tag/intro/index.html');
    expect(intro).toContain('Second post');
    expect(intro).toContain('First &amp; &lt;Best&gt; post');
    expect(await read('tag/hello-world/index.html')).toContain('Tag: Hello World');
    expect(await read('2023/index.html')).toContain('Imported from WordPress');
    const may = await read('2024/05/index.html');
    expect(may).toContain('Archives: May 2024');
    const archives = await read('archives/index.html');
    expect(archives).toContain('<a href="../2024/05/index.html">May 2024</a> <span class="count">(3)</span>');
    expect(archives).toContain('<a href="../category/tech/index.html">Tech</a>');
  });

  it('writes a 404 page with links rooted at the site path', async () => {
    const page = await read('404.html');
    expect(page).toContain('Page not found');
    expect(page).toContain('href="/assets/style.css"');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it('sanitises imported HTML bodies and cuts their excerpt at <!--more-->', async () => {
    const page = await read('2023/12/24/imported/index.html');
    expect(page).toContain('Old <em>post</em>');
    expect(page).not.toMatch(/<script|onerror|alert\(/);
    const page2 = await read('page/2/index.html');
    expect(page2).toContain('Old <em>post</em>');
    expect(page2).not.toContain('Rest');
  });

  it('has an accessible, script-free theme', async () => {
    for (const file of ['index.html', '2024/05/01/first-post/index.html', 'archives/index.html', '404.html']) {
      const page = await read(file);
      expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
      expect(page).toContain('<a class="skip-link" href="#main">');
      expect(page).toContain('<main id="main"');
      expect(page).toContain('<nav class="site-nav" aria-label="Main">');
      expect(page.match(/<h1[\s>]/g)).toHaveLength(1);
      expect(page).not.toMatch(/<script/i);
    }
    const css = await read('assets/style.css');
    expect(css).toContain('prefers-color-scheme: dark');
    expect(await read('2024/05/01/first-post/index.html')).toContain('alt="a cat"');
  });

  it('writes an RSS 2.0 feed with absolute links', async () => {
    const rss = parseXml(await read('feed.xml'));
    expect(rss.name).toBe('rss');
    expect(rss.attributes['version']).toBe('2.0');
    const channel = one(rss, 'channel');
    expect(one(channel, 'title').text).toBe('Test Blog');
    expect(one(channel, 'link').text).toBe('https://blog.example.com/');
    expect(one(channel, 'atom:link').attributes['href']).toBe('https://blog.example.com/feed.xml');
    const items = all(channel, 'item');
    expect(items.map((i) => one(i, 'title').text)).toEqual([
      'Due scheduled',
      'Second post',
      'First & <Best> post',
      'Imported from WordPress',
    ]);
    const first = items[2]!;
    expect(one(first, 'link').text).toBe('https://blog.example.com/2024/05/01/first-post/');
    expect(one(first, 'dc:creator').text).toBe('Alice');
    expect(one(first, 'pubDate').text).toBe('Thu, 02 May 2024 02:30:00 GMT');
    const content = one(first, 'content:encoded').text;
    expect(content).toContain('href="https://blog.example.com/about/"');
    expect(content).toContain('src="https://blog.example.com/img/cat.png"');
    expect(one(items[3]!, 'guid').text).toBe('https://old.example/?p=12');
    // No time of the build itself: lastBuildDate is the newest post's.
    expect(one(channel, 'lastBuildDate').text).toBe('Mon, 20 May 2024 08:00:00 GMT');
  });

  it('writes an Atom feed with absolute links and entry authors', async () => {
    const atom = parseXml(await read('atom.xml'));
    expect(atom.name).toBe('feed');
    expect(atom.attributes['xmlns']).toBe('http://www.w3.org/2005/Atom');
    const links = all(atom, 'link').map((l) => [l.attributes['rel'], l.attributes['href']]);
    expect(links).toEqual([
      ['alternate', 'https://blog.example.com/'],
      ['self', 'https://blog.example.com/atom.xml'],
    ]);
    const entries = all(atom, 'entry');
    expect(entries).toHaveLength(4);
    const first = entries[2]!;
    expect(one(first, 'title').text).toBe('First &#38; &#60;Best&#62; post');
    expect(one(first, 'link').attributes['href']).toBe('https://blog.example.com/2024/05/01/first-post/');
    expect(one(one(first, 'author'), 'name').text).toBe('Alice');
    expect(one(first, 'id').text).toMatch(/^tag:blog\.example\.com,2024-05-02:aaaa0001$/);
    expect(all(first, 'category').map((c) => c.attributes['term'])).toEqual(['News', 'Intro', 'Hello World']);
  });

  it('writes a JSON Feed 1.1', async () => {
    const feed = JSON.parse(await read('feed.json')) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(feed['version']).toBe('https://jsonfeed.org/version/1.1');
    expect(feed['home_page_url']).toBe('https://blog.example.com/');
    expect(feed['feed_url']).toBe('https://blog.example.com/feed.json');
    expect(feed['language']).toBe('en');
    expect(feed.items).toHaveLength(4);
    const first = feed.items[2]!;
    expect(first['url']).toBe('https://blog.example.com/2024/05/01/first-post/');
    expect(first['title']).toBe('First & <Best> post');
    expect(first['authors']).toEqual([{ name: 'Alice' }]);
    expect(first['summary']).toBe('Welcome to termpress.');
    expect(first['date_published']).toBe('2024-05-02T02:30:00.000Z');
    expect(first['tags']).toEqual(['News', 'Intro', 'Hello World']);
  });

  it('writes a sitemap of public pages', async () => {
    const urlset = parseXml(await read('sitemap.xml'));
    expect(urlset.name).toBe('urlset');
    expect(urlset.attributes['xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = all(urlset, 'url').map((u) => one(u, 'loc').text);
    expect(locs[0]).toBe('https://blog.example.com/');
    expect(locs).toEqual(
      expect.arrayContaining([
        'https://blog.example.com/2024/05/01/first-post/',
        'https://blog.example.com/category/news/',
        'https://blog.example.com/2024/05/',
      ]),
    );
    expect(locs.every((l) => l.startsWith('https://blog.example.com/'))).toBe(true);
    expect(locs.some((l) => l.includes('future'))).toBe(false);
  });
});

describe('buildSite with drafts', () => {
  it('adds drafts, pending and future posts marked as previews, and keeps them out of feeds and sitemap', async () => {
    const { settings, posts } = blog();
    const out = await tempDir('site-drafts');
    const report = await buildSite({ settings, posts, blogDir: await tempDir('site-blog'), outDir: out, now: NOW, drafts: true });
    expect(report.postsShown).toBe(7);
    const draft = await readFile(join(out, '2024/05/25/a-draft/index.html'), 'utf8');
    expect(draft).toContain('<strong>Draft</strong>: not published');
    expect(draft).toContain('<meta name="robots" content="noindex">');
    const future = await readFile(join(out, '2024/07/01/future/index.html'), 'utf8');
    expect(future).toContain('<strong>Scheduled</strong>');
    expect(await readFile(join(out, '2024/05/26/pending-review/index.html'), 'utf8')).toContain('<strong>Pending review</strong>');
    for (const file of ['feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml']) {
      const text = await readFile(join(out, file), 'utf8');
      expect(text).not.toMatch(/A draft|Future scheduled|Pending review/);
    }
    expect(report.written).not.toContain('2024/05/01/locked/index.html');
    expect(report.written.some((f) => f.includes('trashed'))).toBe(false);
  });
});

describe('buildSite settings', () => {
  it('links each post to its own categories, even when posts share some', async () => {
    const out = await tempDir('site-terms');
    const many = makePost({ id: 'cccc0001', slug: 'many', categories: ['News', 'Tech', '远征手记'] });
    const one = makePost({ id: 'cccc0002', slug: 'one', categories: ['tech'], publishedAt: '2024-05-02T09:00:00.000Z' });
    await buildSite({ settings: makeSettings(), posts: [many, one], blogDir: await tempDir('b'), outDir: out, now: NOW });
    const categoriesOf = async (slug: string, day: string) =>
      [...(await readFile(join(out, `2024/05/${day}/${slug}/index.html`), 'utf8')).matchAll(/rel="category tag">([^<]*)</g)].map(
        (m) => m[1],
      );
    expect(await categoriesOf('one', '02')).toEqual(['Tech']);
    expect(await categoriesOf('many', '01')).toEqual(['News', 'Tech', '远征手记']);
  });

  it('honours a custom permalink with :id and an .html file name', async () => {
    const out = await tempDir('site-permalink');
    const post = makePost({ id: 'bbbb0001', slug: 'hello' });
    const report = await buildSite({
      settings: makeSettings({ permalink: '/posts/:id-:slug.html' }),
      posts: [post],
      blogDir: await tempDir('b'),
      outDir: out,
      now: NOW,
    });
    expect(report.written).toContain('posts/bbbb0001-hello.html');
    const feed = JSON.parse(await readFile(join(out, 'feed.json'), 'utf8')) as { items: { url: string }[] };
    expect(feed.items[0]!.url).toBe('https://blog.example.com/posts/bbbb0001-hello.html');
  });

  it('refuses a permalink without :slug or :id, an unknown timezone and colliding pages', async () => {
    const blogDir = await tempDir('b');
    const outDir = await tempDir('o');
    const posts = [makePost()];
    await expect(buildSite({ settings: makeSettings({ permalink: '/:year/' }), posts, blogDir, outDir, now: NOW })).rejects.toThrow(
      UsageError,
    );
    await expect(buildSite({ settings: makeSettings({ timezone: 'Mars/Olympus' }), posts, blogDir, outDir, now: NOW })).rejects.toThrow(
      /timezone/,
    );
    const twins = [makePost({ slug: 'same' }), makePost({ slug: 'same' })];
    await expect(buildSite({ settings: makeSettings(), posts: twins, blogDir, outDir, now: NOW })).rejects.toThrow(
      /both be written to 2024\/05\/01\/same\/index.html/,
    );
    await expect(buildSite({ settings: makeSettings(), posts, blogDir, outDir: blogDir, now: NOW })).rejects.toThrow(/--out/);
  });

  it('names both posts of a slug collision, and the post that would overwrite a site page', async () => {
    const blogDir = await tempDir('b');
    const outDir = await tempDir('o');
    const twins = [makePost({ id: 'twin0001', slug: 'same' }), makePost({ id: 'twin0002', slug: 'same' })];
    const error = await buildSite({ settings: makeSettings(), posts: twins, blogDir, outDir, now: NOW }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /^post twin000(1|2) \(slug same\) and post twin000(1|2) \(slug same\) would both be written to 2024\/05\/01\/same\/index.html/,
    );
    expect((error as Error).message).toContain('twin0001');
    expect((error as Error).message).toContain('twin0002');
    const page = makePost({ id: 'arch0001', slug: 'archives' });
    await expect(buildSite({ settings: makeSettings({ permalink: '/:slug/' }), posts: [page], blogDir, outDir, now: NOW })).rejects.toThrow(
      /post arch0001 \(slug archives\) and a site page would both be written to archives\/index.html|a site page and post arch0001 \(slug archives\) would both be written to archives\/index.html/,
    );
  });

  it('serves the blog under a sub-path and in another language', async () => {
    const out = await tempDir('site-subpath');
    await buildSite({
      settings: makeSettings({ url: 'https://example.org/blog', language: 'fr' }),
      posts: [makePost({ slug: 'bonjour' })],
      blogDir: await tempDir('b'),
      outDir: out,
      now: NOW,
    });
    const page = await readFile(join(out, '2024/05/01/bonjour/index.html'), 'utf8');
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('1 mai 2024');
    expect(page).toContain('href="https://example.org/blog/2024/05/01/bonjour/"');
    expect(await readFile(join(out, '404.html'), 'utf8')).toContain('href="/blog/assets/style.css"');
  });

  it('lets the blog override any theme file', async () => {
    const blogDir = await tempDir('site-theme');
    await mkdir(join(blogDir, 'templates', 'theme', 'partials'), { recursive: true });
    await writeFile(join(blogDir, 'templates', 'theme', 'partials', 'meta.eta'), '<p class="custom-meta">By <%= it.post.author %></p>\n');
    await mkdir(join(blogDir, 'templates', 'theme', 'assets'), { recursive: true });
    await writeFile(join(blogDir, 'templates', 'theme', 'assets', 'style.css'), 'body { color: red; }\n');
    const out = await tempDir('site-theme-out');
    await buildSite({
      settings: makeSettings(),
      posts: [makePost({ slug: 'x', author: '<i>Eve</i>' })],
      blogDir,
      outDir: out,
      now: NOW,
      trustTheme: true,
    });
    const page = await readFile(join(out, '2024/05/01/x/index.html'), 'utf8');
    expect(page).toContain('<p class="custom-meta">By &lt;i&gt;Eve&lt;/i&gt;</p>');
    expect(page).toContain('<h1 id="post-title"');
    expect(await readFile(join(out, 'assets/style.css'), 'utf8')).toBe('body { color: red; }\n');
  });

  it('builds an empty blog into a valid site', async () => {
    const out = await tempDir('site-empty');
    const report = await buildSite({ settings: makeSettings(), posts: [], blogDir: await tempDir('b'), outDir: out, now: NOW });
    expect(report.postsShown).toBe(0);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('Nothing has been published here yet.');
    const rss = parseXml(await readFile(join(out, 'feed.xml'), 'utf8'));
    expect(all(one(rss, 'channel'), 'item')).toHaveLength(0);
    expect(parseXml(await readFile(join(out, 'atom.xml'), 'utf8')).name).toBe('feed');
  });
});
