/** `termpress git ...` and `termpress merge-file`: their commands and options; each action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import type { OptionsOf } from '../options.js';

/** `termpress git setup`: makes a blog folder ready to be shared through git. */
export function gitCommand(cli: Cli) {
  const git = new Command('git').description('share the blog through git: termpress merges its files');
  git.addCommand(declareSetup().action(async (opts) => (await import('../actions/git-setup.js')).gitSetup(cli, opts)));
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
    .action(async (base, ours, theirs, file) =>
      (await import('../actions/merge-file.js')).mergeFile(cli, { base, ours, theirs, path: file }),
    );
}

function declareSetup() {
  return new Command('setup')
    .description("ignore the private files and the built site, and register termpress's merge driver for the blog's JSON files")
    .option('--track-site', 'keep the built site (public/) in git too')
    .option('--no-init', 'do not create a repository when the blog is not in one');
}
export type GitSetupOptions = OptionsOf<ReturnType<typeof declareSetup>>;
