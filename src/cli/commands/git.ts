import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { NotFoundError, RefusedError } from '../../core/errors.js';
import { displayPath } from '../../api/blog.js';
import type { Cli } from '../context.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress git setup`: makes a blog folder ready to be shared through git. */
export function gitCommand(cli: Cli) {
  const git = new Command('git').description('share the blog through git: termpress merges its files');
  git
    .command('setup')
    .description("ignore the private files and the built site, and register termpress's merge driver for the blog's JSON files")
    .option('--track-site', 'keep the built site (public/) in git too')
    .option('--no-init', 'do not create a repository when the blog is not in one')
    .action(async (opts) => {
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
        out.info(
          'The blog is not in a git repository: run git init (or termpress git setup without --no-init) to register the merge driver.',
        );
        return;
      }
      if (report.registered)
        out.result(`Registered the merge driver in ${shown(path.join(report.repository, '.git', 'config'))}: ${report.driver}`);
      if (!report.registered && report.written.length === 0) out.result('Already set up: nothing to change.');
      out.info('Commit .gitignore and .gitattributes; every clone runs termpress git setup once (git does not copy its configuration).');
    });
  return git;
}

/** `termpress merge-file`: git's merge driver for the blog's files (git runs it; people rarely do). */
export function mergeFileCommand(cli: Cli) {
  return new Command('merge-file')
    .description("git's merge driver: merge one post, settings or likes file field by field (registered by termpress git setup)")
    .argument('<base>', "the common ancestor's version (%O)")
    .argument('<ours>', 'this side, where the result is written (%A)')
    .argument('<theirs>', "the other side's version (%B)")
    .argument('<path>', "the file's path in the repository (%P)")
    .action(async (base, ours, theirs, file) => {
      const out = outputFor(cli);
      const { runMergeDriver } = await import('../../api/git.js');
      const at = (name: string) => path.resolve(cli.ctx.cwd, name);
      const merged = await runMergeDriver({ base: at(base), ours: at(ours), theirs: at(theirs), path: file });
      for (const note of merged.notes) out.info(`termpress: ${file}: ${note}`);
      if (merged.conflicts.length === 0) return;
      const fields = merged.conflicts.map((c) => c.field).join(', ');
      const resolve = merged.kind === 'post' ? `termpress post resolve ${path.basename(file, '.json')}` : 'termpress config resolve';
      throw new RefusedError(
        `${file}: ${fields} changed on both sides; the file keeps this side's and records the other's (valid JSON). ${resolve} ends the conflict.`,
      );
    });
}
