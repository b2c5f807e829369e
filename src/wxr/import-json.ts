/** `termpress import --format json`: a termpress JSON backup, checked whole before anything is written. */
import { cleanSettings } from '../api/settings.js';
import { UsageError } from '../core/errors.js';
import { settingsProblem } from '../core/schema.js';
import type { Post } from '../core/types.js';
import { likeListSchema, likesOf, type Like } from '../core/likes.js';
import { fileSize, textChunks, twoPassProgress } from './file-chunks.js';
import { blogPartsSchema, headerSchema, JSON_FORMAT, JSON_SCHEMA_VERSION, parsePost } from './json-schema.js';
import { describeIssue } from '../core/schema.js';
import { mergeTaxonomy } from '../core/taxonomy.js';
import type { Taxonomy } from '../core/taxonomy.js';
import type { MediaRecord } from '../core/media.js';
import { PostSink } from './post-sink.js';
import { emptyReport } from './report.js';
import { legacyKeysOfPost, type ImportReport, type ImportTarget, type JsonImportOptions } from './types.js';

interface Header {
  schemaVersion: number;
  settings?: Record<string, unknown> | undefined;
  taxonomy?: unknown;
  media?: unknown;
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
    throw new UsageError(
      `${file} is not a termpress JSON export (no "format": "${JSON_FORMAT}" header); use --format wxr for WordPress files.`,
    );
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
async function* backupPosts(
  file: string,
  onBytes: (bytes: number) => void,
): AsyncGenerator<{ header: Header } | { value: unknown; line: number }> {
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
  const passes = twoPassProgress(size, options.onProgress);
  const progress = (bytes: number): void => passes.add(bytes);

  let count = 0;
  const ids = new Map<string, number>();
  let parts: { taxonomy?: Taxonomy | undefined; media?: MediaRecord[] | undefined } = {};
  for await (const entry of backupPosts(file, progress)) {
    if ('header' in entry) {
      const carried = { taxonomy: entry.header.taxonomy, media: entry.header.media };
      const checked = blogPartsSchema.safeParse(carried);
      if (!checked.success)
        throw new UsageError(`${file}: the header is invalid at ${describeIssue(checked.error, carried)}; nothing was imported.`);
      parts = checked.data as typeof parts;
      const settings = entry.header.settings;
      if (settings !== undefined) {
        // Checked now, as the posts are, so that a backup whose settings would be refused writes nothing.
        const problem = settingsProblem({ ...cleanSettings(settings), schemaVersion: JSON_SCHEMA_VERSION });
        if (problem) throw new UsageError(`${file}: the settings are invalid at ${problem}; nothing was imported.`);
        report.settings = settings;
      }
      continue;
    }
    count += 1;
    const result = parsePost(entry.value);
    if ('error' in result) {
      throw new UsageError(`${file}: post ${count} (line ${entry.line}) is invalid at ${result.error}; nothing was imported.`);
    }
    // A second post of the same id would be dropped, or would overwrite the first: neither is a restore.
    const first = ids.get(result.post.id);
    if (first !== undefined) {
      throw new UsageError(
        `${file}: post ${count} (line ${entry.line}) has the id ${result.post.id} of post ${first}; nothing was imported.`,
      );
    }
    ids.set(result.post.id, count);
    const likes = likesIn(entry.value);
    if ('error' in likes)
      throw new UsageError(`${file}: post ${count} (line ${entry.line}) is invalid at ${likes.error}; nothing was imported.`);
  }
  passes.firstPassDone();

  const sink = new PostSink(target, await target.existingLegacyKeys(), report, dryRun);
  const liked = new Map<string, Like[]>();
  try {
    for await (const entry of backupPosts(file, progress)) {
      if ('header' in entry) continue;
      report.items += 1;
      const post = (parsePost(entry.value) as { post: Post }).post;
      const taken = await sink.add(post, legacyKeysOfPost(post), `post ${post.id} "${post.title}"`);
      const likes = (likesIn(entry.value) as { likes: Like[] }).likes;
      if (taken && likes.length > 0) liked.set(post.id, likes);
    }
  } catch (error) {
    // Only a file changed between the passes gets here; what was already stored is re-import safe.
    await sink.settle();
    throw error;
  }
  await sink.end();
  // After the posts: a post's likes are stored only once the post is.
  if (!dryRun && target.addLikes) for (const [postId, likes] of liked) await target.addLikes(postId, likes);
  // The category tree and media records join what the blog has: terms by slug, records by id.
  if (parts.taxonomy) {
    const merged = dryRun ? mergeTaxonomy(await target.taxonomy(), parts.taxonomy) : await target.addTaxonomy(parts.taxonomy);
    report.categories = { imported: merged.categories.added, present: merged.categories.present };
    report.tags = { imported: merged.tags.added, present: merged.tags.present };
  }
  if (parts.media && parts.media.length > 0) {
    const known = await target.existingMediaIds();
    const fresh = parts.media.filter((record) => !known.has(record.id));
    report.media = { imported: fresh.length, present: parts.media.length - fresh.length };
    if (!dryRun && fresh.length > 0) await target.addMedia(fresh);
  }
  return report;
}

/** The likes a backup carries beside a post, checked; none when it has none. */
function likesIn(value: unknown): { likes: Like[] } | { error: string } {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['likes'] : undefined;
  if (raw === undefined) return { likes: [] };
  const result = likeListSchema().safeParse(raw);
  if (result.success) return { likes: likesOf(result.data) };
  const issue = result.error.issues[0];
  return { error: `likes${issue && issue.path.length > 0 ? '.' + issue.path.join('.') : ''}: ${issue?.message ?? 'invalid'}` };
}
