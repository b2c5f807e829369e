import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SymlinkError } from '../core/errors.js';
import { blogFolder } from './confined.js';
import type { BlogLayout } from './layout.js';
import { isErrno, storageFailure } from './fsx.js';
import { validIndexEntry } from './schema.js';
import type { PostSummary } from './summary.js';

// 2: a summary's comment counts are `commentCounts`; an index of version 1 is rebuilt from the files.
export const INDEX_VERSION = 2;

/** One post file as the index last saw it. */
export interface IndexEntry {
  size: number;
  mtimeMs: number;
  summary: PostSummary;
}

export interface IndexFile {
  version: number;
  posts: Record<string, IndexEntry>;
}

/**
 * A cache file as termpress writes it: the version, the digest of the text of the entries, then the
 * entries, in this order and nothing else, so that a reader finds the entries' text without parsing.
 */
const SEALED = /^\{"version":(\d+),"sum":"([0-9a-f]{40})","posts":/;

function digest(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The bytes of a cache file of this version holding these entries by post id, sealed by their digest. */
export function sealedBytes(version: number, posts: Record<string, unknown>): Buffer {
  // Encoded once: the digest is of the bytes written.
  const entries = Buffer.from(JSON.stringify(posts), 'utf8');
  return Buffer.concat([Buffer.from(`{"version":${version},"sum":"${digest(entries)}","posts":`), entries, Buffer.from('}')]);
}

/**
 * The entries of a cache file whose bytes are exactly what sealedBytes wrote for this version (its
 * digest matches), or null. Every entry termpress writes was validated when it was made (from a post
 * file read and validated, or from an entry read and validated before), so such a file needs no check
 * of each entry: that is most of the time a listing of a large blog takes. Any other change to the file
 * (a hand edit, a bad merge, another program) breaks the digest, and the entries are checked as before.
 * The digest is of the bytes, which spares encoding the text again to check it.
 */
export function sealedEntries<T>(bytes: Buffer, version: number): Record<string, T> | null {
  const head = SEALED.exec(bytes.toString('latin1', 0, 80));
  if (head === null || Number(head[1]) !== version || bytes[bytes.length - 1] !== 0x7d) return null;
  const entries = bytes.subarray(head[0].length, bytes.length - 1);
  if (digest(entries) !== head[2]) return null;
  const posts = JSON.parse(entries.toString('utf8')) as unknown;
  return typeof posts === 'object' && posts !== null && !Array.isArray(posts) ? (posts as Record<string, T>) : null;
}

/**
 * The index with every entry validated, and the ids of the entries dropped for being of the wrong shape
 * (a bad merge, a hand edit, another program): a dropped entry is read again from its post file, so a
 * damaged index can cost time but never give a wrong answer.
 */
export async function readIndexChecked(layout: BlogLayout): Promise<{ index: IndexFile; dropped: string[]; sealed: boolean }> {
  const index: IndexFile = { version: INDEX_VERSION, posts: {} };
  const dropped: string[] = [];
  let parsed: { version?: unknown; posts?: unknown };
  try {
    const bytes = (await blogFolder(layout.dir).read(layout.indexFile)) ?? Buffer.alloc(0);
    const sealed = sealedEntries<IndexEntry>(bytes, INDEX_VERSION);
    if (sealed !== null) return { index: { version: INDEX_VERSION, posts: sealed }, dropped, sealed: true };
    parsed = JSON.parse(bytes.toString('utf8')) as typeof parsed;
  } catch (error) {
    if (error instanceof SymlinkError) throw error;
    // Missing or damaged: rebuilt from the post files.
    return { index, dropped, sealed: false };
  }
  if (parsed === null || parsed.version !== INDEX_VERSION || typeof parsed.posts !== 'object' || parsed.posts === null) {
    return { index, dropped, sealed: false };
  }
  for (const [id, value] of Object.entries(parsed.posts)) {
    const entry = validIndexEntry(id, value);
    if (entry) index.posts[id] = entry;
    else dropped.push(id);
  }
  return { index, dropped, sealed: false };
}

/** Saves the index; failing to save a cache is not worth failing a command for, but a link in its way is. */
export async function writeIndex(layout: BlogLayout, index: IndexFile): Promise<void> {
  // Compact: the index is private and read by every listing, so size matters more than diffs. Not
  // flushed: a cache lost to a crash is rebuilt from the posts, and each comment the server takes
  // would otherwise wait for a second flush of the disk.
  await blogFolder(layout.dir)
    .write(layout.indexFile, sealedBytes(index.version, index.posts), { fsync: false })
    .catch((error: unknown) => {
      if (error instanceof SymlinkError) throw error;
    });
}

/**
 * One post file's size and modification time; null when it is gone (removed since the folder was read)
 * or not a file. A link is refused, or taken as not a file when links are skipped.
 */
export function statPostFile(
  layout: BlogLayout,
  file: string,
  options: { links?: 'refuse' | 'skip' } = {},
): { file: string; size: number; mtimeMs: number } | null {
  let stat;
  try {
    stat = lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw storageFailure('read', file, error);
  }
  if (stat?.isSymbolicLink() && options.links !== 'skip') throw blogFolder(layout.dir).linkError(file, 'file');
  return stat?.isFile() ? { file, size: stat.size, mtimeMs: stat.mtimeMs } : null;
}

/**
 * The post files in the blog with their sizes and modification times. Synchronous stats on purpose:
 * for thousands of small calls they are several times faster than going through the thread pool. A
 * post file that is a link is refused (its target is not the blog's), or left out for doctor to report.
 */
export async function statPostFiles(
  layout: BlogLayout,
  options: { links?: 'refuse' | 'skip' } = {},
): Promise<Map<string, { file: string; size: number; mtimeMs: number }>> {
  const folder = blogFolder(layout.dir);
  if (!(await folder.folder(layout.postsDir, false))) return new Map();
  let names: string[];
  try {
    names = readdirSync(layout.postsDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return new Map();
    throw storageFailure('read the folder', layout.postsDir, error);
  }
  const files = new Map<string, { file: string; size: number; mtimeMs: number }>();
  // The folder's path is resolved already and a name from readdir has no separator: joined as text,
  // which for a hundred thousand names is much quicker than path.join.
  const prefix = layout.postsDir + path.sep;
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const found = statPostFile(layout, prefix + name, options);
    if (found) files.set(name.slice(0, -'.json'.length), found);
  }
  return files;
}
