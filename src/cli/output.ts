import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../core/errors.js';
import { parseChoiceList } from '../core/lists.js';
import { escapeJsonControls, oneLine, stripControl, truncate } from '../core/text.js';
import { colorLevel } from './colors.js';
import type { CliContext, GlobalOptions } from './context.js';

const MAX_CELL = 48;

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

// The styles termpress itself uses, as SGR codes to switch them on and off.
const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof STYLES;

/** Styles for text written through an Output; they take effect only where that stream shows colour. */
export type Paint = Readonly<Record<Style, (text: string) => string>>;

/*
 * Every string the writer sends to a terminal is cleaned of escape sequences and control characters, so no
 * command can forget to clean a title, a setting or an error message. The writer's own styles must survive
 * that cleaning, so painting does not write escape codes: it writes marks that hold a secret made afresh by
 * each process. Text from a file or a request cannot know the secret, so it cannot forge a mark, and the
 * writer turns only real marks into colour codes (or into nothing on a stream without colour).
 */
const SECRET = randomBytes(9).toString('base64url');
const mark = (code: number): string => `\ufdd0${SECRET}${code}\ufdd1`;
const MARKS = new RegExp(`\ufdd0${SECRET}(\\d+)\ufdd1`);

/** The painter every Output shares: marks, resolved by the writer per stream. */
export const paint: Paint = Object.fromEntries(
  Object.entries(STYLES).map(([style, [on, off]]) => [
    style,
    // A style closed inside (a bold word in a dim line) is opened again after, as chalk does.
    (text: string) => `${mark(on)}${text.replaceAll(mark(off), `${mark(off)}${mark(on)}`)}${mark(off)}`,
  ]),
) as Record<Style, (text: string) => string>;

/** Text made fit for a stream: cleaned of every control character, the writer's styles turned into colour codes or dropped. */
export function forTerminal(text: string, colors: boolean): string {
  const parts = text.split(MARKS);
  // split with a capturing group alternates text and the codes of the marks between.
  return parts.map((part, i) => (i % 2 === 0 ? stripControl(part) : colors ? `\u001b[${part}m` : '')).join('');
}

/** The one writer of a command: results to stdout, talk to stderr, colour only where it belongs, never a raw control character. */
export class Output {
  readonly color: Paint = paint;
  private readonly stdoutColors: boolean;
  private readonly stderrColors: boolean;

  constructor(
    private readonly ctx: CliContext,
    private readonly options: Pick<GlobalOptions, 'color' | 'quiet'>,
  ) {
    this.stdoutColors = colorLevel(ctx.stdout, ctx.env, options.color) > 0;
    this.stderrColors = colorLevel(ctx.stderr, ctx.env, options.color) > 0;
  }

  /** A result on stdout (a line, or lines ending in a newline). */
  result(text: string): void {
    this.ctx.stdout.write(this.forStdout(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** A message for the person on stderr; silent under --quiet. */
  info(text: string): void {
    if (!this.options.quiet) this.ctx.stderr.write(this.forStderr(`${text}\n`));
  }

  /** A warning on stderr, shown even under --quiet. */
  warn(text: string): void {
    this.ctx.stderr.write(this.forStderr(`${paint.yellow('warning:')} ${text}\n`));
  }

  /** An error line on stderr. */
  error(text: string): void {
    this.ctx.stderr.write(this.forStderr(`${paint.red('error:')} ${text}\n`));
  }

  /**
   * Where a command streams a whole document (an export): stdout itself for a pipe or a file, which get
   * every byte; for a terminal, a stream that cleans the text on its way like every other result.
   */
  resultStream(): Writable {
    const stdout = this.ctx.stdout;
    if (!stdout.isTTY) return stdout;
    const decoder = new StringDecoder('utf8');
    return new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        if (stdout.write(stripControl(text))) done();
        else stdout.once('drain', () => done());
      },
    });
  }

  /** Clears the terminal for a fresh screen (stdout must be a terminal). */
  clearScreen(): void {
    this.ctx.stdout.write('\u001b[2J\u001b[H');
  }

  /** Text as this writer would put it on stdout, for a prompt that writes it itself. */
  forStdout(text: string): string {
    return forTerminal(text, this.stdoutColors);
  }

  private forStderr(text: string): string {
    return forTerminal(text, this.stderrColors);
  }

  /** Whether stdout is a terminal (for layout decisions such as table widths). */
  get isTerminal(): boolean {
    return Boolean(this.ctx.stdout.isTTY);
  }
}

/**
 * JSON for stdout. JSON.stringify escapes C0 controls (ESC among them) but not DEL, C1 controls or bidi
 * overrides, which some terminals still act on; those are escaped too, so that `jq` gets the same text
 * back and a terminal never sees the raw characters.
 */
export function toJson(value: unknown, options: { pretty?: boolean } = {}): string {
  return escapeJsonControls(JSON.stringify(value, null, options.pretty === false ? undefined : 2));
}

/** Checks --format against the allowed values. */
export function parseFormat<F extends string>(value: string, allowed: readonly F[]): F {
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`Unknown format "${value}" for --format: use ${allowed.join(', ')}.`);
}

/** Checks --fields against the fields a record has, naming the unknown ones and the valid ones. */
export function parseFields(text: string, known: readonly string[]): string[] {
  return parseChoiceList(text, known, { flag: '--fields', noun: 'field' });
}

function pick(record: Record<string, unknown>, fields: readonly string[] | undefined): Record<string, unknown> {
  if (!fields) return record;
  return Object.fromEntries(fields.map((f) => [f, record[f]]));
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => stripControl(String(v))).join(',');
  if (isPlainObject(value))
    return Object.entries(value)
      .map(([k, v]) => `${stripControl(k)} ${cellText(v)}`)
      .join(', ');
  return stripControl(String(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A column of CSV output: a field, or one key of a field that holds an object ("commentCounts.approved"). */
interface CsvColumn {
  name: string;
  value: (record: Record<string, unknown>) => unknown;
}

/**
 * The CSV columns of the fields: a field holding an object becomes one column per key, so that no cell
 * holds JSON. Keys come from `nested` (so the header is the same with no records), else from the records.
 */
function csvColumns(
  records: readonly Record<string, unknown>[],
  fields: readonly string[],
  nested: Readonly<Record<string, readonly string[]>>,
): CsvColumn[] {
  return fields.flatMap((field): CsvColumn[] => {
    const keys = new Set(nested[field] ?? []);
    for (const record of records) {
      const value = record[field];
      if (isPlainObject(value)) for (const key of Object.keys(value)) keys.add(key);
    }
    if (keys.size === 0) return [{ name: field, value: (r) => r[field] }];
    return [...keys].map((key) => ({ name: `${field}.${key}`, value: (r) => (isPlainObject(r[field]) ? r[field][key] : undefined) }));
  });
}

// A spreadsheet reads a cell starting with one of these as a formula (or as the start of one), so a
// comment such as =HYPERLINK(...) would become live when the export is opened.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A value for a CSV cell, neutralised as OWASP recommends: text that a spreadsheet would take for a
 * formula gets a leading single quote (and is quoted, see renderList). Numbers are termpress's own
 * (revisions, counts) and cannot hold a formula, so they stay numbers.
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = cellText(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
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
    /** The keys of fields that hold an object, each a column of its own in csv output. */
    nested?: Readonly<Record<string, readonly string[]>>;
    color: Paint;
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
      const plain = records as unknown as Record<string, unknown>[];
      const columns = csvColumns(plain, fields ?? options.csvFields, options.nested ?? {});
      const rows = plain.map((r) => columns.map((c) => csvCell(c.value(r))));
      // A neutralised cell is always quoted, so that no reader takes the quote for a delimiter of its own.
      return stringify([columns.map((c) => c.name), ...rows], { quoted_match: /^'/ });
    }
    case 'table': {
      const columns = fields
        ? fields.map(
            (f) =>
              options.columns.find((c) => c.field === f) ?? {
                field: f,
                header: f,
                value: (r: T) => cellText((r as Record<string, unknown>)[f]),
              },
          )
        : options.columns;
      if (records.length === 0) return '';
      const { default: Table } = await import('cli-table3');
      const table = new Table({
        head: columns.map((c) => c.header),
        style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
        chars: {
          top: '',
          'top-mid': '',
          'top-left': '',
          'top-right': '',
          bottom: '',
          'bottom-mid': '',
          'bottom-left': '',
          'bottom-right': '',
          left: '',
          'left-mid': '',
          mid: '',
          'mid-mid': '',
          right: '',
          'right-mid': '',
          middle: '  ',
        },
      });
      // Cells are cut so that one long value (27 categories, say) does not push the table off the screen.
      for (const record of records) table.push(columns.map((c) => truncate(oneLine(c.value(record)), MAX_CELL)));
      // The header is painted after layout: the table would count the style's marks as characters.
      const [head = '', ...rows] = table
        .toString()
        .split('\n')
        .map((line) => line.trimEnd());
      return `${[options.color.bold(head), ...rows].join('\n')}\n`;
    }
  }
}
