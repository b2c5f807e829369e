import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { readAllPosts } from '../../api/transfer.js';
import type { Cli } from '../context.js';
import { SHOW_FORMATS, parseFormat } from '../output.js';
import { progressLine } from '../progress.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress build`: the static website with its feeds. */
export function buildCommand(cli: Cli) {
  return new Command('build')
    .description('write the blog as a static website with RSS, Atom and JSON feeds (default: into public/)')
    .option('--out <dir>', 'the folder to write the site into')
    .option('--drafts', 'also show drafts, pending and future posts, marked as such (a preview)')
    .option('--clean', 'render every page afresh instead of only what changed')
    .option('--format <format>', `report format: ${SHOW_FORMATS.join(', ')}`, 'text')
    .option('--json', 'short for --format json')
    .action(async (opts) => {
      const out = outputFor(cli);
      const format = parseFormat(opts.json ? 'json' : opts.format, SHOW_FORMATS);
      const blog = await blogFor(cli);
      const settings = await blog.settings();
      const outDir = opts.out !== undefined ? path.resolve(cli.ctx.cwd, opts.out) : blog.store.layout.publicDir;
      const posts = await readAllPosts(blog);
      const { buildSite } = await import('../../site/build.js');
      const progress = progressLine(cli.ctx, 'Building');
      const report = await buildSite({
        settings,
        posts,
        blogDir: blog.dir,
        outDir,
        now: blog.now(),
        drafts: opts.drafts,
        clean: opts.clean,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.done();
      if (format === 'json') {
        out.result(JSON.stringify(report, null, 2));
        return;
      }
      out.result(
        `Built ${report.postsShown} post${report.postsShown === 1 ? '' : 's'} into ${report.outDir}: ` +
          `${report.pagesWritten} written, ${report.pagesUnchanged} unchanged, ${report.filesRemoved} removed`,
      );
      out.info(`Open ${path.join(report.outDir, 'index.html')} in a browser.`);
    });
}
