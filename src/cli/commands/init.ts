/** `termpress init`: its options; the action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import type { OptionsOf } from '../options.js';

/** `termpress init [dir]`: a new blog folder. */
export function initCommand(cli: Cli) {
  return declareInit().action(async (dir, opts) => (await import('../actions/init.js')).init(cli, dir, opts));
}

function declareInit() {
  return new Command('init')
    .description('create a blog in a folder (default: the current one)')
    .argument('[dir]', 'the folder to create the blog in')
    .option('--title <text>', 'the blog title')
    .option('--description <text>', 'a one-line description')
    .option('--url <url>', 'the address the site will be served at, e.g. https://example.com/')
    .option('--author <name>', 'the default author of new posts')
    .option('--timezone <zone>', 'the IANA timezone dates are shown and typed in, e.g. Europe/Paris')
    .option('--language <code>', 'the language code, e.g. en')
    .option(
      '--templates',
      "copy termpress's post templates and site theme into the blog's templates/ folder for customising (in an existing blog: only that)",
    );
}
export type InitOptions = OptionsOf<ReturnType<typeof declareInit>>;
