import path from 'node:path';
import { requireHumanDate } from '../../core/dates.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { MAX_BODY_BYTES } from '../../core/limits.js';
import { readBytesIfExists } from '../../store/fsx.js';
import type { CliContext } from '../context.js';

/** Reads a body from a file, or from standard input when the path is "-". */
export async function readBodySource(source: string, ctx: CliContext): Promise<string> {
  if (source === '-') {
    if (ctx.stdin.isTTY) throw new UsageError('--body-file - reads standard input, but it is a terminal: pipe the body in, or use --body.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.stdin) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += bytes.length;
      // Stop reading at the limit rather than holding an endless pipe in memory.
      if (size > MAX_BODY_BYTES) throw tooBig('standard input', `more than ${MAX_BODY_BYTES} bytes`);
      chunks.push(bytes);
    }
    return decodeText(Buffer.concat(chunks), 'standard input');
  }
  const file = path.resolve(ctx.cwd, source);
  const bytes = await readBytesIfExists(file);
  if (bytes === null) throw new NotFoundError(`No file ${source} to read the body from.`);
  if (bytes.length > MAX_BODY_BYTES) throw tooBig(source, `${bytes.length} bytes`);
  return decodeText(bytes, source);
}

function tooBig(where: string, size: string): UsageError {
  return new UsageError(`The body from ${where} is ${size}; the limit for a post is ${MAX_BODY_BYTES} bytes (10 MB).`);
}

function decodeText(bytes: Buffer, where: string): string {
  try {
    return checkText(new TextDecoder('utf-8', { fatal: true }).decode(bytes), where);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`The body from ${where} is not valid UTF-8 text; convert it first (e.g. iconv -t utf-8).`);
  }
}

function checkText(text: string, where: string): string {
  if (text.includes('\u0000')) throw new UsageError(`The body from ${where} holds NUL bytes; is it a binary file?`);
  return text;
}

/** What a Markdown file's front matter may say about a new post. */
export interface FrontMatter {
  title?: string;
  slug?: string;
  categories?: string[];
  tags?: string[];
  excerpt?: string;
  author?: string;
  date?: Date;
  status?: 'draft' | 'pending' | 'published' | 'scheduled';
  body: string;
}

function asList(value: unknown, key: string, file: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  throw new UsageError(`In ${file}, "${key}" must be a list of names or a comma list.`);
}

function asText(value: unknown, key: string, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new UsageError(`In ${file}, "${key}" must be text.`);
}

/** Reads a Markdown file with YAML front matter for `post create --from`. */
export async function readFrontMatterFile(source: string, cwd: string, now: Date, timezone: string): Promise<FrontMatter> {
  const file = path.resolve(cwd, source);
  const bytes = await readBytesIfExists(file);
  if (bytes === null) throw new NotFoundError(`No file ${source} to read the post from.`);
  if (bytes.length > MAX_BODY_BYTES) throw tooBig(source, `${bytes.length} bytes`);
  const text = decodeText(bytes, source);
  const { default: matter } = await import('gray-matter');
  let data: Record<string, unknown>;
  let content: string;
  try {
    // gray-matter caches by content; a fresh object keeps one file's data from leaking into another.
    const parsed = matter(checkText(text, source), {});
    data = parsed.data;
    content = parsed.content;
  } catch (error) {
    throw new UsageError(`The front matter of ${source} does not parse: ${(error as Error).message.split('\n')[0]}.`);
  }
  const status = asText(data.status, 'status', source);
  if (status !== undefined && !['draft', 'pending', 'published', 'scheduled'].includes(status)) {
    throw new UsageError(`In ${source}, status "${status}" is not one of draft, pending, published, scheduled.`);
  }
  let date: Date | undefined;
  if (data.date instanceof Date) date = data.date;
  else if (data.date !== undefined && data.date !== null) date = await requireHumanDate(String(data.date), now, timezone, `"date" in ${source}`);
  return {
    title: asText(data.title, 'title', source),
    slug: asText(data.slug, 'slug', source),
    categories: asList(data.categories ?? data.category, 'categories', source),
    tags: asList(data.tags, 'tags', source),
    excerpt: asText(data.excerpt, 'excerpt', source),
    author: asText(data.author, 'author', source),
    date,
    status: status as FrontMatter['status'],
    body: content.replace(/^\n+/, ''),
  };
}
