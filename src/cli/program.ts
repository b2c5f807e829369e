import { Command, Option } from '@commander-js/extra-typings';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { Cli, CliContext } from './context.js';
import { forTerminal } from './output.js';
import { VERSION } from './version.js';

type CommandMaker = (cli: Cli) => CommandUnknownOpts;

/**
 * The top-level commands in the order help lists them, each with the module that declares it: a command
 * line loads only the declarations of the command it names, and then only the action it runs (each
 * declaration imports its action on demand), so that `termpress post list` does not pay for the site,
 * the importer, the server or the editor.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<CommandMaker>]> = [
  ['init', async () => (await import('./commands/init.js')).initCommand],
  ['post', async () => (await import('./commands/post.js')).postCommand],
  ['page', async () => (await import('./commands/post.js')).pageCommand],
  ['category', async () => (await import('./commands/taxonomy.js')).categoryCommand],
  ['tag', async () => (await import('./commands/taxonomy.js')).tagCommand],
  ['media', async () => (await import('./commands/media.js')).mediaCommand],
  ['comment', async () => (await import('./commands/comment.js')).commentCommand],
  ['moderate', async () => (await import('./commands/moderate.js')).moderateCommand],
  ['build', async () => (await import('./commands/build.js')).buildCommand],
  ['serve', async () => (await import('./commands/build.js')).serveCommand],
  ['import', async () => (await import('./commands/transfer.js')).importCommand],
  ['export', async () => (await import('./commands/transfer.js')).exportCommand],
  ['config', async () => (await import('./commands/config.js')).configCommand],
  ['doctor', async () => (await import('./commands/doctor.js')).doctorCommand],
  ['git', async () => (await import('./commands/git.js')).gitCommand],
  ['sync', async () => (await import('./commands/sync.js')).syncCommand],
  ['merge-file', async () => (await import('./commands/git.js')).mergeFileCommand],
];

/** The root options that take a value, whose value is not a command's name. */
const VALUE_OPTIONS = new Set(['--blog']);

/**
 * The top-level commands a command line needs: the one it names; none for a bare --version; every one
 * otherwise (help lists them all, and a mistyped name is answered with the nearest ones).
 */
export function commandsFor(argv: readonly string[]): string[] {
  const all = COMMANDS.map(([name]) => name);
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    if (VALUE_OPTIONS.has(word)) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return all.includes(word) ? [word] : all;
  }
  const version = words.some((word) => word === '-V' || word === '--version');
  const help = words.some((word) => word === '-h' || word === '--help');
  return version && !help ? [] : all;
}

/**
 * The root command with its global options, and the commands a command line needs registered on it
 * (every one when no command line is given).
 */
export async function createProgram(ctx: CliContext, argv?: readonly string[]) {
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
  const wanted = new Set(argv === undefined ? COMMANDS.map(([name]) => name) : commandsFor(argv));
  // One after another: the modules share most of what they import.
  for (const [name, load] of COMMANDS) if (wanted.has(name)) program.addCommand((await load())(cli));
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
