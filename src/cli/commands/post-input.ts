import path from 'node:path';
import type { CreatePostInput } from '../../api/blog.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { MAX_BODY_BYTES } from '../../core/limits.js';
import type { PostDocument } from '../../core/post-document.js';
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

/** The text of a post file for `--from`: it must exist, fit the limit and be UTF-8 without NUL bytes. */
export async function readPostText(source: string, cwd: string): Promise<string> {
  const file = path.resolve(cwd, source);
  const bytes = await readBytesIfExists(file);
  if (bytes === null) throw new NotFoundError(`No file ${source} to read the post from.`);
  if (bytes.length > MAX_BODY_BYTES) throw tooBig(source, `${bytes.length} bytes`);
  return decodeText(bytes, source);
}

/**
 * Reads a Markdown file with YAML front matter for `post create --from`; its name is in every complaint,
 * and with checkDating its status and date are checked against each other along with the other fields.
 */
export async function readPostFile(source: string, cwd: string, options: { now: Date; timezone: string; checkDating?: boolean }): Promise<PostDocument> {
  const text = await readPostText(source, cwd);
  const { readPostDocument } = await import('../../core/post-document.js');
  return readPostDocument(text, { where: source, ...options });
}

/** A new post's fields as a document (for recovery): what `post create --from` reads back. */
export function documentOfInput(input: CreatePostInput): PostDocument {
  return {
    title: input.title,
    slug: input.slug,
    status: input.status,
    date: input.at,
    author: input.author,
    categories: input.categories,
    tags: input.tags,
    excerpt: input.excerpt,
    comments: input.commentStatus,
    format: input.format,
    sticky: input.sticky,
    body: input.body ?? '',
  };
}
