import path from 'node:path';
import { displayPath } from '../../api/blog.js';
import { NotFoundError } from '../../core/errors.js';
import type { GitSetupOptions } from '../commands/git.js';
import type { Cli } from '../context.js';
import { blogFor, outputFor } from '../shared.js';

/** `git setup`: the blog's ignore and attributes files written, and termpress's merge driver registered in its repository. */
export async function gitSetup(cli: Cli, opts: GitSetupOptions): Promise<void> {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  if (!(await blog.exists()))
    throw new NotFoundError(`No blog at ${displayPath(blog.dir, cli.ctx.cwd)}: run termpress init there first, or pass --blog <dir>.`);
  await blog.settings();
  const { setupGit } = await import('../../api/git.js');
  const report = await setupGit(blog, { trackSite: opts.trackSite, init: opts.init, env: cli.ctx.env });
  const shown = (file: string) => displayPath(file, cli.ctx.cwd);
  if (report.initialised && report.repository) out.result(`Created a git repository in ${shown(report.repository)}`);
  for (const file of report.written) out.result(`Wrote ${shown(file)}`);
  if (report.repository === null) {
    out.info('The blog is not in a git repository: run git init (or termpress git setup without --no-init) to register the merge driver.');
    return;
  }
  if (report.registered)
    out.result(`Registered the merge driver in ${shown(path.join(report.repository, '.git', 'config'))}: ${report.driver}`);
  if (!report.registered && report.written.length === 0) out.result('Already set up: nothing to change.');
  out.info('Commit .gitignore and .gitattributes; every clone runs termpress git setup once (git does not copy its configuration).');
}
