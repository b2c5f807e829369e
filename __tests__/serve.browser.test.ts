import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type Served } from './helpers/serve.js';

/** Debian's chromium, which CI installs; the test needs a real browser and skips without one. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`serve.browser.test: ${CHROMIUM} is absent, skipping the headless browser test (apt-get install chromium)`);

/** As long as a person takes to write a comment, at the least: the form refuses anything faster. */
const typingTime = (page: Page) => page.waitForTimeout(3100);

(hasChromium ? describe : describe.skip)('a reader of a site served by termpress serve, in headless Chromium', () => {
  let browser: Browser;
  let sb: Sandbox;
  let served: Served;
  let postUrl: string;

  beforeAll(async () => {
    sb = new Sandbox();
    sb.initBlog('--title', 'Browser Blog');
    // Every reader here comes from 127.0.0.1: the flood rule would take the reply for a flood.
    sb.ok(['config', 'set', 'moderation.floodSeconds', '0']);
    const id = sb.ok(['post', 'create', '--title', 'Talk to me', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    served = await startServe(sb);
    const home = (await rawRequest(served.port, '/')).body;
    postUrl = served.url + /href="([^"]*\/talk-to-me\/)index\.html"/.exec(home)![1]!;
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
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    expect(await served?.stop()).toBe(0);
    sb?.cleanup();
  });

  it('comments without JavaScript, sees it awaiting moderation, then approved, replies in the thread, and likes once', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(postUrl);
    expect(await page.locator('#reply-title').textContent()).toBe('Leave a Reply');

    await page.getByRole('textbox', { name: /^Comment/ }).fill('What a lovely post.\n\nThanks!');
    await page.getByRole('textbox', { name: /^Name/ }).fill('Ann');
    await page.getByRole('textbox', { name: /^Email/ }).fill('ann@example.com');
    await page.getByLabel('Save my name, email, and website in this browser for the next time I comment.').check();
    await typingTime(page);
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await page.waitForURL(/talk-to-me\/\?held=/);
    expect(await page.locator('.comment-awaiting-moderation').textContent()).toContain('Your comment is awaiting moderation.');
    expect(await page.locator('#comment-notice .comment-content').textContent()).toContain('What a lovely post.');
    expect(await page.locator('.comment-list').count()).toBe(0);

    // The moderator approves from the terminal, in another process.
    const id = sb.ok(['comment', 'list', '--format', 'ids']).trim();
    sb.ok(['comment', 'approve', id], { process: true });
    await waitForText(page, postUrl, `#comment-${id} .comment-meta`);
    const meta = (await page.locator(`#comment-${id} .comment-meta`).textContent())!.replace(/\s+/g, ' ').trim();
    expect(meta).toMatch(/^1\. Ann - [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(await page.locator(`#comment-${id} .comment-content`).textContent()).toContain('What a lovely post.');
    expect(await page.locator('.comment-awaiting-moderation').count()).toBe(0);

    // A reply in the thread, through the Reply link; the name and email were remembered.
    await page.locator(`#comment-${id}`).getByRole('link', { name: 'Reply' }).click();
    await page.waitForURL(/_termpress\/reply/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reply to Ann');
    expect(await page.getByRole('textbox', { name: /^Name/ }).inputValue()).toBe('Ann');
    expect(await page.getByRole('textbox', { name: /^Email/ }).inputValue()).toBe('ann@example.com');
    await page.getByRole('textbox', { name: /^Comment/ }).fill('Answering myself.');
    await typingTime(page);
    await page.getByRole('button', { name: 'Post Comment' }).click();
    await page.waitForURL(/talk-to-me\/#comment-/);
    const replyId = new URL(page.url()).hash.slice('#comment-'.length);
    expect(await page.locator(`#comment-${id} .children #comment-${replyId} .comment-content`).textContent()).toContain(
      'Answering myself.',
    );
    expect((await page.locator(`#comment-${replyId} .comment-meta`).textContent())!.replace(/\s+/g, ' ').trim()).toMatch(/^2\. Ann - /);

    // Likes: one per reader, however often the button is pressed.
    expect(await page.locator('.like-count').textContent()).toBe('Be the first to like this.');
    await page.getByRole('button', { name: 'Like' }).click();
    await page.waitForURL(/#likes$/);
    expect(await page.locator('.like-count').textContent()).toBe('1 blogger likes this.');
    await page.getByRole('button', { name: 'Like' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.like-count').textContent()).toBe('1 blogger likes this.');
    expect(sb.ok(['post', 'likes', 'talk-to-me']).trim()).toBe('1');
    await context.close();
  }, 90_000);
});

/** Reloads until the selector is on the page: the site is rebuilt within about a second of a change. */
async function waitForText(page: Page, url: string, selector: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await page.goto(url);
    if ((await page.locator(selector).count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`${selector} did not appear on ${url}`);
    await page.waitForTimeout(200);
  }
}
