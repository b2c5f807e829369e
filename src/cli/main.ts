import { CommanderError } from 'commander';
import { EXIT, PartialFailureError, TermpressError } from '../core/errors.js';
import { stripControl } from '../core/text.js';
import { colorsFor } from './colors.js';
import { processContext } from './context.js';
import type { CliContext } from './context.js';
import { createProgram } from './program.js';

/** Runs termpress with these arguments and returns the exit code; only the bin calls process.exit. */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const debug = argv.includes('--debug');
  const colorFlag = !argv.includes('--no-color');
  const red = colorsFor(ctx.stderr, ctx.env, colorFlag).red;
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error it already printed.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const code = error instanceof TermpressError ? error.exitCode : EXIT.internal;
    if (error instanceof PartialFailureError) return code;
    const message = error instanceof Error ? error.message : String(error);
    const text = error instanceof TermpressError ? message : `unexpected failure: ${message} (run again with --debug for details)`;
    ctx.stderr.write(`${red('error:')} ${stripControl(text).replace(/\n+/g, ' ')}\n`);
    if (debug && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return code;
  }
}
