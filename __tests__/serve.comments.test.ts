import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type RawResponse, type Served } from './helpers/serve.js';

/** The form as a browser sends it. */
function encode(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** What a reader's page gives them: the post's path, its id, the form's token and the cookies set. */
interface OpenedPage {
  html: string;
  token: string;
  postId: string;
  cookie: string;
}

function cookiesOf(response: RawResponse): string {
  const set = response.headers['set-cookie'] ?? [];
  return set.map((line) => line.split(';', 1)[0]).join('; ');
}

function valueOf(html: string, name: string): string {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
  return /value="([^"]*)"/.exec(tag)?.[1] ?? '';
}

async function openPage(served: Served, target: string, cookie = ''): Promise<OpenedPage> {
  const response = await rawRequest(served.port, target, { headers: cookie ? { cookie } : {} });
  expect(response.status).toBe(200);
  return {
    html: response.body,
    token: valueOf(response.body, 'token'),
    postId: valueOf(response.body, 'post'),
    cookie: cookiesOf(response) || cookie,
  };
}

/** Waits out the form's minimum time, as a person typing would. */
const typing = () => new Promise((resolve) => setTimeout(resolve, 3100));

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("termpress serve takes readers' comments", () => {
  let sb: Sandbox;
  let blog: string;
  let served: Served;
  let postPath: string;
  let closedPath: string;
  let origin: string;

  const post = (target: string, body: string | Buffer, headers: Record<string, string> = {}, localAddress?: string) =>
    rawRequest(served.port, target, {
      method: 'POST',
      body,
      // An empty value leaves the header out.
      headers: Object.fromEntries(
        Object.entries({ 'content-type': 'application/x-www-form-urlencoded', origin, ...headers }).filter(([, v]) => v !== ''),
      ),
      localAddress,
    });
  const commentCount = () => Number(sb.ok(['comment', 'list', '--status', 'all', '--format', 'count']).trim());

  beforeAll(async () => {
    sb = new Sandbox();
    blog = sb.initBlog('--title', 'Readers');
    // Ann answers in her own thread within seconds; the flood rule itself is the api's, tested with it.
    sb.ok(['config', 'set', 'moderation.floodSeconds', '0']);
    const id = sb.ok(['post', 'create', '--title', 'Hello world', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    const closed = sb.ok(['post', 'create', '--title', 'Quiet post', '--comments', 'closed', '--porcelain']).trim();
    sb.ok(['post', 'publish', closed]);
    served = await startServe(sb);
    origin = `http://127.0.0.1:${served.port}`;
    const home = (await rawRequest(served.port, '/')).body;
    const pathOf = (slug: string) => '/' + new RegExp(`href="([^"]*/${slug}/)index\\.html"`).exec(home)![1]!;
    postPath = pathOf('hello-world');
    closedPath = pathOf('quiet-post');
  }, 60_000);

  afterAll(async () => {
    expect(await served?.stop()).toBe(0);
    sb?.cleanup();
  });

  it('ends an open post with a "Leave a Reply" form that has a fresh token, and a closed one with "Comments are closed."', async () => {
    const page = await openPage(served, postPath);
    expect(page.html).toContain('Leave a Reply');
    expect(page.html).toMatch(/<form action="(\.\.\/)+_termpress\/comment" method="post"/);
    expect(page.html).toContain('Save my name, email, and website in this browser for the next time I comment.');
    expect(page.token).toMatch(/^\d+\.[\w-]{43}$/);
    expect(page.cookie).toMatch(/tp_reader=/);
    // Made for each reader: never cached, the built file itself carries no token.
    expect(page.html).not.toBe(readFileSync(path.join(blog, 'public', postPath, 'index.html'), 'utf8'));
    const closed = await openPage(served, closedPath);
    expect(closed.html).toContain('Comments are closed.');
    expect(closed.html).not.toContain('Leave a Reply');
  });

  it('refuses a form sent faster than a person types, keeping the text; sent again it is held, and its reader alone sees it until approved', async () => {
    const page = await openPage(served, postPath);
    const fields = {
      post: page.postId,
      parent: '',
      token: page.token,
      comment: 'First! Lovely post.',
      author: 'Ann',
      email: 'ann@example.com',
      url: '',
      confirm_email: '',
      remember: 'yes',
    };
    const early = await post('/_termpress/comment', encode(fields), { cookie: page.cookie });
    expect(early.status).toBe(400);
    expect(early.body).toContain('faster than a person can write');
    // The text comes back in a fresh form, to send again.
    expect(early.body).toContain('First! Lovely post.</textarea>');
    const fresh = valueOf(early.body, 'token');
    expect(fresh).not.toBe('');
    expect(commentCount()).toBe(0);

    await typing();
    const sent = await post('/_termpress/comment', encode({ ...fields, token: fresh }), { cookie: page.cookie });
    expect(sent.status).toBe(303);
    const location = String(sent.headers.location);
    expect(location).toMatch(/^\.\.\/.*hello-world\/\?held=[\w.-]+#comment-notice$/);
    const back = new URL(location, `${origin}/_termpress/comment`);
    const cookie = [page.cookie, cookiesOf(sent)].filter(Boolean).join('; ');
    const held = await openPage(served, back.pathname + back.search, cookie);
    expect(held.html).toContain('Your comment is awaiting moderation.');
    expect(held.html).toContain('First! Lovely post.');
    // Remembered, as asked.
    expect(valueOf(held.html, 'author')).toBe('Ann');
    expect(valueOf(held.html, 'email')).toBe('ann@example.com');
    // Anyone else sees the page without it.
    const other = await openPage(served, postPath);
    expect(other.html).not.toContain('First! Lovely post.');
    expect(valueOf(other.html, 'author')).toBe('');

    const id = sb.ok(['comment', 'list', '--format', 'ids']).trim();
    const shown = JSON.parse(sb.ok(['comment', 'show', id, '--json'])) as { status: string; reasons: string[]; ip: string };
    expect(shown.status).toBe('pending');
    expect(shown.reasons).toEqual(['first comment from this author']);
    expect(shown.ip).toBe('127.0.0.1');

    // Approved in another process: the page shows it within about a second, without a restart.
    sb.ok(['comment', 'approve', id]);
    const approved = await waitUntil('the approved comment on the page', async () => {
      const html = (await rawRequest(served.port, postPath)).body;
      return html.includes(`id="comment-${id}"`) ? html : null;
    });
    expect(approved).toMatch(/1\.<\/a> <span class="comment-author">Ann<\/span> - <time/);
    expect(approved).toContain('1 comment');

    // Ann answers in the thread through the Reply link; a known author's reply is approved and in place at once.
    const replyLink = /href="([^"]*_termpress\/reply\?[^"]*)"/.exec(approved)![1]!.replace(/&amp;/g, '&');
    const replyUrl = new URL(replyLink, origin + postPath);
    const replyPage = await openPage(served, replyUrl.pathname + replyUrl.search, cookie);
    expect(replyPage.html).toContain('Reply to Ann');
    expect(valueOf(replyPage.html, 'parent')).toBe(id);
    await typing();
    const answer = await post(
      '/_termpress/comment',
      encode({
        post: replyPage.postId,
        parent: id,
        token: replyPage.token,
        comment: 'And a reply.',
        author: 'Ann',
        email: 'ann@example.com',
        url: '',
        confirm_email: '',
      }),
      { cookie },
    );
    expect(answer.status).toBe(303);
    const answerId = /#comment-(\w+)$/.exec(String(answer.headers.location))![1]!;
    const threaded = (await rawRequest(served.port, postPath)).body;
    expect(threaded).toMatch(new RegExp(`id="comment-${id}"[\\s\\S]*<ol class="children">\\s*<li id="comment-${answerId}"`));
  }, 60_000);

  it('answers JSON with { id, status } and 201, and a refusal by the rules with its reason and status', async () => {
    const page = await openPage(served, postPath);
    await typing();
    const json = (body: unknown, localAddress?: string) =>
      post('/_termpress/comment', JSON.stringify(body), { 'content-type': 'application/json', accept: 'application/json' }, localAddress);
    const fields = { post: page.postId, token: page.token, body: 'Sent by a script.', author: 'Bot Builder', email: 'bb@example.com' };
    const created = await json(fields, '127.0.9.1');
    expect(created.status).toBe(201);
    const answer = JSON.parse(created.body) as { id: string; status: string };
    expect(answer.status).toBe('pending');
    expect(answer.id).toMatch(/^[a-z0-9]{8}$/);
    // The same again is a duplicate: refused by the same rule as `comment add`, nothing stored.
    const before = commentCount();
    const duplicate = await json(fields, '127.0.10.1');
    expect(duplicate.status).toBe(409);
    expect(JSON.parse(duplicate.body)).toEqual({ error: expect.stringMatching(/^Comment refused: .*duplicate/i) as unknown });
    const closed = await json({ ...fields, post: (await openPage(served, closedPath)).postId, body: 'Closed?' }, '127.0.11.1');
    expect(closed.status).toBe(403);
    expect(commentCount()).toBe(before);
  }, 30_000);

  it('refuses abuse before the queue, each with its 4xx, and stores nothing', async () => {
    const page = await openPage(served, postPath);
    await typing();
    const good = {
      post: page.postId,
      parent: '',
      token: page.token,
      comment: 'A fine comment.',
      author: 'Eve',
      email: 'eve@example.com',
      url: '',
      confirm_email: '',
    };
    const before = commentCount();
    const at = '127.0.20.1';

    const trap = await post('/_termpress/comment', encode({ ...good, confirm_email: 'eve@example.com' }), {}, at);
    expect(trap.status).toBe(400);
    expect(trap.body).toContain('robot');

    const forged = await post('/_termpress/comment', encode(good), { origin: 'https://evil.example' }, at);
    expect(forged.status).toBe(403);
    const referred = await post('/_termpress/comment', encode(good), { origin: '', referer: 'https://evil.example/page' }, at);
    expect(referred.status).toBe(403);

    const huge = await post('/_termpress/comment', encode({ ...good, comment: 'x'.repeat(1024 * 1024) }), {}, at);
    expect(huge.status).toBe(413);

    const latin1 = Buffer.concat([Buffer.from(encode(good) + '&author='), Buffer.from([0xe9, 0xff])]);
    expect((await post('/_termpress/comment', latin1, {}, at)).status).toBe(400);
    expect((await post('/_termpress/comment', encode(good).replace('A+fine', '%FF%FE'), {}, at)).status).toBe(400);
    const badJson = Buffer.concat([Buffer.from('{"comment":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect((await post('/_termpress/comment', badJson, { 'content-type': 'application/json' }, at)).status).toBe(400);

    expect((await post('/_termpress/comment', 'comment=hi', { 'content-type': 'text/plain' }, at)).status).toBe(415);
    expect((await post('/_termpress/comment', '--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }, at)).status).toBe(
      415,
    );

    // A token signed with the blog's secret more than a day ago, and one not signed with it.
    const secret = Buffer.from(readFileSync(path.join(blog, '.termpress', 'secret'), 'utf8').trim(), 'hex');
    const old = String(Math.floor(Date.now() / 1000) - 25 * 60 * 60);
    const expired = `${old}.${createHmac('sha256', secret).update(`form\n${old}`).digest('base64url')}`;
    const stale = await post('/_termpress/comment', encode({ ...good, token: expired }), {}, at);
    expect(stale.status).toBe(400);
    expect(stale.body).toContain('more than a day old');
    expect(stale.body).toContain('A fine comment.</textarea>');
    const now = String(Math.floor(Date.now() / 1000) - 60);
    expect((await post('/_termpress/comment', encode({ ...good, token: `${now}.${'A'.repeat(43)}` }), {}, at)).status).toBe(400);
    expect((await post('/_termpress/comment', encode({ ...good, token: '' }), {}, at)).status).toBe(400);

    expect(commentCount()).toBe(before);
    // The site itself takes no posts.
    expect((await post('/index.html', encode(good))).status).toBe(405);
  }, 30_000);

  it('stores a comment full of script as text and shows it inert on the built page', async () => {
    const page = await openPage(served, postPath);
    await typing();
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a><svg onload=alert(4)>';
    const sent = await post(
      '/_termpress/comment',
      encode({
        post: page.postId,
        token: page.token,
        comment: payload,
        author: '<b onmouseover=alert(5)>Mal</b>',
        email: 'mal@example.com',
      }),
      {},
      '127.0.30.1',
    );
    expect(sent.status).toBe(303);
    const id = sb.ok(['comment', 'list', '--author', '<b onmouseover=alert(5)>Mal</b>', '--format', 'ids']).trim();
    expect((JSON.parse(sb.ok(['comment', 'show', id, '--json'])) as { body: string }).body).toBe(payload);
    sb.ok(['comment', 'approve', id]);
    const html = await waitUntil('the approved comment', async () => {
      const body = (await rawRequest(served.port, postPath)).body;
      return body.includes(`id="comment-${id}"`) ? body : null;
    });
    const shown = html.slice(html.indexOf(`id="comment-${id}"`));
    // No element, no handler attribute, no script link: the text is only text.
    expect(shown).not.toMatch(/<script|<svg|<img|href="javascript:/i);
    expect(shown.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(shown).toContain('&lt;b onmouseover=alert(5)&gt;Mal&lt;/b&gt;');
  }, 30_000);

  it('limits comments per network: the eleventh in a minute from one /24 is refused with 429', async () => {
    const page = await openPage(served, postPath);
    await typing();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // Addresses of one /24: one network, however many machines.
      const sent = await post(
        '/_termpress/comment',
        encode({ post: page.postId, token: page.token, comment: `Note ${i}`, author: `Reader ${i}`, email: `r${i}@example.com` }),
        {},
        `127.0.40.${i + 1}`,
      );
      statuses.push(sent.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(sb.ok(['comment', 'list', '--search', 'Note 10', '--format', 'count']).trim()).toBe('0');
    // Another network is not held back by that one.
    const elsewhere = await post(
      '/_termpress/comment',
      encode({ post: page.postId, token: page.token, comment: 'From elsewhere', author: 'Far', email: 'far@example.com' }),
      {},
      '127.0.41.1',
    );
    expect(elsewhere.status).toBe(303);
  }, 30_000);

  it('counts one Like per reader, shows "N bloggers like this", and never touches the post\'s revision', async () => {
    const page = await openPage(served, postPath);
    expect(page.html).toContain('Be the first to like this.');
    const revision = (JSON.parse(sb.ok(['post', 'show', page.postId, '--json'])) as { revision: number }).revision;
    const like = (cookie: string, localAddress: string) =>
      post('/_termpress/like', encode({ post: page.postId }), cookie ? { cookie } : {}, localAddress);
    const first = await like(page.cookie, '127.0.50.1');
    expect(first.status).toBe(303);
    expect(String(first.headers.location)).toMatch(/hello-world\/#likes$/);
    expect((await rawRequest(served.port, postPath)).body).toContain('1 blogger likes this.');
    // The same browser again: not counted.
    expect((await like(page.cookie, '127.0.50.1')).status).toBe(303);
    expect((await rawRequest(served.port, postPath)).body).toContain('1 blogger likes this.');
    // A browser of another network, without a cookie yet: counted.
    const second = await post(
      '/_termpress/like',
      JSON.stringify({ post: page.postId }),
      { 'content-type': 'application/json', accept: 'application/json' },
      '127.0.51.1',
    );
    expect(JSON.parse(second.body)).toEqual({ post: page.postId, likes: 2, liked: true });

    expect(sb.ok(['post', 'likes', page.postId]).trim()).toBe('2');
    const shown = JSON.parse(sb.ok(['post', 'show', page.postId, '--json'])) as { likes: number; revision: number };
    expect(shown).toMatchObject({ likes: 2, revision });
    expect(sb.ok(['post', 'show', page.postId])).toContain('2 bloggers like this.');
    const listed = JSON.parse(sb.ok(['post', 'list', '--json'])) as Array<{ id: string; likes: number }>;
    expect(listed.find((p) => p.id === page.postId)?.likes).toBe(2);
    // Kept as keyed hashes: no address, no cookie.
    const stored = readFileSync(path.join(blog, 'likes', `${page.postId}.json`), 'utf8');
    expect(stored).not.toMatch(/127\.0\.|tp_reader/);
    const cookieValue = /tp_reader=([^.;]+)/.exec(page.cookie)![1]!;
    expect(stored).not.toContain(cookieValue);

    expect(sb.ok(['post', 'likes', page.postId, '--reset']).trim()).toBe(`Cleared 2 likes of post ${page.postId}`);
    expect(sb.ok(['post', 'likes', page.postId]).trim()).toBe('0');
    await waitUntil('the like count to clear', async () =>
      (await rawRequest(served.port, postPath)).body.includes('Be the first to like this.') ? true : null,
    );
  }, 60_000);
});

describe('termpress serve as the comment server of a site hosted elsewhere (comments.endpoint)', () => {
  let sb: Sandbox;
  let served: Served;
  afterAll(async () => {
    expect(await served?.stop()).toBe(0);
    sb?.cleanup();
  });

  it('builds forms that post to the endpoint, has the reader confirm on its own page, and sends them back to the post on the blog', async () => {
    sb = new Sandbox();
    const blog = sb.initBlog('--title', 'Elsewhere', '--url', 'https://blog.example/');
    sb.ok(['config', 'set', 'comments.endpoint', 'https://comments.example/_termpress']);
    expect(sb.ok(['config', 'get', 'comments.endpoint']).trim()).toBe('https://comments.example/_termpress/');
    expect(sb.run(['config', 'set', 'comments.endpoint', 'ftp://x.example/']).code).toBe(2);
    const id = sb.ok(['post', 'create', '--title', 'Far away', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    served = await startServe(sb);
    const built = readFileSync(path.join(blog, 'public', 'index.html'), 'utf8');
    const postFile = /href="([^"]*\/far-away\/)index\.html"/.exec(built)![1]!;
    const page = readFileSync(path.join(blog, 'public', postFile, 'index.html'), 'utf8');
    expect(page).toContain('<form action="https://comments.example/_termpress/comment" method="post"');
    expect(page).toContain('<form action="https://comments.example/_termpress/like" method="post"');

    const headers = { host: 'comments.example', origin: 'https://blog.example', 'content-type': 'application/x-www-form-urlencoded' };
    const fields = { post: id, token: '', comment: 'Hello from afar.', author: 'Far', email: 'far@example.com' };
    const first = await rawRequest(served.port, '/_termpress/comment', { method: 'POST', headers, body: encode(fields) });
    expect(first.status).toBe(400);
    expect(first.body).toContain('Hello from afar.</textarea>');
    expect(first.body).toMatch(/<form action="comment" method="post"/);
    await typing();
    const confirmed = await rawRequest(served.port, '/_termpress/comment', {
      method: 'POST',
      headers: { ...headers, origin: 'https://comments.example' },
      body: encode({ ...fields, token: valueOf(first.body, 'token') }),
    });
    expect(confirmed.status).toBe(303);
    expect(String(confirmed.headers.location)).toMatch(/^held\?c=/);
    const held = await rawRequest(served.port, `/_termpress/${String(confirmed.headers.location)}`, {
      headers: { host: 'comments.example' },
    });
    expect(held.status).toBe(200);
    expect(held.body).toContain('Your comment is awaiting moderation.');
    expect(held.body).toContain('Hello from afar.');
    expect(held.body).toContain(`href="https://blog.example/${postFile}"`);
    // Another site's page is still refused.
    const forged = await rawRequest(served.port, '/_termpress/comment', {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body: encode(fields),
    });
    expect(forged.status).toBe(403);
  }, 60_000);
});

describe("termpress serve runs a blog's own theme only as trusted", () => {
  let sb: Sandbox;
  let served: Served;
  afterAll(async () => {
    expect(await served?.stop()).toBe(0);
    sb?.cleanup();
  });

  it("renders the trusted form of the theme, and after the theme changes keeps the site as it was and answers with the package's form", async () => {
    sb = new Sandbox();
    const blog = sb.initBlog('--title', 'Themed');
    const own = path.join(blog, 'templates', 'theme', 'partials', 'respond.eta');
    const original = readFileSync(path.join(REPO, 'templates', 'theme', 'partials', 'respond.eta'), 'utf8');
    mkdirSync(path.dirname(own), { recursive: true });
    writeFileSync(own, original.replace('>Leave a Reply<', '>Say something<'));
    const id = sb.ok(['post', 'create', '--title', 'Styled', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    const commentId = sb
      .ok(['comment', 'add', id, '--author', 'Owner', '--email', 'o@example.com', '--body', 'First.', '--approve', '--porcelain'])
      .trim();
    // Not trusted yet: serve refuses to run the blog's templates.
    const refused = sb.run(['serve', '--port', '0']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--trust-theme');

    served = await startServe(sb, ['--trust-theme']);
    const replyPath = `/_termpress/reply?post=${id}&to=${commentId}`;
    expect((await rawRequest(served.port, replyPath)).body).toContain('>Say something<');

    // A change arrives (a git pull): it is not run until trusted again.
    writeFileSync(own, original.replace('>Leave a Reply<', '>Changed <%= it.respond.postId %><'));
    await waitUntil('the refused rebuild', async () => (served.stderr().includes('rebuild failed') ? true : null));
    expect(served.stderr()).toContain('--trust-theme');
    const replyPage = (await rawRequest(served.port, replyPath)).body;
    expect(replyPage).toContain('>Leave a Reply<');
    expect(replyPage).not.toContain('Changed');
  }, 60_000);
});

describe('termpress serve --trust-proxy, behind a reverse proxy', () => {
  let sb: Sandbox;
  let served: Served;
  afterAll(async () => {
    expect(await served?.stop()).toBe(0);
    sb?.cleanup();
  });

  it("reads the reader's address from X-Forwarded-For, for the comment and the rate limit of its network", async () => {
    sb = new Sandbox();
    sb.initBlog('--title', 'Proxied');
    sb.ok(['config', 'set', 'moderation.floodSeconds', '0']);
    const id = sb.ok(['post', 'create', '--title', 'Behind', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    served = await startServe(sb, ['--trust-proxy']);
    const home = (await rawRequest(served.port, '/')).body;
    const page = await openPage(served, '/' + /href="([^"]*\/behind\/)index\.html"/.exec(home)![1]!);
    await typing();
    const send = (i: number, from: string) =>
      rawRequest(served.port, '/_termpress/comment', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({
          post: id,
          token: page.token,
          comment: `Via the proxy ${i}`,
          author: `Proxied ${i}`,
          email: `p${i}@example.com`,
        }),
      });
    const first = await send(0, '203.0.113.7');
    expect(first.status).toBe(201);
    const stored = JSON.parse(sb.ok(['comment', 'show', (JSON.parse(first.body) as { id: string }).id, '--json'])) as { ip: string };
    expect(stored.ip).toBe('203.0.113.7');
    // Nine more from the same /24 are taken; the eleventh is refused, though every one came from the proxy's own address.
    for (let i = 1; i < 10; i++) expect((await send(i, `203.0.113.${i + 10}`)).status).toBe(201);
    expect((await send(10, '203.0.113.99')).status).toBe(429);
    expect((await send(11, '198.51.100.1')).status).toBe(201);
  }, 60_000);
});
