import path from 'node:path';
import type { BuildOptions } from '../commands/build.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { progressLine } from '../progress.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress build`: the site written, and what the build did said as talk (or its report in JSON). */
export async function build(cli: Cli, opts: BuildOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const report = await buildSite(cli, opts);
  if (format === 'json') {
    out.result(toJson(report));
    return;
  }
  // What a build did is talk, not a result: a cron job's `build -q` prints nothing.
  out.info(
    `Built ${report.postsShown} post${report.postsShown === 1 ? '' : 's'} into ${report.outDir}: ` +
      `${report.pagesWritten} written, ${report.pagesUnchanged} unchanged, ${report.filesRemoved} removed`,
  );
  // Said when the redirects are written, not on every build after.
  if (report.redirectsWritten > 0) {
    const posts = `${report.postsMoved} post${report.postsMoved === 1 ? '' : 's'}`;
    const redirects = `${report.redirectsWritten} redirect${report.redirectsWritten === 1 ? '' : 's'}`;
    out.info(`${posts} moved with the permalink pattern: ${redirects} written from the old addresses to the new.`);
  }
  out.info(`Open ${path.join(report.outDir, 'index.html')} in a browser.`);
}

/** Builds the blog's site as the options say, with a progress line on a terminal. */
export async function buildSite(cli: Cli, opts: { out?: string; drafts?: true; clean?: true; trustTheme?: true }) {
  const blog = await blogFor(cli);
  const { buildBlog } = await import('../../site/blog.js');
  // The user's settings are opened only for a blog with a theme of its own (loading them costs more than an unchanged build).
  const user = async () => (await import('../../api/user.js')).openUserConfig(cli.ctx.env);
  const progress = progressLine(cli.ctx, 'Building');
  const outDir = opts.out !== undefined ? path.resolve(cli.ctx.cwd, opts.out) : undefined;
  const trustTheme = opts.trustTheme ?? (async () => (await user()).trustedTheme(blog.dir));
  const report = await buildBlog(blog, {
    drafts: opts.drafts,
    clean: opts.clean,
    outDir,
    trustTheme,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  if (opts.trustTheme && report.themeCode) (await user()).trustTheme(blog.dir, report.themeCode.digest);
  return report;
}
