import { Command, Option } from '@commander-js/extra-typings';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { Cli, CliContext } from './context.js';
import { forTerminal } from './output.js';
import { commentCommand } from './commands/comment.js';
import { buildCommand, serveCommand } from './commands/build.js';
import { configCommand } from './commands/config.js';
import { doctorCommand } from './commands/doctor.js';
import { gitCommand, mergeFileCommand } from './commands/git.js';
import { syncCommand } from './commands/sync.js';
import { initCommand } from './commands/init.js';
import { moderateCommand } from './commands/moderate.js';
import { pageCommand, postCommand } from './commands/post.js';
import { categoryCommand, tagCommand } from './commands/taxonomy.js';
import { mediaCommand } from './commands/media.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { VERSION } from './version.js';

/** The root command with its global options; every command group registers itself on it. */
export function createProgram(ctx: CliContext) {
  const program = new Command()
    .name('termpress')
    .description('Draft, publish and moderate a blog from the terminal; the blog is a folder of JSON files.')
    .version(VERSION, '-V, --version')
    .option('--blog <dir>', 'the blog folder (default: $TERMPRESS_BLOG, the nearest termpress.json upward, or your default blog)')
    .option('--no-color', 'no colour in the output (also NO_COLOR)')
    .option('--no-input', 'never prompt; fail with exit 2 naming the missing flag instead')
    .option('-q, --quiet', 'no messages on stderr, only results and errors')
    .addOption(new Option('--debug', 'show the stack trace of an error'))
    .showSuggestionAfterError()
    .exitOverride()
    // Commander echoes what was typed ("unknown option '...'"), so its output is cleaned like every other.
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(forTerminal(text, false)),
      writeErr: (text) => ctx.stderr.write(forTerminal(text, false)),
    });
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 refused by a rule, 5 storage failure, 130 cancelled.',
  );
  const cli: Cli = { ctx, globals: () => program.opts() };
  for (const make of [initCommand, postCommand, pageCommand, categoryCommand, tagCommand, mediaCommand, commentCommand, moderateCommand, buildCommand, serveCommand, importCommand, exportCommand, configCommand, doctorCommand, gitCommand, syncCommand, mergeFileCommand]) program.addCommand(make(cli));
  inheritSettings(program);
  return program;
}

/** Commands made apart and then added do not inherit the root's settings, so they are copied down. */
function inheritSettings(parent: CommandUnknownOpts): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}
