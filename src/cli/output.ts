import type { ChalkInstance } from 'chalk';
import { UsageError } from '../core/errors.js';
import { oneLine, stripControl, truncate } from '../core/text.js';

const MAX_CELL = 48;
import { colorsFor } from './colors.js';
import type { CliContext, GlobalOptions } from './context.js';

export const LIST_FORMATS = ['table', 'json', 'jsonl', 'csv', 'ids', 'count'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];
export const SHOW_FORMATS = ['text', 'json'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

/** A column of a table: the field it shows and how. */
export interface Column<T> {
  field: string;
  header: string;
  value: (record: T) => string;
}

/** The one writer of a command: results to stdout, talk to stderr, colour only where it belongs. */
export class Output {
  readonly color: ChalkInstance;
  readonly errColor: ChalkInstance;

  constructor(
    private readonly ctx: CliContext,
    private readonly options: Pick<GlobalOptions, 'color' | 'quiet'>,
  ) {
    this.color = colorsFor(ctx.stdout, ctx.env, options.color);
    this.errColor = colorsFor(ctx.stderr, ctx.env, options.color);
  }

  /** A result line on stdout. */
  result(text: string): void {
    this.ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A message for the person on stderr; silent under --quiet. */
  info(text: string): void {
    if (!this.options.quiet) this.ctx.stderr.write(`${text}\n`);
  }

  /** A warning on stderr, shown even under --quiet. */
  warn(text: string): void {
    this.ctx.stderr.write(`${this.errColor.yellow('warning:')} ${text}\n`);
  }

  /** An error line on stderr. */
  error(text: string): void {
    this.ctx.stderr.write(`${this.errColor.red('error:')} ${text}\n`);
  }

  /** Whether stdout is a terminal (for layout decisions such as table widths). */
  get isTerminal(): boolean {
    return Boolean(this.ctx.stdout.isTTY);
  }
}

/**
 * JSON for stdout. JSON.stringify escapes C0 controls (ESC among them) but not C1 controls or bidi
 * overrides, which some terminals still act on; those are escaped too, so that `jq` gets the same text
 * back and a terminal never sees the raw characters.
 */
export function toJson(value: unknown, options: { pretty?: boolean } = {}): string {
  const text = JSON.stringify(value, null, options.pretty === false ? undefined : 2);
  return text.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Checks --format against the allowed values. */
export function parseFormat<F extends string>(value: string, allowed: readonly F[]): F {
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`Unknown format "${value}" for --format: use ${allowed.join(', ')}.`);
}

/** Checks --fields against the fields a record has, naming the unknown ones and the valid ones. */
export function parseFields(text: string, known: readonly string[]): string[] {
  const fields = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = fields.filter((f) => !known.includes(f));
  if (unknown.length || fields.length === 0) {
    throw new UsageError(`Unknown field "${unknown.join(',') || text}" for --fields: use ${known.join(', ')}.`);
  }
  return fields;
}

function pick(record: Record<string, unknown>, fields: readonly string[] | undefined): Record<string, unknown> {
  if (!fields) return record;
  return Object.fromEntries(fields.map((f) => [f, record[f]]));
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => stripControl(String(v))).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return stripControl(String(value));
}

/** Records in a list format: JSON keeps the data's own field names; table and csv are for eyes and sheets. */
export async function renderList<T extends { id: string }>(
  records: T[],
  options: {
    format: ListFormat;
    fields?: string[] | undefined;
    columns: Column<T>[];
    /** The fields of csv output when --fields is not given. */
    csvFields: readonly string[];
    color: ChalkInstance;
  },
): Promise<string> {
  const { format, fields } = options;
  switch (format) {
    case 'count':
      return `${records.length}\n`;
    case 'ids':
      return records.map((r) => `${r.id}\n`).join('');
    case 'json':
      return `${toJson(records.map((r) => pick(r as Record<string, unknown>, fields)))}\n`;
    case 'jsonl':
      return records.map((r) => `${toJson(pick(r as Record<string, unknown>, fields), { pretty: false })}\n`).join('');
    case 'csv': {
      const { stringify } = await import('csv-stringify/sync');
      const header = fields ?? [...options.csvFields];
      const rows = records.map((r) => header.map((f) => csvCell((r as Record<string, unknown>)[f])));
      return stringify([header, ...rows]);
    }
    case 'table': {
      const columns = fields
        ? fields.map((f) => options.columns.find((c) => c.field === f) ?? { field: f, header: f, value: (r: T) => csvCell((r as Record<string, unknown>)[f]) })
        : options.columns;
      if (records.length === 0) return '';
      const { default: Table } = await import('cli-table3');
      const table = new Table({
        head: columns.map((c) => options.color.bold(c.header)),
        style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
        chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
      });
      // Cells are cut so that one long value (27 categories, say) does not push the table off the screen.
      for (const record of records) table.push(columns.map((c) => truncate(oneLine(c.value(record)), MAX_CELL)));
      return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
    }
  }
}
