import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { toJson } from '../output.js';
import { showFormatOf, withShowFormat } from '../options.js';
import { progressLine } from '../progress.js';
import { blogFor, outputFor, parseCount } from '../shared.js';
import { UsageError } from '../../core/errors.js';

/** `termpress build`: the static website with its feeds. */
export function buildCommand(cli: Cli) {
  const command = withBuildOptions(new Command('build')).description(
    'write the blog as a static website with RSS, Atom and JSON feeds (default: into public/)',
  );
  return withShowFormat(command)
    .action(async (opts) => {
      const out = outputFor(cli);
      const format = showFormatOf(opts);
      const report = await build(cli, opts);
      if (format === 'json') {
        out.result(toJson(report));
        return;
      }
      out.result(
        `Built ${report.postsShown} post${report.postsShown === 1 ? '' : 's'} into ${report.outDir}: ` +
          `${report.pagesWritten} written, ${report.pagesUnchanged} unchanged, ${report.filesRemoved} removed`,
      );
      out.info(`Open ${path.join(report.outDir, 'index.html')} in a browser.`);
    });
}

function withBuildOptions(command: Command) {
  return command
    .option('--out <dir>', 'the folder to write the site into')
    .option('--drafts', 'also show drafts, pending and future posts, marked as such (a preview)')
    .option('--clean', 'render every page afresh instead of only what changed');
}

/** Builds the blog's site as the options say, with a progress line on a terminal. */
async function build(cli: Cli, opts: { out?: string; drafts?: true; clean?: true }) {
  const blog = await blogFor(cli);
  const { buildBlog } = await import('../../site/blog.js');
  const progress = progressLine(cli.ctx, 'Building');
  const outDir = opts.out !== undefined ? path.resolve(cli.ctx.cwd, opts.out) : undefined;
  const report = await buildBlog(blog, { ...opts, outDir, onProgress: (done, total) => progress.update(done, total) });
  progress.done();
  return report;
}

/** `termpress serve`: builds, then serves the site on this machine for a look before publishing. */
export function serveCommand(cli: Cli) {
  return withBuildOptions(new Command('serve'))
    .description('build the site, then serve it at http://127.0.0.1:<port>/ until Ctrl-C')
    .option('--port <n>', 'the port to listen on (0: any free port)', parseCount('--port'), 4000)
    .action(async (opts) => {
      const out = outputFor(cli);
      const report = await build(cli, opts);
      const { serveSite } = await import('../../site/serve.js');
      const server = await serveSite({ root: report.outDir, port: opts.port }).catch((error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`Port ${opts.port} is in use: pass --port <n> (or 0 for any free port).`);
        throw error;
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      out.result(`Serving ${report.outDir} at http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
