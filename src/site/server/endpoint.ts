/**
 * The comment server: "Leave a Reply" and Like form posts (and the same as JSON), taken through the
 * Blog API exactly as `termpress comment add` takes a comment, after the abuse checks that keep
 * robots out of the queue. Mounted under /_termpress/ by `termpress serve`.
 */

import { isUtf8 } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Blog } from '../../api/blog.js';
import type { AddCommentResult, BulkOutcome, ReaderComment } from '../../api/comments.js';
import { CommentRefusedError, NotFoundError, RefusedError, StorageError, TermpressError, UsageError } from '../../core/errors.js';
import { isId } from '../../core/ids.js';
import { isVisibleNow, postDate } from '../../core/posts.js';
import type { BlogSettings, Comment, Post } from '../../core/types.js';
import { blogFolder } from '../../store/confined.js';
import { FILES } from '../context.js';
import { createDateFormatter } from '../dates.js';
import { absoluteUrl, encodePath, postFileNamer, prettyPath, siteBase } from '../paths.js';
import { escapeHtml, sanitizeCommentBody, stripControls } from '../sanitize.js';
import { createRenderer, DEFAULT_THEME_DIR, loadTheme } from '../theme.js';
import type { RespondView } from '../views.js';
import { fillPage, type PageFill } from './fill.js';
import { askAkismet, type AkismetComment } from './akismet.js';
import { networkOf } from './network.js';
import type { Notifier } from './notify.js';
import { refuse, wantsJson } from './refusal.js';
import type { Rebuilder } from './rebuild.js';
import { createSigner, newReaderId, type Signer } from './signer.js';
import type { PageFiller, SiteServer } from '../serve.js';

/** Comments a network (an IPv4 /24, an IPv6 /48) may send in a minute: a person writes far fewer. */
export const COMMENTS_PER_MINUTE = 10;
/** Likes a network may send in a minute. */
export const LIKES_PER_MINUTE = 30;
/** How long a form post waits for the page that shows an approved comment or a like to be rebuilt. */
const REBUILD_WAIT_MS = 5000;
/** The most comments stored in one write. */
const MAX_BATCH = 200;
/** The longest a batch of comments waits for more to join it after a busy one (see batches), in milliseconds. */
const GATHER_MS = 25;
/** How many comments a batch waits for, at the least (as PostgreSQL's commit_siblings): fewer are stored at once. */
const GATHER_FROM = 4;
/** Reply pages a network may open in a minute: each renders the theme's form. */
const REPLY_PAGES_PER_MINUTE = 60;

const READER_COOKIE = 'tp_reader';
const COMMENTER_COOKIE = 'tp_commenter';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

export interface EndpointOptions {
  blog: Blog;
  /** The blog's secret, for form tokens, cookies and signed links. */
  secret: Buffer;
  rebuild: Rebuilder;
  log: (line: string) => void;
  /** Tells the moderator of held comments; never awaited by the reader's answer. */
  notifier?: Notifier | undefined;
  /** The digest of the blog's own theme templates the user trusted, if any: others are never run. */
  trustedTheme?: (() => Promise<string | undefined>) | undefined;
}

/** A reader's form, or the same as JSON: every field a string, absent ones empty. */
type Fields = Record<'post' | 'parent' | 'comment' | 'author' | 'email' | 'url' | 'token' | 'confirm_email' | 'remember', string>;
const FIELD_NAMES: ReadonlyArray<keyof Fields> = [
  'post',
  'parent',
  'comment',
  'author',
  'email',
  'url',
  'token',
  'confirm_email',
  'remember',
];

/** A refusal the reader can act on: the status, the sentence, and whether a fresh form should come with it. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly freshForm = false,
  ) {
    super(message);
  }
}

/**
 * Registers the comment server's routes under /_termpress/ and returns what fills the site's pages
 * with a fresh token (and the reader's remembered name) as they are served.
 */
export async function registerEndpoint(app: FastifyInstance, server: SiteServer, options: EndpointOptions): Promise<PageFiller> {
  const { blog } = options;
  const signer = createSigner(options.secret);
  const { default: fastifyCookie } = await import('@fastify/cookie');
  const { default: rateLimit } = await import('@fastify/rate-limit');
  await app.register(fastifyCookie, { secret: createHmac('sha256', options.secret).update('cookies').digest() });
  // One write at a time into the store: the blog's lock is a file that waiting writers poll, and
  // two hundred readers polling it at once would keep each other out until some gave up.
  const serial = queue();
  // Comments that come while one is being stored are stored together, in one write per post. The
  // blog's lock is kept from one batch to the next while readers keep coming (other processes that
  // wait for it are let in before each), and let go when none is left to store.
  const addComment = batches<ReaderComment, AddCommentResult>(
    (items, answer) =>
      serial(async () => {
        const outcomes = await blog.addReaderComments(items, {
          // The readers are answered once their comments are on disk, while the lock is let go.
          onStored: (stored) => {
            tellUnseenWrites(blog, options.rebuild, stored);
            answer(stored);
          },
          keepLock: true,
        });
        answer(outcomes);
        return outcomes;
      }),
    () => serial(() => blog.letGoOfLock()),
  );
  app.addHook('onClose', async () => {
    await addComment.idle();
  });

  // A blog that cannot be read now says so to the first reader who comments, as it would later.
  await blog.keepPostsRead().catch(() => undefined);

  const settings = () => blog.settings({ fresh: true });
  const sameOrigin = (s: BlogSettings) => s.comments.endpoint === '';

  await app.register(async (scope) => {
    // Only forms and JSON; each read as bytes so that invalid UTF-8 is refused, not silently replaced.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, parseForm(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) return done(clientError(400, 'What was sent is not valid UTF-8 text.'), undefined);
      try {
        done(null, JSON.parse(bytes.toString('utf8')) as unknown);
      } catch {
        done(clientError(400, 'The JSON sent could not be read.'), undefined);
      }
    });

    // Refused before a byte of the body is read: the wrong kind of body, or a page of another site.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST') return;
      const type = String(request.headers['content-type'] ?? '')
        .split(';', 1)[0]!
        .trim()
        .toLowerCase();
      if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') {
        return refuse(request, reply, 415, 'Only forms (application/x-www-form-urlencoded) and JSON (application/json) are accepted.');
      }
      if (!fromOwnSite(request, server)) {
        return refuse(
          request,
          reply,
          403,
          "This form was sent from a page that is not this blog's; open the post on the blog and send it from there.",
        );
      }
    });

    await scope.register(rateLimit, {
      global: false,
      keyGenerator: (request) => networkOf(request.ip),
      errorResponseBuilder: (_request, context) =>
        clientError(429, `Too many requests from your network; wait ${context.after} and send again.`),
    });

    scope.post(
      '/_termpress/comment',
      { config: { rateLimit: { max: COMMENTS_PER_MINUTE, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const s = await settings();
        let fields: Fields;
        try {
          fields = readFields(request.body);
        } catch (error) {
          if (error instanceof Refusal) return refuse(request, reply, error.status, error.message);
          throw error;
        }
        try {
          checkSubmission(fields, signer);
          // Asked before the lock is taken: a slow service must not hold up every other reader.
          const screening =
            s.moderation.akismetKey === ''
              ? undefined
              : await askAkismet(s.moderation.akismetUrl, s.moderation.akismetKey, akismetFields(s, request, fields));
          const result = await addComment({
            postRef: fields.post,
            input: {
              author: fields.author,
              email: fields.email,
              url: fields.url,
              body: fields.comment,
              parentId: fields.parent === '' ? null : fields.parent,
              ip: request.ip,
              userAgent: String(request.headers['user-agent'] ?? ''),
              screening,
            },
          });
          const { comment, post } = result;
          if (comment.status === 'pending')
            options.notifier?.held({ comment, post, link: absoluteUrl(siteBase(s.url), postFile(s, post)) });
          rememberCommenter(reply, fields, s);
          if (wantsJson(request))
            return reply.code(201).header('cache-control', 'no-store').send({ id: comment.id, status: comment.status });
          if (comment.status === 'approved') {
            await waitFor(options.rebuild.request());
            return reply.redirect(`${postLink(s, post)}#comment-${comment.id}`, 303);
          }
          // Held (or taken for spam, which a reader is never told): the reader alone sees it, by a signed link.
          const held = `${post.id}.${comment.id}.${signer.sign('held', `${post.id}.${comment.id}`)}`;
          if (sameOrigin(s)) return reply.redirect(`${postLink(s, post)}?held=${held}#comment-notice`, 303);
          return reply.redirect(`held?c=${held}`, 303);
        } catch (error) {
          const refusal = asRefusal(error);
          if (!refusal) throw error;
          if (refusal.status >= 500) options.log(`comment not stored: ${stripControls((error as Error).message)}`);
          if (wantsJson(request)) return refuse(request, reply, refusal.status, refusal.message);
          const form = refusal.freshForm ? await respondForm(blog, s, fields, signer, 'comment', options.trustedTheme) : '';
          return refuse(request, reply, refusal.status, refusal.message, {
            text: form === '' ? fields.comment : undefined,
            back: await backLink(blog, s, fields.post),
            extra: form,
          });
        }
      },
    );

    scope.post('/_termpress/like', { config: { rateLimit: { max: LIKES_PER_MINUTE, timeWindow: '1 minute' } } }, async (request, reply) => {
      const s = await settings();
      let fields: Fields;
      try {
        fields = readFields(request.body);
        if (fields.confirm_email !== '') throw new Refusal(400, 'This like looks sent by a robot, so it was not counted.');
        const known = readerOf(request);
        const readerId = known ?? newReaderId();
        const result = await serial(() =>
          blog.likePost(fields.post, { readerId, network: networkOf(request.ip), cookieless: known === null }),
        );
        setReader(reply, readerId, s);
        if (wantsJson(request))
          return reply.header('cache-control', 'no-store').send({ post: result.postId, likes: result.count, liked: result.added });
        if (result.added) await waitFor(options.rebuild.request());
        const post = await blog.getPost(result.postId);
        return reply.redirect(`${postLink(s, post)}#likes`, 303);
      } catch (error) {
        const refusal = asRefusal(error);
        if (!refusal) throw error;
        return refuse(request, reply, refusal.status, refusal.message);
      }
    });

    // Where a Reply link leads: the comment replied to, and the form, threaded under it.
    scope.get(
      '/_termpress/reply',
      { config: { rateLimit: { max: REPLY_PAGES_PER_MINUTE, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const s = await settings();
        const query = request.query as Record<string, unknown>;
        const postRef = typeof query['post'] === 'string' ? query['post'] : '';
        const to = typeof query['to'] === 'string' ? query['to'] : '';
        const found = isId(postRef) ? await blog.getPost(postRef).catch(() => null) : null;
        const parent = found?.comments.find((c) => c.id === to && c.status === 'approved');
        if (!found || !isVisibleNow(found, blog.now()) || !parent)
          return refuse(request, reply, 404, 'That comment is not there any more, so it cannot be answered.');
        const back = postLink(s, found);
        if (found.commentStatus === 'closed') return refuse(request, reply, 403, 'Comments are closed.', { back });
        const author = stripControls(parent.author).trim() || 'Anonymous';
        const commenter = commenterOf(request);
        const remembered = commenter.author !== '' || commenter.email !== '' || commenter.url !== '';
        const fields = { ...emptyFields(), ...commenter, remember: remembered ? 'yes' : '', post: found.id, parent: parent.id };
        const body = [
          `<article class="post"><h1 class="post-title">Reply to ${escapeHtml(author)}</h1>`,
          `<p class="post-meta">On <a href="${escapeHtml(back)}">${escapeHtml(stripControls(found.title).trim() || '(untitled)')}</a></p>`,
          `<blockquote class="comment-content">${sanitizeCommentBody(parent.body)}</blockquote></article>`,
          await respondForm(blog, s, fields, signer, 'comment', options.trustedTheme),
        ].join('\n');
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(serverPage(s, `Reply to ${author}`, body));
      },
    );

    // When the site is hosted elsewhere, the reader's held comment is shown here instead of on the post.
    scope.get('/_termpress/held', async (request, reply) => {
      const s = await settings();
      const held = await heldComment(blog, signer, (request.query as Record<string, unknown>)['c']);
      if (!held) return refuse(request, reply, 404, 'There is no comment of yours awaiting moderation here.');
      const body = `<article class="post"><h1 class="post-title">Thank you</h1>${noticeHtml(held.comment)}<p><a href="${escapeHtml(postLink(s, held.post))}">Back to the post</a></p></article>`;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(serverPage(s, 'Awaiting moderation', body));
    });

    // For a page's script (a theme of its own): a fresh form token.
    scope.get('/_termpress/token', async (_request, reply) =>
      reply.header('cache-control', 'no-store').send({ token: signer.formToken(Date.now()) }),
    );
  });

  return async (request, reply, page) => {
    const query = request.query as Record<string, unknown> | undefined;
    const held = query?.['held'] === undefined ? null : await heldComment(blog, signer, query['held']);
    const commenter = commenterOf(request);
    if (readerOf(request) === null) setReader(reply, newReaderId(), await settings());
    reply.header('cache-control', 'no-store');
    return page({
      token: signer.formToken(Date.now()),
      ...commenter,
      remember: commenter.author !== '' || commenter.email !== '' || commenter.url !== '',
      notice: held ? noticeHtml(held.comment) : '',
    });
  };

  /** The reader's browser id from its signed cookie, or null. */
  function readerOf(request: FastifyRequest): string | null {
    const raw = request.cookies[READER_COOKIE];
    if (raw === undefined) return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value !== null && /^[\w-]{22}$/.test(unsigned.value) ? unsigned.value : null;
  }

  function setReader(reply: FastifyReply, readerId: string, s: BlogSettings): void {
    reply.setCookie(READER_COOKIE, readerId, cookieOptions(s, true));
  }

  /** The name, email and website a reader asked to be remembered (their own, shown only to them). */
  function commenterOf(request: FastifyRequest): Pick<PageFill, 'author' | 'email' | 'url'> {
    const none = { author: '', email: '', url: '' };
    const raw = request.cookies[COMMENTER_COOKIE];
    if (raw === undefined) return none;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return none;
    try {
      const value = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Record<string, unknown>;
      const text = (key: string) => (typeof value[key] === 'string' ? stripControls(value[key]).slice(0, 245) : '');
      return { author: text('author'), email: text('email'), url: text('url') };
    } catch {
      return none;
    }
  }

  function rememberCommenter(reply: FastifyReply, fields: Fields, s: BlogSettings): void {
    if (fields.remember === '') {
      reply.clearCookie(COMMENTER_COOKIE, { path: '/' });
      return;
    }
    const value = Buffer.from(JSON.stringify({ author: fields.author, email: fields.email, url: fields.url })).toString('base64url');
    reply.setCookie(COMMENTER_COOKIE, value, cookieOptions(s, true));
  }
}

/** Cookies of the comment server: for the site's own pages (lax), or sent along from a site hosted elsewhere (none, secure). */
function cookieOptions(s: BlogSettings, signed: boolean) {
  const elsewhere = s.comments.endpoint !== '';
  return {
    path: '/',
    httpOnly: true,
    sameSite: elsewhere ? ('none' as const) : ('lax' as const),
    secure: elsewhere,
    maxAge: YEAR_SECONDS,
    signed,
  };
}

/** An error with a status the server's error handler answers with. */
function clientError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

/** Resolves when the promise does, or after a while: a slow build must not hold a reader's answer for long. */
async function waitFor(promise: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, REBUILD_WAIT_MS)))]);
  clearTimeout(timer);
}

/**
 * Runs a batch function over what is submitted: one batch at a time, each taking everything that
 * came while the one before ran (at most MAX_BATCH), each submission answered with its own outcome.
 *
 * A batch costs about the same for one comment as for a hundred (the lock, the look at the blog, the
 * flush of the disk), so after a busy batch the next waits a moment (at most GATHER_MS) for most of
 * the readers then busy (those just answered and those waiting) to have sent theirs: else the first
 * to come would make a batch of their own while the rest queued behind it, and the batches would
 * stay split. One comment that comes when nothing is running is stored at once.
 */
function batches<T, R>(
  run: (items: T[], answer: (outcomes: ReadonlyArray<BulkOutcome<R>>) => void) => Promise<unknown>,
  /** Called once no batch is left to run. */
  whenIdle: () => Promise<void>,
): ((item: T) => Promise<R>) & { idle(): Promise<void> } {
  const waiting: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  let running = false;
  let gathered: { enough: number; resolve: () => void } | undefined;
  const gather = async (enough: number) => {
    // A few readers at once make small batches that are quickly done: waiting for them gains nothing.
    if (enough < GATHER_FROM || waiting.length >= enough) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      gathered = { enough, resolve };
      timer = setTimeout(resolve, GATHER_MS);
    });
    clearTimeout(timer);
    gathered = undefined;
  };
  const drain = async () => {
    running = true;
    // The readers just answered, and those who were waiting: as many as are likely to be sending now.
    let busy = 0;
    while (waiting.length > 0) {
      await gather(Math.min(MAX_BATCH, Math.ceil(busy * 0.75)));
      const batch = waiting.splice(0, MAX_BATCH);
      // Answered once, by whichever comes first: the outcomes as stored, or as returned.
      let answered = false;
      // Counted as the batch is answered: the readers answered come back to `waiting` at once, and
      // counted again there they would make a batch wait for more readers than there are.
      const settle = () => {
        answered = true;
        busy = batch.length + waiting.length;
      };
      const answer = (outcomes: ReadonlyArray<BulkOutcome<R>>) => {
        if (answered) return;
        settle();
        batch.forEach((b, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) b.resolve(outcome.value);
          else b.reject(outcome.error);
        });
      };
      try {
        await run(
          batch.map((b) => b.item),
          answer,
        );
      } catch (error) {
        if (!answered) {
          settle();
          for (const b of batch) b.reject(error);
        }
      }
    }
    running = false;
    await whenIdle().catch(() => undefined);
  };
  let drained: Promise<void> = Promise.resolve();
  const submit = (item: T) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (gathered && waiting.length >= gathered.enough) gathered.resolve();
      if (!running) drained = drain();
    });
  // Resolves once the batches under way (and those they drew) are done, and whenIdle with them.
  return Object.assign(submit, { idle: () => drained });
}

/**
 * Tells the rebuilder of the posts a batch wrote that changed nothing the site shows: every comment
 * stored in them is held for moderation or taken for spam, so their pages stay as they were.
 */
function tellUnseenWrites(blog: Blog, rebuild: Rebuilder, outcomes: ReadonlyArray<BulkOutcome<AddCommentResult>>): void {
  const shown = new Map<string, boolean>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    const postId = outcome.value.post.id;
    shown.set(postId, (shown.get(postId) ?? false) || outcome.value.comment.status === 'approved');
  }
  for (const [postId, anyShown] of shown) {
    const write = anyShown ? undefined : blog.lastPostWrite(postId);
    if (write) rebuild.unseen(postId, write);
  }
}

/** Runs tasks one after another, in the order they came. */
function queue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * A form body, decoded as browsers encode it, with its text checked to be UTF-8: bytes or a
 * percent-encoded sequence that are not are refused rather than turned into replacement characters.
 */
function parseForm(body: Buffer): Record<string, string | string[]> {
  if (!isUtf8(body)) throw clientError(400, 'What was sent is not valid UTF-8 text.');
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const text = body.toString('utf8');
  if (text === '') return out;
  for (const pair of text.split('&')) {
    const at = pair.indexOf('=');
    const [rawKey, rawValue] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    let key: string;
    let value: string;
    try {
      // decodeURIComponent refuses a percent-encoded sequence that is not UTF-8 (URIError).
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw clientError(400, 'What was sent is not valid UTF-8 text.');
    }
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function emptyFields(): Fields {
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, ''])) as Fields;
}

/** The fields of a form or a JSON object; a field given twice, or as anything but text, is refused. */
function readFields(body: unknown): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Refusal(400, 'Send the form, or a JSON object, with the comment in it.');
  const source = body as Record<string, unknown>;
  const fields = emptyFields();
  for (const name of FIELD_NAMES) {
    // JSON clients may call the text "body", as the data does.
    const value = name === 'comment' && source[name] === undefined ? source['body'] : source[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean' && name === 'remember') {
      fields.remember = value ? 'yes' : '';
      continue;
    }
    if (typeof value !== 'string') throw new Refusal(400, `The field "${name}" must be text, given once.`);
    fields[name] = value;
  }
  return fields;
}

/** The checks a submission meets before the rules: the trap for robots, then the form's signed token. */
function checkSubmission(fields: Fields, signer: Signer): void {
  if (fields.confirm_email !== '')
    throw new Refusal(400, 'This comment looks sent by a robot (a hidden field was filled in), so it was not sent.');
  const check = signer.checkFormToken(fields.token, Date.now());
  if (check.ok) return;
  if (check.why === 'early') {
    throw new Refusal(
      400,
      `This comment was sent faster than a person can write one. Wait ${check.waitSeconds} seconds, then send it again below.`,
      true,
    );
  }
  if (check.why === 'expired')
    throw new Refusal(400, 'This form is more than a day old. Your comment is below, in a fresh form: send it again.', true);
  throw new Refusal(
    400,
    'This form came without its check (a page from a cache, or from elsewhere). Your comment is below: send it again.',
    true,
  );
}

/** An error of the API as a refusal for a reader; null for an error that is the server's own (answered 500). */
function asRefusal(error: unknown): Refusal | null {
  if (error instanceof Refusal) return error;
  if (error instanceof CommentRefusedError) {
    const status: Record<string, number> = { 'not-published': 404, closed: 403, duplicate: 409, flood: 429 };
    return new Refusal(status[error.rule] ?? 422, error.message);
  }
  if (error instanceof NotFoundError) return new Refusal(404, 'There is no such post on this blog.');
  if (error instanceof UsageError) return new Refusal(400, error.message);
  if (error instanceof RefusedError) return new Refusal(403, error.message);
  if (error instanceof StorageError)
    return new Refusal(503, 'The blog could not store this just now; nothing was saved. Please send it again in a moment.');
  if (error instanceof TermpressError) return new Refusal(400, error.message);
  return null;
}

/** Whether a browser sent this from one of the blog's own pages: by Origin, else by Referer; a script sending JSON may send neither. */
function fromOwnSite(request: FastifyRequest, server: SiteServer): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin !== 'null' && server.hosts.allowsOrigin(origin);
  const referer = request.headers.referer;
  if (referer !== undefined) {
    try {
      return server.hosts.allowsOrigin(new URL(referer).origin);
    } catch {
      return false;
    }
  }
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json');
}

/** The output file of a post's page, as the build names it. */
function postFile(s: BlogSettings, post: Post): string {
  let namer = namers.get(s);
  if (!namer) namers.set(s, (namer = postFileNamer(s.permalink, createDateFormatter(s.timezone, s.language))));
  return namer(post, postDate(post));
}

// One namer for each version of the settings (kept by the Blog while the file is unchanged): making one costs more than using it.
const namers = new WeakMap<BlogSettings, ReturnType<typeof postFileNamer>>();

/** What Akismet is told of a submission. */
function akismetFields(s: BlogSettings, request: FastifyRequest, fields: Fields): AkismetComment {
  return {
    blog: siteBase(s.url).href,
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? ''),
    referrer: String(request.headers.referer ?? ''),
    permalink: '',
    author: fields.author,
    email: fields.email,
    url: fields.url,
    content: fields.comment,
  };
}

/** The link from the endpoint (/_termpress/...) to a post's page: relative on the site's own server, absolute when the site is elsewhere. */
function postLink(s: BlogSettings, post: Post): string {
  const file = postFile(s, post);
  if (s.comments.endpoint !== '') return absoluteUrl(siteBase(s.url), file);
  return `../${encodePath(prettyPath(file))}`;
}

async function backLink(blog: Blog, s: BlogSettings, postRef: string): Promise<string | undefined> {
  if (postRef === '') return undefined;
  const post = await blog.getPost(postRef).catch(() => null);
  return post && isVisibleNow(post, blog.now()) ? postLink(s, post) : undefined;
}

/** A held comment named by a signed "<post>.<comment>.<signature>", if it is still held. */
async function heldComment(blog: Blog, signer: Signer, value: unknown): Promise<{ comment: Comment; post: Post } | null> {
  if (typeof value !== 'string') return null;
  const match = /^([a-z0-9]{4,32})\.([\w-]{1,64})\.([\w-]{43})$/.exec(value);
  if (!match || !isId(match[1]!) || !signer.verify('held', `${match[1]}.${match[2]}`, match[3]!)) return null;
  const post = await blog.getPost(match[1]!).catch(() => null);
  const comment = post?.comments.find((c) => c.id === match[2]);
  return post && comment && (comment.status === 'pending' || comment.status === 'spam') ? { comment, post } : null;
}

/** The notice a reader sees of their own comment awaiting moderation, with their text as the site would show it. */
function noticeHtml(comment: Comment): string {
  const author = stripControls(comment.author).trim() || 'Anonymous';
  return [
    '<p class="comment-awaiting-moderation"><strong>Your comment is awaiting moderation.</strong> This is a preview; your comment will be visible after it has been approved.</p>',
    `<div class="comment-body"><p class="comment-meta"><span class="comment-author">${escapeHtml(author)}</span></p>`,
    `<div class="comment-content">${sanitizeCommentBody(comment.body)}</div></div>`,
  ].join('\n');
}

/**
 * The theme's "Leave a Reply" form, filled with what the reader wrote and a fresh token: the
 * reply page, and a refusal that asks the reader to send again.
 */
async function respondForm(
  blog: Blog,
  s: BlogSettings,
  fields: Fields,
  signer: Signer,
  action: string,
  trustedTheme: (() => Promise<string | undefined>) | undefined,
): Promise<string> {
  if (fields.post === '' || !isId(fields.post)) return '';
  const own = await loadTheme(DEFAULT_THEME_DIR, join(blog.dir, 'templates', 'theme'), blogFolder(blog.dir));
  // The blog's own templates are code: run only as trusted (as the build runs them), else the package's form.
  const trusted = own.code === null || own.code.digest === (await trustedTheme?.());
  const render = createRenderer(trusted ? own : await loadTheme(DEFAULT_THEME_DIR, join(DEFAULT_THEME_DIR, 'no-overrides')));
  const respond: RespondView = { action, postId: fields.post, requireNameEmail: s.moderation.requireNameEmail };
  const html = render('partials/respond', { respond });
  return fillPage(html, {
    token: signer.formToken(Date.now()),
    author: fields.author,
    email: fields.email,
    url: fields.url,
    remember: fields.remember !== '',
    notice: '',
    comment: fields.comment,
    parent: fields.parent,
  });
}

/** A page of the comment server's own, dressed in the site's stylesheet. */
function serverPage(s: BlogSettings, title: string, body: string): string {
  const base = siteBase(s.url);
  const elsewhere = s.comments.endpoint !== '';
  const style = elsewhere ? absoluteUrl(base, FILES.style) : `../${FILES.style}`;
  const home = elsewhere ? base.href : '../';
  const site = stripControls(s.title);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(s.language || 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)} – ${escapeHtml(site)}</title>`,
    `<link rel="stylesheet" href="${escapeHtml(style)}">`,
    '</head>',
    '<body class="page-respond">',
    `<header class="site-header"><p class="site-title"><a href="${escapeHtml(home)}" rel="home">${escapeHtml(site)}</a></p></header>`,
    `<main id="main" class="site-main">\n${body}\n</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
