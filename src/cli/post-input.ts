import type { CreatePostInput } from '../api/blog.js';
import { MAX_INPUT_BYTES, decodeInput, inputTooBig, readInputFile } from '../api/input.js';
import { UsageError } from '../core/errors.js';
import type { PostDocument } from '../core/post-document.js';
import type { CliContext } from './context.js';

/** Reads a body from a file, or from standard input when the path is "-". */
export async function readBodySource(source: string, ctx: CliContext): Promise<string> {
  if (source !== '-') return readInputFile(source, ctx.cwd, 'the body');
  if (ctx.stdin.isTTY) throw new UsageError('--body-file - reads standard input, but it is a terminal: pipe the body in, or use --body.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    // Stop reading at the limit rather than holding an endless pipe in memory.
    if (size > MAX_INPUT_BYTES) throw inputTooBig('standard input', `more than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(bytes);
  }
  return decodeInput(Buffer.concat(chunks), 'standard input');
}

/** The text of a post file for `--from`: it must exist, fit the limit and be UTF-8 without NUL bytes. */
export function readPostText(source: string, cwd: string): Promise<string> {
  return readInputFile(source, cwd, 'the post');
}

/**
 * Reads a Markdown file with YAML front matter for `post create --from`; its name is in every complaint,
 * and with checkDating its status and date are checked against each other along with the other fields.
 */
export async function readPostFile(
  source: string,
  cwd: string,
  options: { now: Date; timezone: string; checkDating?: boolean },
): Promise<PostDocument> {
  const text = await readPostText(source, cwd);
  const { readPostDocument } = await import('../core/post-document.js');
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

/** The text --body or --body-file gives, if either is given. */
export async function bodyFrom(
  opts: { body?: string | undefined; bodyFile?: string | undefined },
  ctx: CliContext,
): Promise<string | undefined> {
  if (opts.body !== undefined) return opts.body;
  if (opts.bodyFile !== undefined) return readBodySource(opts.bodyFile, ctx);
  return undefined;
}
