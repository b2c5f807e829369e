/**
 * The post document: a post as text, YAML front matter then the body. One key table, one date rule and
 * one validator for every place termpress reads or writes one: `post create --from`, templates, the
 * editor of `post edit`, recovery files and `export --format markdown`.
 *
 * Front matter is data that arrives with a cloned blog, a download or a mail attachment, so it is read
 * as data and nothing else. A front matter opened in another language (`---js`, `--- coffee` ...) is
 * refused, never handed to an engine. The YAML is read as a syntax tree with the YAML 1.2 core schema:
 * no tag constructs anything, aliases are refused rather than expanded (an alias bomb stays a few
 * bytes), and keys are names looked up in the table, never properties set on an object.
 */
import { DateTime } from 'luxon';
import { LineCounter, Parser, isAlias, isMap, isScalar, isSeq, parseDocument, stringify, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { parseHumanDate } from './dates.js';
import { UsageError } from './errors.js';
import { uniqueList } from './lists.js';
import { datingProblem } from './posts.js';
import { slugProblem } from './slug.js';
import { oneLine } from './text.js';
import { POST_STATUSES } from './types.js';
import type { CommentOpenness, Post, PostFormat, PostStatus } from './types.js';

/** What the fields of a document hold once read. */
export interface DocumentFields {
  title: string;
  slug: string;
  status: PostStatus;
  /** When the post was or is to be published; for a draft, the date it is meant to appear on. Null: none. */
  date: Date | null;
  author: string;
  categories: string[];
  tags: string[];
  excerpt: string;
  comments: CommentOpenness;
  format: PostFormat;
  sticky: boolean;
}

/** A post document as read or to be written: the fields it states, and the body. */
export type PostDocument = Partial<DocumentFields> & { body: string };

type Kind = 'text' | 'list' | 'date' | 'flag' | readonly string[];

/** The keys of a document, in the order they are written, with what each holds. */
const KEY_TABLE: { [K in keyof DocumentFields]: Kind } = {
  title: 'text',
  slug: 'text',
  status: POST_STATUSES,
  date: 'date',
  author: 'text',
  categories: 'list',
  tags: 'list',
  excerpt: 'text',
  comments: ['open', 'closed'],
  format: ['markdown', 'html'],
  sticky: 'flag',
};

export type DocumentKey = keyof DocumentFields;

/** Every key a document may state, in the order they are written. */
export const DOCUMENT_KEYS = Object.keys(KEY_TABLE) as DocumentKey[];

/** Other spellings read as a key (Jekyll writes `category`). */
const KEY_ALIASES: ReadonlyMap<string, DocumentKey> = new Map([['category', 'categories']]);

/**
 * Keys the Markdown export adds for Hugo, Jekyll and people reading the file. A document read back
 * accepts and ignores them: the status says what `draft` says, and ids, dates of change and comments
 * belong to the blog the post lands in.
 */
export const EXPORT_KEYS = ['lastmod', 'draft', 'aliases', 'id', 'type', 'weight', 'approvedComments'] as const;

/** How to read a document. */
export interface ReadOptions {
  /** What the text is, for messages: a file name, "the template templates/post.md", "the front matter". */
  where: string;
  /** The keys this reader takes (default: all of them, and the export's); others are reported. */
  keys?: readonly DocumentKey[];
  /** A text without front matter is refused, rather than read as all body. */
  requireFrontMatter?: boolean;
  /** The clock and the blog's time zone, which dates without an offset are read in. */
  now: Date;
  timezone: string;
  /**
   * Also check the status and date the text states against each other (a scheduled post needs a future
   * date ...), reported with the other fields' problems.
   */
  checkDating?: boolean;
}

/** A document as read, with every problem found in its fields, and the keys whose values were wrong. */
export interface DocumentReading {
  document: PostDocument;
  problems: string[];
  invalid: ReadonlySet<DocumentKey>;
}

/**
 * Reads a post document. Every field that is wrong is reported at once, in one usage error naming the
 * text; a field the text leaves out is left out of the result.
 */
export async function readPostDocument(text: string, options: ReadOptions): Promise<PostDocument> {
  const reading = await parsePostDocument(text, options);
  if (reading.problems.length > 0) throw documentError(options.where, reading.problems);
  return reading.document;
}

/** The one error for a text's problems: all of them, in the order found. */
export function documentError(where: string, problems: readonly string[]): UsageError {
  return new UsageError(`In ${where}: ${problems.map(capitalise).join('; ')}.`);
}

/**
 * Reads a post document and returns what is wrong in its fields instead of throwing, so that a caller
 * with checks of its own reports them with these in one message. A text that is not a document at all
 * (no front matter where one is required, YAML that does not parse) still throws.
 */
export async function parsePostDocument(text: string, options: ReadOptions): Promise<DocumentReading> {
  const where = options.where;
  const parts = splitDocument(text, where);
  if (parts.front === null) {
    if (options.requireFrontMatter) {
      throw new UsageError(
        `The front matter of ${where} is missing: the text must begin with a line "---", the fields, and another "---".`,
      );
    }
    return { document: { body: parts.body }, problems: [], invalid: new Set() };
  }
  const doc = parseYaml(parts.front, where, parts.frontLine);
  const problems: string[] = [];
  const found = new Map<DocumentKey, { name: string; node: YamlNode | null }>();
  const unknown: string[] = [];
  const allowed = options.keys ?? DOCUMENT_KEYS;
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    throw new UsageError(`The front matter of ${where} must be "key: value" lines.`);
  }
  for (const pair of contents?.items ?? []) {
    const name = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(pair.key);
    const key = KEY_ALIASES.get(name) ?? (Object.hasOwn(KEY_TABLE, name) ? (name as DocumentKey) : undefined);
    if (key === undefined || !allowed.includes(key)) {
      if (key === undefined && options.keys === undefined && (EXPORT_KEYS as readonly string[]).includes(name)) continue;
      unknown.push(`"${oneLine(name).slice(0, 40)}"`);
      continue;
    }
    const first = found.get(key);
    if (first) {
      problems.push(`${key} is given twice${first.name !== name ? ` (as ${first.name} and ${name})` : ''}`);
      continue;
    }
    found.set(key, { name, node: (pair.value as YamlNode | null) ?? null });
  }
  if (unknown.length > 0) {
    const keys = [...allowed, ...(options.keys ? [] : EXPORT_KEYS)];
    problems.unshift(`Unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (the keys are ${keys.join(', ')})`);
  }
  const result: PostDocument = { body: parts.body };
  const invalid = new Set<DocumentKey>();
  for (const [key, { node }] of found) {
    const before = problems.length;
    const value = await readField(key, node, options, problems);
    if (value !== undefined) (result as Record<string, unknown>)[key] = value;
    if (problems.length > before) invalid.add(key);
  }
  if (options.checkDating && !invalid.has('status') && !invalid.has('date') && (result.status !== undefined || result.date != null)) {
    const problem = datingProblem(result.status, result.date, options.now);
    if (problem) problems.push(datingMessage(problem, result.date, options.timezone, options.now));
  }
  return { document: result, problems, invalid };
}

/** The front matter (null when there is none), where it starts, and the body after it. */
function splitDocument(text: string, where: string): { front: string | null; frontLine: number; body: string } {
  const rest = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^\+\+\+[ \t]*\r?(?:\n|$)/.test(rest)) {
    throw new UsageError(`The front matter of ${where} is TOML (+++): termpress reads YAML front matter, between two "---" lines.`);
  }
  // Four dashes or more is a Markdown rule, not front matter.
  const open = /^---(?!-)([^\n]*)(?:\n|$)/.exec(rest);
  if (!open) return { front: null, frontLine: 0, body: rest };
  const language = (open[1] ?? '').replace(/\r$/, '').trim();
  if (language !== '' && !/^ya?ml$/i.test(language)) {
    const shown = oneLine(`---${open[1] ?? ''}`).slice(0, 30);
    throw new UsageError(
      `The front matter of ${where} opens with "${shown}": termpress reads only YAML front matter ` +
        `(a first line "---" alone) and never runs it as code; rewrite the fields as YAML.`,
    );
  }
  // The closing line is the first line that is "---" alone; only \n ends a line here, as in YAML's own
  // reading of the front (a \u2028 inside a value is not a line break).
  const closing = /\n---[ \t]*\r?(?:\n|$)/g;
  const start = open[0].length;
  // From the opening line's own \n, so that an empty front matter ("---", "---") closes at once.
  closing.lastIndex = start - 1;
  const close = open[0].endsWith('\n') ? closing.exec(rest) : null;
  if (!close) throw new UsageError(`The front matter of ${where} is not closed: end it with a line "---" before the body.`);
  // One blank line between the front matter and the body is layout, not body.
  const body = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  return { front: rest.slice(start, Math.max(start, close.index + 1)), frontLine: 2, body };
}

/** How deep a front matter may nest: a document is a map of texts and lists, two levels; the rest is room. */
const MAX_DEPTH = 8;

/**
 * How deeply the YAML text nests its collections, measured on the parser's syntax tree without recursion.
 * The YAML library builds values recursively: a text nested thousands deep exhausts the stack, and deep
 * in an exhausted stack V8 may abort the whole process rather than throw, so such a text never reaches it.
 */
function nestingDepth(front: string): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [...new Parser().parse(front)].map((token) => [token, 0]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [token, depth] = next;
    deepest = Math.max(deepest, depth);
    if (typeof token !== 'object' || token === null) continue;
    const { type, items, value } = token as { type?: string; items?: Array<{ key?: unknown; value?: unknown }>; value?: unknown };
    for (const item of Array.isArray(items) ? items : []) {
      for (const part of [item.key, item.value]) if (typeof part === 'object' && part !== null) pending.push([part, depth + 1]);
    }
    if (type === 'document' && typeof value === 'object' && value !== null) pending.push([value, depth]);
  }
  return deepest;
}

function parseYaml(front: string, where: string, firstLine: number): Document.Parsed {
  if (nestingDepth(front) > MAX_DEPTH) {
    throw new UsageError(
      `The front matter of ${where} nests lists or maps more than ${MAX_DEPTH} deep: its fields are texts and lists of names.`,
    );
  }
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(front, { version: '1.2', schema: 'core', uniqueKeys: true, lineCounter: lines, prettyErrors: true });
  } catch (error) {
    // A pathological text (nesting deep enough to exhaust the stack) is unreadable, not a crash.
    throw new UsageError(`The front matter of ${where} does not parse as YAML: ${(error as Error).message.split('\n')[0]}.`);
  }
  // Warnings are errors here: an unknown tag (!!js/function, !!python/object ...) is never data to guess at.
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const reason = (first.message.split('\n')[0] ?? 'unreadable').replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`The front matter of ${where} does not parse as YAML${line ? ` (line ${line + firstLine - 1})` : ''}: ${reason}.`);
  }
  // The parser still knows a few tags beyond the core schema (!!binary, !!set, !!omap, !!timestamp), which
  // build values of their own: only the tags of plain data pass.
  visit(doc, {
    Node(_key, node) {
      if (node.tag === undefined || CORE_TAGS.has(node.tag)) return;
      const line = node.range ? lines.linePos(node.range[0]).line + firstLine - 1 : undefined;
      const tag = oneLine(node.tag.replace(/^tag:yaml\.org,2002:/, '!!')).slice(0, 40);
      throw new UsageError(
        `The front matter of ${where} does not parse as YAML${line ? ` (line ${line})` : ''}: the tag ${tag} is not plain data; remove it.`,
      );
    },
  });
  return doc;
}

/** The tags of the YAML 1.2 core schema: text, numbers, true and false, null, lists and maps. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((name) => `tag:yaml.org,2002:${name}`));

async function readField(key: DocumentKey, node: YamlNode | null, options: ReadOptions, problems: string[]): Promise<unknown> {
  const kind = KEY_TABLE[key];
  if (isAlias(node)) {
    problems.push(`${key} refers to an alias (*${oneLine(node.source).slice(0, 20)}); write the value out`);
    return undefined;
  }
  if (kind === 'list') return readList(key, node, problems);
  if (node !== null && !isScalar(node)) {
    problems.push(kind === 'text' ? `${key} must be text` : kind === 'flag' ? `${key} must be true or false` : `${key} must be one value`);
    return undefined;
  }
  const empty = node === null || node.value === null;
  // The text as written: `title: 1.0` is the title "1.0", not the number 1.
  const written = empty ? '' : String(node.source ?? node.value);
  if (kind === 'text') {
    if (key === 'title' && written.trim() === '') problems.push('title may not be empty');
    if (key === 'slug') {
      const problem = slugProblem(written.trim());
      if (problem) problems.push(`Invalid slug "${oneLine(written).slice(0, 80)}": ${problem}`);
      return written.trim();
    }
    return written;
  }
  if (kind === 'flag') {
    if (!empty && typeof node.value === 'boolean') return node.value;
    problems.push(`${key} must be true or false${empty ? '' : `, not "${oneLine(written).slice(0, 40)}"`}`);
    return undefined;
  }
  if (kind === 'date') {
    if (written.trim() === '') return null;
    const date = await parseHumanDate(written, options.now, options.timezone);
    if (date) return date;
    problems.push(
      `Cannot read the date "${oneLine(written).slice(0, 60)}": use ISO 8601 (2026-12-01 09:00, in the blog's time zone unless an offset is given) or words like "tomorrow 9am"`,
    );
    return undefined;
  }
  const choice = written.trim();
  if (kind.includes(choice)) return choice;
  problems.push(
    `${key} must be ${kind.slice(0, -1).join(', ')} or ${kind[kind.length - 1]}${choice === '' ? '' : `, not "${oneLine(choice).slice(0, 40)}"`}`,
  );
  return undefined;
}

function readList(key: DocumentKey, node: YamlNode | null, problems: string[]): string[] | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (isScalar(node)) {
    return uniqueList(String(node.source ?? node.value).split(','));
  }
  if (isSeq(node) && node.items.every((item) => item === null || isScalar(item))) {
    const names: string[] = [];
    for (const item of node.items) if (isScalar(item) && item.value !== null) names.push(String(item.source ?? item.value));
    return uniqueList(names);
  }
  problems.push(`${key} must be a list of names or a comma list`);
  return undefined;
}

// ---- Writing ---------------------------------------------------------------------------------------

/** How to write a document. */
export interface WriteOptions {
  /** The blog's time zone: dates are written in it. */
  timezone: string;
  /**
   * Dates for people ("2026-12-01 09:00", to the minute) or exact ones with their offset, for files that
   * other tools read or that must come back to the millisecond.
   */
  dates?: 'minutes' | 'exact';
  /** Lines of comment written first inside the front matter, each starting with "# ". */
  note?: string;
  /** Keys written after the document's own (the export's for Hugo and Jekyll). */
  extra?: Record<string, unknown>;
}

/** A document as text: the stated fields in the table's order, then the body. */
export function writePostDocument(doc: PostDocument, options: WriteOptions): string {
  const data: Record<string, unknown> = {};
  for (const key of DOCUMENT_KEYS) {
    const value = doc[key];
    if (value === undefined) continue;
    data[key] =
      key === 'date' ? (value === null ? null : documentDate(value as Date, options.timezone, options.dates ?? 'minutes')) : value;
  }
  Object.assign(data, options.extra ?? {});
  const yaml = Object.keys(data).length === 0 ? '' : stringify(data, { version: '1.2', schema: 'core', lineWidth: 0, nullStr: '' });
  // A body that starts with a blank line gets one more, which the reader takes as layout.
  const gap = /^\r?\n/.test(doc.body) ? '\n' : '';
  return `---\n${options.note ?? ''}${yaml}---\n${gap}${doc.body}`;
}

/**
 * A date as a document writes it, in the blog's time zone. For people, to the minute when that reads
 * back as the same minute (not in the hour a clock change repeats); otherwise, and for exact dates,
 * ISO 8601 with the offset.
 */
export function documentDate(date: Date, timezone: string, precision: 'minutes' | 'exact'): string {
  const local = DateTime.fromJSDate(date, { zone: timezone });
  if (precision === 'minutes') {
    const short = local.toFormat('yyyy-LL-dd HH:mm');
    const back = DateTime.fromISO(short.replace(' ', 'T'), { zone: timezone });
    if (back.toMillis() === local.startOf('minute').toMillis()) return short;
  }
  return local.toISO({ includeOffset: true }) ?? date.toISOString();
}

/** Every field of a post, as its document states them. */
export function documentOfPost(post: Post): PostDocument {
  return {
    title: post.title,
    slug: post.slug,
    status: post.status,
    date: post.publishedAt ? new Date(post.publishedAt) : null,
    author: post.author,
    categories: [...post.categories],
    tags: [...post.tags],
    excerpt: post.excerpt,
    comments: post.commentStatus,
    format: post.format,
    sticky: post.sticky,
    body: post.body,
  };
}

// ---- A post as the editor shows it -------------------------------------------------------------------

const EDITOR_NOTE =
  '# Save and quit to apply; quit without saving to change nothing. status is draft, pending, published,\n' +
  '# scheduled or trash. date is in the blog time zone (words allowed): when a published or scheduled\n' +
  '# post appears, the date a draft will be published at, or empty for "when it is published".\n' +
  '# comments are open or closed; format is markdown or html; sticky is true or false.\n';

/** A post as Markdown with YAML front matter, the way `post edit` hands it to the editor. */
export function editorDocument(post: Post, timezone: string): string {
  return writePostDocument(documentOfPost(post), { timezone, note: EDITOR_NOTE });
}

/** What an edited document says: every field, those it left out as the post had them. */
export type EditedPost = DocumentFields & { body: string };

/**
 * Reads a post edited in the editor. A key left out keeps the post's value; a date equal to the
 * post's to the minute is the post's own (the editor shows minutes). The status and date are checked
 * against each other when either changed.
 */
export async function readEditedPost(
  text: string,
  options: { base: Post; now: Date; timezone: string; where?: string; requireFrontMatter?: boolean },
): Promise<EditedPost> {
  const { base, now, timezone } = options;
  const where = options.where ?? 'your text';
  const { document, problems, invalid } = await parsePostDocument(text, {
    where,
    requireFrontMatter: options.requireFrontMatter ?? true,
    now,
    timezone,
  });
  const original = documentOfPost(base) as EditedPost;
  const edited: EditedPost = { ...original, ...document };
  if (sameMinute(edited.date, original.date)) edited.date = original.date;
  // Editors add or drop a final newline; that alone is not a change to the body.
  if (edited.body.replace(/\s+$/, '') === base.body.replace(/\s+$/, '')) edited.body = base.body;
  // Checked with the rest, so that one round in the editor shows every problem of the text.
  if (!invalid.has('status') && !invalid.has('date') && (edited.status !== base.status || edited.date !== original.date)) {
    const problem = datingProblem(edited.status, edited.date, now);
    if (problem) problems.push(datingMessage(problem, edited.date, timezone, now));
  }
  if (problems.length > 0) throw documentError(where, problems);
  return edited;
}

function sameMinute(a: Date | null, b: Date | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);
}

/** What is wrong with a status and date in a document, in the document's own words. */
export function datingMessage(
  problem: NonNullable<ReturnType<typeof datingProblem>>,
  date: Date | null | undefined,
  timezone: string,
  now: Date,
): string {
  if (problem === 'scheduled-needs-future-date') {
    return `A scheduled post needs a future date: give date a time after ${documentDate(now, timezone, 'minutes')}`;
  }
  return `date ${date ? documentDate(date, timezone, 'minutes') : ''} is in the future: set status: scheduled, or empty the date to publish now`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
