import { CancelledError, UsageError } from '../core/errors.js';
import { splitList } from '../core/lists.js';
import { oneLine } from '../core/text.js';
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

/** A check of a typed answer: true, or the message that asks again. */
export type Validate = (value: string) => true | string | Promise<true | string>;

/** One entry of a choice. */
export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
}

/**
 * The questions a command may ask. Commands ask through this and never import inquirer, so the answers
 * can come from a script in tests (a context carrying its own prompter) and the library can be swapped.
 * Ctrl-C at any question rejects with CancelledError.
 */
export interface Prompter {
  /** A line of text; an invalid answer is asked again with the validator's message. */
  text(message: string, options?: { default?: string; validate?: Validate }): Promise<string>;
  /** One of the choices. */
  select<T>(message: string, choices: ReadonlyArray<Choice<T>>, options?: { default?: T }): Promise<T>;
  /** Any number of the choices (space toggles, Enter accepts). */
  checkbox<T>(message: string, choices: ReadonlyArray<Choice<T> & { checked?: boolean }>): Promise<T[]>;
  /** Yes or no. */
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/** A context that brings its own prompter (tests drive prompt flows in-process this way). */
export interface PromptingContext extends CliContext {
  prompter?: Prompter;
}

/** The prompter for this context: its own when it carries one, else inquirer on its streams. */
export function prompterFor(ctx: CliContext): Prompter {
  return (ctx as PromptingContext).prompter ?? inquirerPrompter(ctx);
}

// Inquirer signals Ctrl-C with an ExitPromptError; it becomes the clean cancel of the contract.
function asCancel(error: unknown): never {
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    throw new CancelledError();
  }
  throw error;
}

/** A question's text for the terminal: one line, no control characters (names of categories and tags are data). */
function shown<C extends { name: string; description?: string }>(choice: C): C {
  return {
    ...choice,
    name: oneLine(choice.name),
    ...(choice.description !== undefined ? { description: oneLine(choice.description) } : {}),
  };
}

/** A validator whose messages (which may quote what was typed) are cleaned like every other text. */
function cleanValidate(validate: Validate): Validate {
  return async (value) => {
    const verdict = await validate(value);
    return verdict === true ? true : oneLine(verdict);
  };
}

/** Questions asked with inquirer on the context's terminal; every text shown is cleaned of control characters first. */
export function inquirerPrompter(ctx: CliContext): Prompter {
  const streams = { input: ctx.stdin, output: ctx.stdout };
  const ask = async <T>(question: (prompts: typeof import('@inquirer/prompts')) => Promise<T>): Promise<T> => {
    // Inquirer is imported only when a question is asked, so that commands that never ask start fast.
    const prompts = await import('@inquirer/prompts');
    try {
      return await question(prompts);
    } catch (error) {
      return asCancel(error);
    }
  };
  return {
    text: (message, options = {}) =>
      ask(({ input }) =>
        input(
          {
            message: oneLine(message),
            ...(options.default !== undefined ? { default: oneLine(options.default) } : {}),
            ...(options.validate ? { validate: cleanValidate(options.validate) } : {}),
          },
          streams,
        ),
      ),
    select: (message, choices, options = {}) =>
      ask(({ select }) =>
        select(
          {
            message: oneLine(message),
            choices: choices.map(shown),
            ...(options.default !== undefined ? { default: options.default } : {}),
          },
          streams,
        ),
      ),
    checkbox: (message, choices) => ask(({ checkbox }) => checkbox({ message: oneLine(message), choices: choices.map(shown) }, streams)),
    confirm: (message, options = {}) =>
      ask(({ confirm }) => confirm({ message: oneLine(message), default: options.default ?? false }, streams)),
  };
}

const requireText: Validate = (value) => (value.trim() ? true : 'Please type something.');

/** Asks for a line of text; the answer must not be empty when required. */
export async function askText(ctx: CliContext, message: string, options: { required?: boolean; default?: string } = {}): Promise<string> {
  return prompterFor(ctx).text(message, {
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.required ? { validate: requireText } : {}),
  });
}

/** Asks yes or no; a "no" cancels with exit 130. */
export async function confirmOrCancel(ctx: CliContext, message: string): Promise<void> {
  if (!(await prompterFor(ctx).confirm(message, { default: false }))) throw new CancelledError();
}

// A name typed the way an existing one is spelled differently ("javascript" for "JavaScript") takes the
// existing spelling, so that one tag does not become two.
function existingSpelling(names: string[], known: readonly string[]): string[] {
  const byKey = new Map(known.map((k) => [k.toLowerCase(), k]));
  return names.map((n) => byKey.get(n.toLowerCase()) ?? n);
}

const NEW_ENTRY = Symbol('new');

/**
 * Asks for a post's categories: the blog's existing ones to tick (the template's defaults ticked), and
 * new ones typed as a comma list. Enter through both keeps the defaults.
 */
export async function askCategories(ctx: CliContext, existing: readonly string[], defaults: readonly string[] = []): Promise<string[]> {
  const prompter = prompterFor(ctx);
  const known = [...existing, ...defaults.filter((d) => !existing.some((e) => e.toLowerCase() === d.toLowerCase()))];
  if (known.length === 0) {
    return splitList(await prompter.text('Categories (comma list, Enter for none)', { default: '' }));
  }
  const checkedKeys = new Set(defaults.map((d) => d.toLowerCase()));
  const picked = await prompter.checkbox<string | typeof NEW_ENTRY>('Categories (space to tick, Enter to accept)', [
    ...known.map((name) => ({ value: name, name, checked: checkedKeys.has(name.toLowerCase()) })),
    { value: NEW_ENTRY, name: 'New categories…' },
  ]);
  const chosen = picked.filter((p): p is string => typeof p === 'string');
  if (!picked.includes(NEW_ENTRY)) return chosen;
  const typed = splitList(await prompter.text('New categories (comma list)', { default: '' }));
  return [...chosen, ...existingSpelling(typed, known)];
}

/** Asks for tags as a comma list, offering the blog's existing ones in the question; defaults prefilled. */
export async function askTags(ctx: CliContext, existing: readonly string[], defaults: readonly string[] = []): Promise<string[]> {
  const shown = existing.slice(0, 12);
  const hint = shown.length ? `; in use: ${shown.join(', ')}${existing.length > shown.length ? ', …' : ''}` : '';
  const answer = await prompterFor(ctx).text(`Tags (comma list${hint})`, { default: defaults.join(', ') });
  return existingSpelling(splitList(answer), existing);
}

/** What to do with a new post once it is written. */
export type NextStep = 'draft' | 'publish' | 'schedule' | 'discard';

/** Asks what to do with the new post; Enter saves a draft. */
export async function askNextStep(ctx: CliContext): Promise<NextStep> {
  return prompterFor(ctx).select<NextStep>(
    'What next?',
    [
      { value: 'draft', name: 'Save draft' },
      { value: 'publish', name: 'Publish now' },
      { value: 'schedule', name: 'Schedule…' },
      { value: 'discard', name: 'Discard' },
    ],
    { default: 'draft' },
  );
}

/**
 * Asks for a date until one reads (ISO 8601 or words like "tomorrow 9am") and passes the check, which
 * returns the message that asks again; returns the date read.
 */
export async function askDate(
  ctx: CliContext,
  message: string,
  read: (text: string) => Promise<Date | null>,
  check: (date: Date) => true | string = () => true,
  defaultText?: string,
): Promise<Date> {
  let result = null as Date | null;
  await prompterFor(ctx).text(message, {
    ...(defaultText !== undefined ? { default: defaultText } : {}),
    validate: async (text) => {
      const date = await read(text);
      if (!date) return `Cannot read "${text}" as a date: use 2026-12-01 09:00 or words like "tomorrow 9am".`;
      const verdict = check(date);
      if (verdict !== true) return verdict;
      result = date;
      return true;
    },
  });
  // The validator has run on the accepted answer, so result holds its date.
  return result!;
}
