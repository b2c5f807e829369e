import { promises as fs } from 'node:fs';
import path from 'node:path';
import send from '@fastify/send';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stripControl } from '../core/text.js';
import { FILES } from './context.js';
import { hostPolicy, type HostPolicy } from './server/hosts.js';
import { fillablePage, needsFill, type FillablePage } from './server/fill.js';
import { refuse } from './server/refusal.js';
import { findInSite, parseSitePath, pathOf } from './server/site-path.js';
import { answerableFromMemory, notModified, SiteFiles, type SiteFile } from './server/site-files.js';

/** How `serveSite` is asked to serve. */
export interface ServeOptions {
  /** The built site. */
  root: string;
  port: number;
  /** The address to bind: 127.0.0.1 unless the person chose another. */
  host: string;
  /** The blog's configured url: its host is one this server answers as. */
  blogUrl: string;
  /** More host names (name or name:port) this server answers as. */
  allowHosts: readonly string[];
  /** Read the client's address from X-Forwarded-For: true, a hop count, or the proxies' addresses. */
  trustProxy?: boolean | number | string | undefined;
  /** Where the one line per request goes (stderr). */
  log: (line: string) => void;
  /**
   * Adds routes (the comment endpoints) before the server listens, and may return what fills in the
   * pages that have a form (marked with data-termpress-fill) for each reader as they are served.
   */
  extend?: ((app: FastifyInstance, server: SiteServer) => Promise<PageFiller | void>) | undefined;
}

/** What the routes of a running server share. */
export interface SiteServer {
  /** The host rules, known once the server listens (the port may be chosen by the system). */
  readonly hosts: HostPolicy;
  /** Answers with the site's 404 page. */
  notFound(reply: FastifyReply): Promise<FastifyReply>;
}

/** Fills in a page with a form for the reader who asked for it (a fresh token, their remembered name). */
export type PageFiller = (request: FastifyRequest, reply: FastifyReply, page: FillablePage) => Promise<Buffer>;

/** Pages larger than this are served as they are, never read whole to be filled in. */
const MAX_FILLED_PAGE = 4 * 1024 * 1024;

/** A server that is listening. */
export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

/** Feeds and other files whose type the extension alone does not tell. */
const SITE_TYPES: Record<string, string> = {
  [FILES.rss]: 'application/rss+xml; charset=utf-8',
  [FILES.atom]: 'application/atom+xml; charset=utf-8',
  [FILES.json]: 'application/feed+json; charset=utf-8',
  [FILES.sitemap]: 'application/xml; charset=utf-8',
};

/** A file's content type: the feeds' own types, else as @fastify/send names it by its extension (text in UTF-8). */
function contentTypeOf(realRoot: string, file: string): string {
  const own = SITE_TYPES[path.relative(realRoot, file).split(path.sep).join('/')];
  if (own) return own;
  const type = send.mime.getType(file) ?? 'application/octet-stream';
  return send.isUtf8MimeType(type) ? `${type}; charset=utf-8` : type;
}

/**
 * Answers with a file kept in memory, with the headers @fastify/send gives it from the disk; a page
 * with a form is filled in for the reader instead, and never cached.
 */
async function sendKept(request: FastifyRequest, reply: FastifyReply, kept: SiteFile, filler: PageFiller | void): Promise<FastifyReply> {
  if (kept.page && filler) {
    const filled = await filler(request, reply, kept.page);
    return reply.header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8').send(filled);
  }
  reply
    .header('accept-ranges', 'bytes')
    .header('last-modified', kept.lastModified)
    .header('etag', kept.etag)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff');
  if (notModified(request.headers, kept)) return reply.code(304).send();
  return reply.type(kept.type).send(kept.body);
}

/** Raised when a file turns out, at the last moment, to lie outside the site. */
class OutsideSite extends Error {}

/** Where the server's own endpoints (comments, likes) live, apart from every file of the site. */
export const ENDPOINT_PREFIX = '/_termpress/';

/**
 * A request body limit above the longest comment (65,525 characters, as WordPress allows, which a
 * form sends percent-encoded: up to 12 bytes a character), far below what could hurt the server.
 */
export const BODY_LIMIT = 800 * 1024;

/**
 * Serves a built site with Fastify: only under the site's real folder, only to the hosts the blog
 * is served as, with ETags, Last-Modified, 304s, HEAD, a 301 to the folder for "/path", and the
 * site's own 404 page. No request can crash it: every failure is an answer.
 */
export async function serveSite(options: ServeOptions): Promise<RunningServer> {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyStatic } = await import('@fastify/static');
  const realRoot = await fs.realpath(path.resolve(options.root));

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustOf(options.trustProxy),
    // Idle keep-alive connections would hold a stop back; requests in flight are still answered.
    forceCloseConnections: 'idle',
    // find-my-way's default of 100 characters would turn a long slug into a 414.
    routerOptions: { maxParamLength: 2048 },
  });

  const files = new SiteFiles((file) => contentTypeOf(realRoot, file));
  let hosts: HostPolicy | undefined;
  const server: SiteServer = {
    get hosts() {
      if (!hosts) throw new Error('The server is not listening yet.');
      return hosts;
    },
    notFound: (reply) => sendNotFound(realRoot, reply),
  };

  app.addHook('onRequest', async (request, reply) => {
    startedAt.set(request, process.hrtime.bigint());
    if (!server.hosts.allows(request.host)) {
      return reply
        .code(421)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('This server does not serve that host name. If it should, start termpress serve with --allow-host <name>.\n');
    }
    // The site is read-only: refused before any body is read, whatever its type.
    if (request.method !== 'GET' && request.method !== 'HEAD' && !(request.raw.url ?? '').startsWith(ENDPOINT_PREFIX)) {
      return reply
        .code(405)
        .header('allow', 'GET, HEAD')
        .type('text/plain; charset=utf-8')
        .send('Method not allowed: this site can only be read.\n');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const started = startedAt.get(request);
    const ms = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e6;
    // The path only: a query may carry a signed token, a body may carry a reader's email.
    const target = stripControl((request.raw.url ?? '/').split('?', 1)[0] ?? '/');
    requestLog.push(`${request.method} ${target} ${reply.statusCode} ${ms.toFixed(1)}ms`);
    // The lines of one turn of the event loop written at once: a write to stderr for each of
    // thousands of requests a second would cost the server more than some of the answers.
    if (requestLog.length === 1) setImmediate(flushRequestLog);
  });
  const requestLog: string[] = [];
  const flushRequestLog = () => {
    if (requestLog.length > 0) options.log(requestLog.splice(0).join('\n'));
  };

  await app.register(fastifyStatic, {
    root: realRoot,
    serve: false,
    // Revalidated every time: a preview must show the page as just rebuilt.
    cacheControl: false,
    dotfiles: 'deny',
    setHeaders: (reply: FastifyReply, file: string) => {
      reply.header('cache-control', 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-type', contentTypeOf(realRoot, file));
    },
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof OutsideSite || error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      // Gone between the look and the read (a rebuild removed it), or outside the site after all.
      reply.removeHeader('content-length').removeHeader('etag').removeHeader('last-modified');
      return sendNotFound(realRoot, reply);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return refuse(request, reply, status, readableClientError(error, status));
    options.log(`error: ${request.method} ${stripControl(request.url.split('?', 1)[0] ?? '/')}: ${stripControl(error.message)}`);
    return refuse(request, reply, 500, 'The server could not answer this request; it has been logged.');
  });
  app.setNotFoundHandler(async (_request, reply) => sendNotFound(realRoot, reply));

  const filler = options.extend ? await options.extend(app, server) : undefined;

  app.get('/*', async (request, reply) => {
    const target = parseSitePath(request.raw.url ?? '/');
    if (target.kind === 'bad') return reply.code(400).type('text/plain; charset=utf-8').send('Bad request path.\n');
    if (target.kind === 'outside') return sendNotFound(realRoot, reply);
    const key = pathOf(target.segments, target.trailingSlash);
    const fromMemory = answerableFromMemory(request.headers);
    const kept = fromMemory ? files.get(key) : undefined;
    if (kept) return sendKept(request, reply, kept, filler);
    const found = await findInSite(realRoot, target.segments, target.trailingSlash);
    if (found.kind === 'folder') {
      const query = (request.raw.url ?? '').includes('?') ? (request.raw.url ?? '').slice((request.raw.url ?? '').indexOf('?')) : '';
      return reply.redirect(pathOf(target.segments, true) + query, 301);
    }
    if (found.kind !== 'file') return sendNotFound(realRoot, reply);
    const added = fromMemory ? await files.add(key, found.file, found.stat) : undefined;
    if (added) return sendKept(request, reply, added, filler);
    if (filler && found.file.endsWith('.html') && found.stat.size <= MAX_FILLED_PAGE) {
      // A page with a form is made for each reader (a fresh token): read, filled and never cached.
      const html = await readInside(found.file);
      if (needsFill(html)) {
        const filled = await filler(request, reply, fillablePage(html));
        reply.header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8');
        return reply.send(filled);
      }
    }
    const relative = '/' + path.relative(realRoot, found.file).split(path.sep).join('/');
    return reply.sendFile(relative, realRoot, {
      // The file @fastify/send is about to open, checked again: a symlink swapped in since the look is refused.
      onFile: async (selected: string) => {
        const again = await fs.realpath(selected).catch(() => null);
        if (again !== found.file) throw new OutsideSite('outside the site');
      },
    });
  });

  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  hosts = hostPolicy({ port, blogUrl: options.blogUrl, allowHosts: options.allowHosts });
  const shownHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${shownHost}:${port}/`, port, close: () => closeGracefully(app).finally(flushRequestLog) };
}

/** How long requests in flight may take to finish once the server is asked to stop. */
const STOP_GRACE_MS = 10_000;

/**
 * Stops listening and waits for the requests in flight. A keep-alive connection that finishes its
 * response after the stop began would hold the process open, so idle ones are closed as they
 * appear; after the grace period every connection is closed.
 */
async function closeGracefully(app: FastifyInstance): Promise<void> {
  const idle = setInterval(() => app.server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => app.server.closeAllConnections(), STOP_GRACE_MS);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(deadline);
  }
}

/** A page's text, read without following a link swapped in since it was found inside the site. */
async function readInside(file: string): Promise<string> {
  const handle = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** A hop count as proxy-addr's trust function: the n nearest hops are proxies. */
function trustOf(value: boolean | number | string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

const startedAt = new WeakMap<object, bigint>();

type FastifyError = Error & { code?: string; statusCode?: number };

/** The site's 404 page (the file, if it is inside the site), else a line of text; always status 404. */
async function sendNotFound(realRoot: string, reply: FastifyReply): Promise<FastifyReply> {
  const found = await findInSite(realRoot, [FILES.notFound], false);
  const page = found.kind === 'file' ? await fs.readFile(found.file).catch(() => null) : null;
  reply.code(404).header('cache-control', 'no-cache');
  if (page) return reply.type('text/html; charset=utf-8').send(page);
  return reply.type('text/plain; charset=utf-8').send('Not found.\n');
}

/** A framework error as a sentence a reader can act on. */
function readableClientError(error: FastifyError, status: number): string {
  if (status === 413) return 'What was sent is too long for this server.';
  if (status === 415) return 'Only forms (application/x-www-form-urlencoded) and JSON (application/json) are accepted.';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return 'The JSON sent could not be read.';
  if (status === 429) return error.message;
  return 'The request could not be read.';
}
