/** Text a person hands in (a body, a post document): within a post's size limit, UTF-8, without NUL bytes. */
import path from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.js';
import { MAX_BODY_BYTES } from '../core/limits.js';
import { readBytesIfExists } from '../store/fsx.js';

/** The most bytes a body or post file may have: a post's limit. */
export const MAX_INPUT_BYTES = MAX_BODY_BYTES;

/** The error for input over the limit; `size` says by how much, as far as it was read. */
export function inputTooBig(where: string, size: string): UsageError {
  return new UsageError(`The body from ${where} is ${size}; the limit for a post is ${MAX_INPUT_BYTES} bytes (10 MB).`);
}

/** Bytes read as text: UTF-8 and without NUL bytes (a binary file given by mistake), else a usage error naming where they came from. */
export function decodeInput(bytes: Buffer, where: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`The body from ${where} is not valid UTF-8 text; convert it first (e.g. iconv -t utf-8).`);
  }
  if (text.includes('\u0000')) throw new UsageError(`The body from ${where} holds NUL bytes; is it a binary file?`);
  return text;
}

/**
 * The text of a file a person named (relative to cwd): it must exist, fit the limit and be UTF-8
 * without NUL bytes. `what` names what was to be read from it, for the message when it is missing.
 */
export async function readInputFile(source: string, cwd: string, what: 'the body' | 'the post'): Promise<string> {
  const bytes = await readBytesIfExists(path.resolve(cwd, source));
  if (bytes === null) throw new NotFoundError(`No file ${source} to read ${what} from.`);
  if (bytes.length > MAX_INPUT_BYTES) throw inputTooBig(source, `${bytes.length} bytes`);
  return decodeInput(bytes, source);
}
