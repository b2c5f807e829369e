import { CommanderError } from 'commander';
import { EXIT, PartialFailureError, TermpressError, exitCodeOf } from '../core/errors.js';
import { processContext } from './context.js';
import type { CliContext } from './context.js';
import { Output } from './output.js';
import { createProgram } from './program.js';

/** Runs termpress with these arguments and returns the exit code; only the bin calls process.exit. */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const debug = argv.includes('--debug');
  const colorFlag = !argv.includes('--no-color');
  // Errors are printed by the same writer as everything else, so a file name or a title in a message is cleaned too.
  const out = new Output(ctx, { color: colorFlag, quiet: false });
  try {
    const program = await createProgram(ctx, argv);
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error it already printed.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const code = exitCodeOf(error);
    if (error instanceof PartialFailureError) return code;
    const message = error instanceof Error ? error.message : String(error);
    const text = error instanceof TermpressError ? message : `unexpected failure: ${message} (run again with --debug for details)`;
    out.error(text.replace(/[\r\n]+/g, ' '));
    if (debug && error instanceof Error && error.stack) out.info(error.stack);
    return code;
  }
}
