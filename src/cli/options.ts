import type { Command, OptionValues } from '@commander-js/extra-typings';
import { SINCE, UNTIL, requireHumanDate } from '../core/dates.js';
import { LIST_FORMATS, SHOW_FORMATS, parseFields, parseFormat } from './output.js';
import type { ListFormat, ShowFormat } from './output.js';

// Options that several commands share, declared once so that their names, defaults and help agree.

/** Collects a usage problem instead of throwing it (see problemCollector in shared.ts). */
type Attempt = <T>(fn: () => T | Promise<T>) => Promise<T | undefined>;

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

/** The checked --format of a list command, a problem collected rather than thrown. */
export function listFormatOf(opts: { format: string; json?: true | undefined }, attempt: Attempt): Promise<ListFormat | undefined> {
  return attempt(() => parseFormat(opts.json ? 'json' : opts.format, LIST_FORMATS));
}

/** The checked --fields of a list command, a problem collected rather than thrown. */
export async function listFieldsOf(
  opts: { fields?: string | undefined },
  fields: readonly string[],
  attempt: Attempt,
): Promise<string[] | undefined> {
  return opts.fields !== undefined ? attempt(() => parseFields(opts.fields!, fields)) : undefined;
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

/** The window of --since and --until in the blog's timezone: a bare day counts whole. */
export async function dateWindowOf(
  opts: { since?: string | undefined; until?: string | undefined },
  now: Date,
  timezone: string,
  attempt: Attempt,
): Promise<{ since: Date | undefined; until: Date | undefined }> {
  return {
    since: opts.since !== undefined ? await attempt(() => requireHumanDate(opts.since!, now, timezone, '--since', SINCE)) : undefined,
    until: opts.until !== undefined ? await attempt(() => requireHumanDate(opts.until!, now, timezone, '--until', UNTIL)) : undefined,
  };
}
