/** `termpress import --format json`: a termpress JSON backup, checked whole before anything is written. */
import { UsageError } from '../core/errors.js';
import type { Post } from '../core/types.js';
import { fileSize, textChunks } from './file-chunks.js';
import { headerSchema, JSON_FORMAT, JSON_SCHEMA_VERSION, parsePost } from './json-schema.js';
import { PostSink } from './post-sink.js';
import { emptyReport } from './report.js';
import { legacyKeysOfPost, type ImportReport, type ImportTarget, type JsonImportOptions } from './types.js';

interface Header {
  schemaVersion: number;
  settings?: Record<string, unknown> | undefined;
}

/** Lines of a file with their numbers, streamed. */
async function* fileLines(file: string, onBytes: (bytes: number) => void): AsyncGenerator<[string, number]> {
  let carry = '';
  let number = 0;
  for await (const chunk of textChunks(file, onBytes)) {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const line of parts) yield [line, (number += 1)];
  }
  if (carry !== '') yield [carry, number + 1];
}

function checkHeader(file: string, value: unknown): Header {
  const header = headerSchema.safeParse(value);
  if (!header.success) {
    throw new UsageError(`${file} is not a termpress JSON export (no "format": "${JSON_FORMAT}" header); use --format wxr for WordPress files.`);
  }
  if (header.data.schemaVersion > JSON_SCHEMA_VERSION) {
    throw new UsageError(
      `${file} was written by a newer termpress (schemaVersion ${header.data.schemaVersion}, this one reads ${JSON_SCHEMA_VERSION}); upgrade termpress to import it.`,
    );
  }
  return header.data;
}

function parseJson(file: string, text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}:${line}: not valid JSON (${(error as Error).message}); nothing was imported.`);
  }
}

/**
 * The posts of a backup, in order, with where they are. termpress writes one post per line and reads that
 * as a stream; a file reformatted by hand (pretty-printed, edited) is still read, whole.
 */
async function* backupPosts(file: string, onBytes: (bytes: number) => void): AsyncGenerator<{ header: Header } | { value: unknown; line: number }> {
  const lines = fileLines(file, onBytes);
  const first = await lines.next();
  const firstLine = first.done === true ? '' : first.value[0];
  if (firstLine.startsWith('{') && firstLine.endsWith('"posts":[')) {
    yield { header: checkHeader(file, parseJson(file, `${firstLine}]}`, 1)) };
    let closed = false;
    let last = 1;
    for await (const [line, number] of lines) {
      last = number;
      const text = line.endsWith(',') ? line.slice(0, -1) : line;
      if (text === ']}') closed = true;
      if (text === ']}' || text.trim() === '') continue;
      if (closed) throw new UsageError(`${file}:${number}: text after the end of the post list; nothing was imported.`);
      yield { value: parseJson(file, text, number), line: number };
    }
    // A backup cut short (a full disk, an interrupted copy) must not pass for a smaller blog.
    if (!closed) throw new UsageError(`${file}:${last}: the file ends inside the post list (truncated?); nothing was imported.`);
    return;
  }
  let text = firstLine;
  for await (const [line] of lines) text += `\n${line}`;
  const whole = parseJson(file, text, 1);
  yield { header: checkHeader(file, whole) };
  const posts = (whole as { posts?: unknown }).posts;
  if (!Array.isArray(posts)) throw new UsageError(`${file} has no "posts" list; nothing was imported.`);
  for (const [index, value] of posts.entries()) yield { value, line: index + 1 };
}

/**
 * Import a termpress JSON backup: posts keep their ids, revisions and every field, so a backup imported into
 * an empty blog gives the same blog back. A first pass validates every post, so a damaged file writes nothing.
 */
export async function importJson(file: string, target: ImportTarget, options: JsonImportOptions): Promise<ImportReport> {
  const size = await fileSize(file);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(file, 'json', dryRun);
  let done = 0;
  const progress = (bytes: number): void => {
    done += bytes;
    options.onProgress?.(done, size * 2);
  };

  let count = 0;
  for await (const entry of backupPosts(file, progress)) {
    if ('header' in entry) {
      if (entry.header.settings !== undefined) report.settings = entry.header.settings;
      continue;
    }
    count += 1;
    const result = parsePost(entry.value);
    if ('error' in result) {
      throw new UsageError(`${file}: post ${count} (line ${entry.line}) is invalid at ${result.error}; nothing was imported.`);
    }
  }
  done = size;

  const sink = new PostSink(target, await target.existingLegacyKeys(), report, dryRun);
  for await (const entry of backupPosts(file, progress)) {
    if ('header' in entry) continue;
    report.items += 1;
    const post = (parsePost(entry.value) as { post: Post }).post;
    await sink.add(post, legacyKeysOfPost(post), `post ${post.id} "${post.title}"`);
  }
  await sink.flush();
  return report;
}
