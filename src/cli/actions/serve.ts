import { isIP } from 'node:net';
import type { Blog } from '../../api/blog.js';
import { UsageError } from '../../core/errors.js';
import { splitList } from '../../core/lists.js';
import type { Rebuilder } from '../../site/server/rebuild.js';
import type { ServeOptions } from '../commands/build.js';
import type { Cli } from '../context.js';
import { reportProblems } from '../options.js';
import { blogFor, outputFor } from '../shared.js';
import { buildSite } from './build.js';

/** `termpress serve`: the site built, then served with readers' comments and likes until Ctrl-C or SIGTERM. */
export async function serve(cli: Cli, opts: ServeOptions): Promise<void> {
  const out = outputFor(cli);
  const problems: string[] = [];
  const trustProxy = parseTrustProxy(opts.trustProxy, problems);
  const syncMs = opts.sync === undefined ? undefined : parseInterval(opts.sync, problems);
  if (!isIP(opts.host) && opts.host !== 'localhost')
    problems.push(`--host needs an IP address to listen on (127.0.0.1, 0.0.0.0, ::1), not "${opts.host}"`);
  const { parseAllowedHost } = await import('../../site/server/hosts.js');
  for (const host of opts.allowHost ?? []) {
    try {
      parseAllowedHost(host);
    } catch (error) {
      problems.push((error as Error).message.replace(/\.$/, ''));
    }
  }
  reportProblems(problems);
  const blog = await blogFor(cli);
  const report = await buildSite(cli, opts);
  const { serveSite } = await import('../../site/serve.js');
  const { registerEndpoint } = await import('../../site/server/endpoint.js');
  const { watchBlog } = await import('../../site/server/rebuild.js');
  const { createNotifier } = await import('../../site/server/notify.js');
  const { openUserConfig } = await import('../../api/user.js');
  const { threadBuilder } = await import('../../site/server/builder.js');
  const settings = await blog.settings();
  const log = (line: string) => cli.ctx.stderr.write(`${line}\n`);
  const secret = await blog.secret();
  // Every change to the blog (a comment approved elsewhere, a post edited, a git pull) rebuilds what it touches.
  // The blog's own theme runs only as the user trusted it: read afresh, so that a theme changed by a
  // git pull is refused (and logged) until trusted again with build --trust-theme.
  const trustedTheme = async () => (await openUserConfig(cli.ctx.env)).trustedTheme(blog.dir);
  const builder = threadBuilder({ blogDir: blog.dir, outDir: report.outDir, drafts: opts.drafts ?? false, env: { ...cli.ctx.env } });
  const rebuild = watchBlog({ dir: blog.dir, build: async () => builder.build(await trustedTheme()), log });
  const notifier = createNotifier({
    settings: () => blog.settings({ fresh: true }),
    userSmtp: (await openUserConfig(cli.ctx.env)).get('smtp'),
    log,
  });
  const endpointHost = settings.comments.endpoint === '' ? [] : [new URL(settings.comments.endpoint).host];
  const server = await serveSite({
    root: report.outDir,
    port: opts.port,
    host: opts.host,
    blogUrl: settings.url,
    allowHosts: [...(opts.allowHost ?? []), ...endpointHost],
    trustProxy,
    log,
    extend: (app, site) => registerEndpoint(app, site, { blog, secret, rebuild, log, notifier, trustedTheme }),
  }).catch(async (error: unknown) => {
    await rebuild.close();
    await builder.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${opts.port} is in use: pass --port <n> (or 0 for any free port).`);
    if (code === 'EADDRNOTAVAIL')
      throw new UsageError(`This machine has no address ${opts.host}: pass --host 127.0.0.1 or another of its addresses.`);
    throw error;
  });
  // A signal that comes before any listener exists ends the process outright, so the listeners
  // are in place before the address is printed, and stay until the requests in flight are done.
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    stop = () => {
      if (stopping) return;
      stopping = true;
      out.info('Stopping: finishing the requests in flight.');
      server
        .close()
        .then(async () => {
          await Promise.all([rebuild.close().then(() => builder.close()), notifier.close()]);
        })
        .then(resolve, resolve);
    };
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  out.result(`Serving ${report.outDir} at ${server.url} (Ctrl-C to stop)`);
  const syncing = syncMs === undefined ? undefined : await startSync(cli, blog, syncMs, rebuild, log);
  if (opts.host !== '127.0.0.1' && opts.host !== '::1' && opts.host !== 'localhost') {
    out.info(`Listening on ${opts.host}: other machines can reach this server; it answers only the blog's host and --allow-host names.`);
  }
  try {
    await stopped;
  } finally {
    await syncing?.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** serve --sync: the blog synced through git now and every interval, for as long as the server runs. */
async function startSync(cli: Cli, blog: Blog, everyMs: number, rebuild: Rebuilder, log: (line: string) => void) {
  const { syncBlog } = await import('../../api/sync.js');
  const { syncEvery } = await import('../../site/server/sync-loop.js');
  outputFor(cli).info(`Syncing the blog through git every ${everyMs / 1000}s.`);
  return syncEvery({ everyMs, sync: () => syncBlog(blog, { env: cli.ctx.env }), rebuild, log });
}

/** --sync's interval: a number of seconds, or with a unit (30s, 5m, 1h); at least 5 seconds. */
function parseInterval(text: string, problems: string[]): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'] : NaN;
  if (!(ms >= 5000)) {
    problems.push(`--sync takes an interval of at least 5 seconds, such as 60s, 5m or 1h, not "${text}"`);
    return undefined;
  }
  return ms;
}

/** --trust-proxy: bare is the one proxy in front; a number counts hops; anything else lists the proxies' addresses. */
function parseTrustProxy(value: string | true | undefined, problems: string[]): boolean | number | string | undefined {
  if (value === undefined) return undefined;
  if (value === true) return 1;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const list = splitList(text);
  const bad = list.filter((part) => !isIP(part.split('/')[0] ?? '') && !['loopback', 'linklocal', 'uniquelocal'].includes(part));
  if (list.length === 0 || bad.length > 0) {
    problems.push(`--trust-proxy takes a hop count or the proxies' addresses (e.g. 127.0.0.1 or 10.0.0.0/8), not "${value}"`);
    return undefined;
  }
  return list.join(',');
}
