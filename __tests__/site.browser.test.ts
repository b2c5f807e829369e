import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildSite } from '../src/site/build.js';
// Expressions run in the page are passed as strings: the tests are compiled without the DOM library.
import { makeComment, makePost, makeSettings, tempDir } from './fixtures/site/factory.js';

/** Debian's chromium, which CI installs; the test needs a real browser and skips without one. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`site.browser.test: ${CHROMIUM} is absent, skipping the headless browser test (apt-get install chromium)`);

(hasChromium ? describe : describe.skip)('the built site in headless Chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    out = await tempDir('site-browser');
    const post = makePost({
      slug: 'browser',
      title: 'Seen in a browser',
      author: 'Alice',
      categories: ['News'],
      publishedAt: '2024-05-01T09:00:00.000Z',
      comments: [
        makeComment({ id: 'gggg0001', author: 'Bob', body: 'Hello <strong>there</strong>', createdAt: '2024-05-02T10:00:00.000Z' }),
        makeComment({
          id: 'gggg0002',
          parentId: 'gggg0001',
          author: 'Mallory <img src=x onerror="window.__pwned=1">',
          body: '<script>window.__pwned = 2</script><img src="x" onerror="window.__pwned=3"><a href="javascript:window.__pwned=4" id="evil">click me</a>',
          createdAt: '2024-05-02T11:00:00.000Z',
          url: 'javascript:window.__pwned=5',
        }),
        makeComment({
          id: 'gggg0003',
          author: 'Carol',
          body: '<svg onload="window.__pwned=6"></svg><iframe src="javascript:parent.__pwned=7"></iframe>Fine.',
          createdAt: '2024-05-03T10:00:00.000Z',
        }),
      ],
    });
    await buildSite({
      settings: makeSettings({ title: 'Browser Blog' }),
      posts: [post, makePost({ slug: 'older', title: 'An older post', publishedAt: '2024-04-01T09:00:00.000Z' })],
      blogDir: await tempDir('b'),
      outDir: out,
      now: new Date('2024-06-01T00:00:00Z'),
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens index.html from disk, follows a link to the post and shows its threaded comments without running their scripts', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    expect(await page.title()).toBe('Browser Blog');
    // Relative links must work when the site is opened straight from disk.
    await page.getByRole('link', { name: 'Seen in a browser' }).first().click();
    await page.waitForURL(/\/2024\/05\/01\/browser\/index\.html$/);
    await page.waitForLoadState('load');

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Seen in a browser');
    expect(await page.locator('.post-byline').textContent()).toBe('Posted by Alice in News');
    expect(await page.locator('#comments-title').textContent()).toBe('3 comments');
    const metas = (await page.locator('.comment-meta').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(metas[0]).toMatch(/^1\. Bob - May 2, 2024/);
    expect(metas[1]).toMatch(/^2\. Mallory <img src=x onerror="window.__pwned=1"> - May 2, 2024/);
    expect(metas[2]).toMatch(/^3\. Carol - May 3, 2024/);
    // Mallory's reply is shown inside Bob's thread.
    expect(await page.locator('#comment-gggg0001 .children #comment-gggg0002').count()).toBe(1);
    expect(await page.locator('#comment-gggg0001 strong').textContent()).toBe('there');

    // Clicking the hostile link must not run it either.
    await page.locator('#comment-gggg0002 a', { hasText: 'click me' }).click();
    await page.waitForTimeout(200);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('script, iframe, svg').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // The stylesheet loaded through its relative link.
    expect(await page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")).toBe('absolute');
    await page.close();
  }, 60_000);

  it("keeps a reader's comment inside its box, and a post's embeds to sandboxed players of allowed hosts", async () => {
    const dir = await tempDir('site-browser-embeds');
    const overlay = 'position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:red;display:block';
    const post = makePost({
      slug: 'embeds',
      title: 'Embeds',
      format: 'html',
      publishedAt: '2024-05-01T09:00:00.000Z',
      body: [
        '<p>Watch:</p>',
        '<iframe id="yt" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" allow="camera; microphone; geolocation; autoplay; fullscreen" allowfullscreen></iframe>',
        '<iframe id="evil" src="https://evil.example/login" allow="camera; microphone"></iframe>',
        '<iframe id="doc" srcdoc="<script>parent.__pwned = 8</script>"></iframe>',
      ].join('\n'),
      comments: [
        makeComment({
          id: 'hhhh0001',
          author: 'Mallory',
          body: `<a href="https://ok.example/" style="${overlay}">Your account was suspended</a> <b style="${overlay}">and</b> <style>body{display:none}</style>`,
          createdAt: '2024-05-02T10:00:00.000Z',
        }),
      ],
    });
    await buildSite({
      settings: makeSettings({ title: 'Embeds Blog' }),
      posts: [post],
      blogDir: await tempDir('b'),
      outDir: dir,
      now: new Date('2024-06-01T00:00:00Z'),
    });
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, '2024/05/01/embeds/index.html')).href, { waitUntil: 'domcontentloaded' });

    // The comment's elements sit in the flow of the comment, and the page stays visible.
    const positions = (await page.evaluate(
      "[...document.querySelectorAll('.comment-content *')].map((e) => getComputedStyle(e).position)",
    )) as string[];
    expect(positions.length).toBeGreaterThan(0);
    expect(positions.filter((p) => p !== 'static')).toEqual([]);
    expect(await page.locator('.comment-content [style], style').count()).toBe(0);
    expect(await page.evaluate('getComputedStyle(document.body).display')).not.toBe('none');
    expect(await page.evaluate("document.elementFromPoint(5, 5)?.closest('.comment-content') ?? null")).toBeNull();

    // One frame is left: the allowed player, sandboxed, with none of the powerful features.
    const frames = (await page.evaluate(
      "[...document.querySelectorAll('iframe')].map((f) => ({ src: f.src, sandbox: [...f.sandbox], allow: f.getAttribute('allow') ?? '' }))",
    )) as Array<{ src: string; sandbox: string[]; allow: string }>;
    expect(frames).toEqual([
      {
        src: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
        sandbox: expect.arrayContaining(['allow-scripts']),
        allow: 'autoplay; fullscreen',
      },
    ]);
    expect(frames[0]!.sandbox).not.toContain('allow-top-navigation');
    expect(frames[0]!.allow).not.toMatch(/camera|microphone|geolocation/);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.close();
  }, 60_000);

  it('would notice a script that ran (control for the check above)', async () => {
    const page = await browser.newPage();
    await page.setContent('<img src="x" onerror="window.__pwned = 9">');
    await page.waitForFunction('window.__pwned === 9');
    await page.close();
  }, 60_000);

  it('follows the older-post link and the home link from a post', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, '2024/05/01/browser/index.html')).href);
    await page.getByRole('link', { name: /Older post/ }).click();
    await page.waitForURL(/\/2024\/04\/01\/older\/index\.html$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(/\/index\.html$/);
    expect(await page.locator('.post-summary').count()).toBe(2);
    await page.close();
  }, 60_000);
});
