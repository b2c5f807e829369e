import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Sandbox } from './helpers/cli.js';
import { rawRequest, startServe, type Served } from './helpers/serve.js';

interface Mail {
  to: string[];
  data: string;
}

/** A local mail server that keeps what it is sent. */
async function startSmtp(): Promise<{ port: number; mails: Mail[]; close: () => Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (data += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A local HTTP server answering with the handler; closes every connection when closed. */
async function startHttp(
  handler: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>,
): Promise<{ port: number; close: () => Promise<void> }> {
  // A handler that fails answers 500, so the code under test sees a server error rather than a hang.
  const server = http.createServer((request, response) => {
    handler(request, response).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
  });
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('termpress serve tells the moderator of held comments and asks Akismet', () => {
  let sb: Sandbox;
  let served: Served | undefined;
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await served?.stop();
    for (const close of closers.splice(0)) await close();
    sb?.cleanup();
  });

  it("records Akismet's verdict as a reason, holds a comment when Akismet is down or slow, and mails and posts each held comment with the commands that settle it", async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const hooks: string[] = [];
    const webhook = await startHttp(async (request, response) => {
      hooks.push(await readBody(request));
      // The first two attempts fail: the notice must come through on a later one.
      response.statusCode = hooks.length <= 2 ? 503 : 204;
      response.end();
    });
    closers.push(webhook.close);
    const asked: URLSearchParams[] = [];
    let mode: 'answer' | 'slow' = 'answer';
    const akismet = await startHttp(async (request, response) => {
      const form = new URLSearchParams(await readBody(request));
      asked.push(form);
      if (request.url !== '/1.1/comment-check' || form.get('api_key') !== 'abc123') {
        response.end('invalid');
        return;
      }
      if (mode === 'slow') return; // Never answers.
      response.end(form.get('comment_content')!.includes('cheap pills') ? 'true' : 'false');
    });
    let akismetUp = true;
    closers.push(async () => {
      if (akismetUp) await akismet.close();
    });

    sb = new Sandbox();
    sb.initBlog('--title', 'Watched');
    const id = sb.ok(['post', 'create', '--title', 'Watched post', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    for (const [key, value] of [
      ['moderation.floodSeconds', '0'],
      ['moderation.autoApproveKnown', 'false'],
      ['moderation.akismetKey', 'abc123'],
      ['moderation.akismetUrl', `http://127.0.0.1:${akismet.port}/`],
      ['notify.email', 'moderator@example.com'],
      ['notify.smtp', `smtp://127.0.0.1:${smtp.port}`],
      ['notify.webhook', `http://127.0.0.1:${webhook.port}/hook`],
    ]) {
      sb.ok(['config', 'set', key!, value!]);
    }
    served = await startServe(sb);
    const port = served.port;
    const home = (await rawRequest(port, '/')).body;
    const postPath = '/' + /href="([^"]*\/watched-post\/)index\.html"/.exec(home)![1]!;
    const html = (await rawRequest(port, postPath)).body;
    const token = /name="token"[^>]*value="([^"]*)"/.exec(html)![1]!;
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const send = async (comment: string, author: string) => {
      const answer = await rawRequest(port, '/_termpress/comment', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ post: id, token, comment, author, email: `${author.toLowerCase()}@example.com` }),
      });
      expect(answer.status).toBe(201);
      const { id: commentId } = JSON.parse(answer.body) as { id: string };
      return JSON.parse(sb.ok(['comment', 'show', commentId, '--json'])) as { id: string; status: string; reasons: string[] };
    };

    const fine = await send('A kind word.', 'Kind');
    expect(fine).toMatchObject({ status: 'approved', reasons: ['no rule matched', 'Akismet: not spam'] });
    expect(asked[0]?.get('comment_author')).toBe('Kind');
    expect(asked[0]?.get('user_ip')).toBe('127.0.0.1');
    const spam = await send('Buy cheap pills here', 'Seller');
    expect(spam).toMatchObject({ status: 'spam', reasons: ['no rule matched', 'Akismet: spam'] });

    mode = 'slow';
    const slow = await send('Said while Akismet is slow.', 'Patient');
    expect(slow.status).toBe('pending');
    expect(slow.reasons).toEqual(['no rule matched', 'Akismet no answer within 3 s: held for a person to look at']);

    await akismet.close();
    akismetUp = false;
    const down = await send('Said while Akismet is down.', 'Unlucky');
    expect(down).toMatchObject({
      status: 'pending',
      reasons: ['no rule matched', 'Akismet could not be reached: held for a person to look at'],
    });

    // Each held comment is mailed to the moderator, with the commands that settle it.
    await waitUntil('two emails', () => smtp.mails.length >= 2);
    expect(smtp.mails.map((m) => m.to)).toEqual([['moderator@example.com'], ['moderator@example.com']]);
    const raw = smtp.mails.find((m) => m.data.includes('Said while Akismet is down.'))!.data;
    // The body with quoted-printable soft line breaks joined.
    const mail = raw.replace(/=\r?\n/g, '');
    // The subject as a mail program shows it: its encoded words (RFC 2047, quoted-printable) decoded.
    const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m
      .exec(raw)![1]!
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, text: string) =>
        Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
      );
    expect(subject).toBe('[Watched] Please moderate: "Watched post"');
    expect(mail).toContain('Akismet could not be reached: held for a person to look at');
    expect(mail).toContain(`termpress comment approve ${down.id}`);
    expect(mail).toContain(`termpress comment spam ${down.id}`);

    // And posted to the webhook, retried with back-off until it is taken.
    await waitUntil('the webhook to take both notices', () => hooks.filter((h) => h.length > 0).length >= 4, 30_000);
    const notices = hooks.map(
      (h) => JSON.parse(h) as { event: string; comment: { id: string; reasons: string[] }; commands: { approve: string } },
    );
    expect(new Set(notices.map((n) => n.comment.id))).toEqual(new Set([slow.id, down.id]));
    const notice = notices.find((n) => n.comment.id === down.id)!;
    expect(notice).toMatchObject({ event: 'comment.held', commands: { approve: `termpress comment approve ${down.id}` } });

    // A mail server that is gone costs the reader nothing: the comment is answered and held.
    await smtp.close();
    closers.splice(closers.indexOf(smtp.close), 1);
    const unmailed = await send('Nobody will mail this.', 'Quiet');
    expect(unmailed.status).toBe('pending');
    await waitUntil('the mail failure in the log', () => served!.stderr().includes('notification email not sent'));
    expect(served.stderr()).not.toContain('Nobody will mail this.');
    expect(served.stderr()).not.toContain('quiet@example.com');
  }, 90_000);
});
