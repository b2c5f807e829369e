import type { Command, OptionValues } from '@commander-js/extra-typings';
import { SINCE, UNTIL, requireHumanDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { splitList } from '../core/lists.js';
import type { ConflictSide } from '../core/merge.js';
import { LIST_FORMATS, SHOW_FORMATS, parseFields, parseFormat } from './output.js';
import type { ListFormat, ShowFormat } from './output.js';

// Options that several commands share, declared once so that their names, defaults and help agree, and
// the checks of what they were given, which report every problem of a command line at once.

/** The options a declared command parses into: what its action is given, derived from the declaration. */
export type OptionsOf<C extends { opts(): OptionValues }> = ReturnType<C['opts']>;

/** Collects values of a repeatable flag that also takes comma lists: --tag a --tag b,c. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...splitList(value)];
}

/** Reads a whole number flag, naming it when the value is not one. */
export function parseCount(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number of at least ${min}, not "${value}".`);
    return n;
  };
}

/** Collects a usage problem instead of throwing it (see problemCollector). */
export type Attempt = <T>(fn: () => T | Promise<T>) => Promise<T | undefined>;

/** Collects UsageErrors of option checks so that every problem is reported at once. */
export function problemCollector() {
  const problems: string[] = [];
  const attempt: Attempt = async (fn) => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message.replace(/\.$/, ''));
      return undefined;
    }
  };
  return { problems, attempt };
}

/** Throws every problem found while checking a command's options at once, one per clause. */
export function reportProblems(problems: string[]): void {
  if (problems.length) throw new UsageError(problems.join('; '));
}

/** --format text|json and --json, for show-like commands and reports. */
export function withShowFormat<A extends unknown[], O extends OptionValues, G extends OptionValues>(command: Command<A, O, G>) {
  return command
    .option('--format <format>', `output format: ${SHOW_FORMATS.join(', ')}`, 'text')
    .option('--json', 'short for --format json');
}

/** The checked format of a show-like command. */
export function showFormatOf(opts: { format: string; json?: true | undefined }): ShowFormat {
  return parseFormat(opts.json ? 'json' : opts.format, SHOW_FORMATS);
}

/** --format, --json and --fields of the list commands. */
export function withListFormat<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  fields: readonly string[],
) {
  return command
    .option('--format <format>', `output format: ${LIST_FORMATS.join(', ')}`, 'table')
    .option('--json', 'short for --format json')
    .option('--fields <list>', `the fields to show, a comma list of: ${fields.join(', ')}`);
}

/** What withListFormat declares, as a list command is given it. */
export interface ListFormatOptions {
  format: string;
  json?: true | undefined;
  fields?: string | undefined;
}

/** A list command's checked --format and --fields. */
export interface ListShape {
  format: ListFormat;
  fields: string[] | undefined;
}

/**
 * Checks a list command's --format, then its own options (own, which collects its problems through
 * attempt), then --fields, and throws every problem at once, in that order.
 */
export async function checkListOptions<T extends object>(
  opts: ListFormatOptions,
  fields: readonly string[],
  own: (attempt: Attempt) => Promise<T>,
): Promise<ListShape & T> {
  const { problems, attempt } = problemCollector();
  const format = await attempt(() => parseFormat(opts.json ? 'json' : opts.format, LIST_FORMATS));
  const checked = await own(attempt);
  const chosen = opts.fields !== undefined ? await attempt(() => parseFields(opts.fields!, fields)) : undefined;
  reportProblems(problems);
  // With no problem reported, every attempt gave its value.
  return { ...checked, format: format!, fields: chosen };
}

/** --since and --until of the list commands. */
export function withDateWindow<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  things: string,
) {
  return command
    .option('--since <date>', `only ${things} dated at or after this date ("last monday", ISO 8601)`)
    .option('--until <date>', `only ${things} dated at or before this date`);
}

/** What withDateWindow declares, as a list command is given it. */
export interface DateWindowOptions {
  since?: string | undefined;
  until?: string | undefined;
}

/** The window of --since and --until in the blog's timezone: a bare day counts whole. */
export async function dateWindowOf(
  opts: DateWindowOptions,
  now: Date,
  timezone: string,
  attempt: Attempt,
): Promise<{ since: Date | undefined; until: Date | undefined }> {
  return {
    since: opts.since !== undefined ? await attempt(() => requireHumanDate(opts.since!, now, timezone, '--since', SINCE)) : undefined,
    until: opts.until !== undefined ? await attempt(() => requireHumanDate(opts.until!, now, timezone, '--until', UNTIL)) : undefined,
  };
}

/** The side --ours or --theirs chooses in the resolve commands, if either was given. */
export function sideOf(opts: { ours?: true | undefined; theirs?: true | undefined }): ConflictSide | undefined {
  return opts.ours ? 'ours' : opts.theirs ? 'theirs' : undefined;
}
