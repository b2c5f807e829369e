import { CancelledError, UsageError } from '../core/errors.js';
import type { CliContext, GlobalOptions } from './context.js';

/** Whether a command may ask the person: both ends are terminals, and neither --no-input nor CI says no. */
export function canPrompt(ctx: CliContext, options: Pick<GlobalOptions, 'input'>): boolean {
  const ci = ctx.env.CI;
  return Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY) && options.input && !(ci && ci !== 'false' && ci !== '0');
}

/** The usage error for a value that was not given and cannot be asked for. */
export function missingValue(what: string, flag: string): UsageError {
  return new UsageError(`Missing ${what}: pass ${flag} (no terminal to ask on).`);
}

// Inquirer signals Ctrl-C with an ExitPromptError; it becomes the clean cancel of the contract.
function asCancel(error: unknown): never {
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    throw new CancelledError();
  }
  throw error;
}

/** Asks for a line of text; the answer must not be empty when required. */
export async function askText(ctx: CliContext, message: string, options: { required?: boolean; default?: string } = {}): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  try {
    return await input(
      {
        message,
        ...(options.default !== undefined ? { default: options.default } : {}),
        ...(options.required ? { validate: (value: string) => (value.trim() ? true : 'Please type something.') } : {}),
      },
      { input: ctx.stdin, output: ctx.stdout },
    );
  } catch (error) {
    return asCancel(error);
  }
}

/** Asks yes or no; a "no" cancels with exit 130. */
export async function confirmOrCancel(ctx: CliContext, message: string): Promise<void> {
  const { confirm } = await import('@inquirer/prompts');
  let yes: boolean;
  try {
    yes = await confirm({ message, default: false }, { input: ctx.stdin, output: ctx.stdout });
  } catch (error) {
    return asCancel(error);
  }
  if (!yes) throw new CancelledError();
}
