import { lstatSync, promises as fs, type Stats } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fillablePage, needsFill, type FillablePage } from './fill.js';

/** Files up to this size are kept in memory once served; larger ones are streamed from the disk each time. */
export const MAX_KEPT_FILE = 1024 * 1024;
/** The most bytes kept in all: a site larger than this keeps the files served last. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/** A file of the site kept in memory, with the headers it is served with. */
export interface SiteFile {
  /** Its real path, under the site's real folder. */
  readonly file: string;
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly lastModified: string;
  /** A page with a form, filled in for each reader as it is served. */
  readonly page: FillablePage | undefined;
  /** The size, times and inode the body was read with: the file is the same while they are. */
  readonly version: string;
}

/**
 * The site's small files in memory, so that a busy server answers from memory rather than with a
 * realpath, stat, open, read and close for every request. Each answer is checked against the disk
 * with one lstat of the file's real path: a file a rebuild (or another `termpress build`) replaced
 * has another inode, size or time, and is read again through the careful path (which resolves
 * every link and refuses what lies outside the site). Nothing here outlives a change by a request.
 */
export class SiteFiles {
  private readonly kept = new Map<string, SiteFile>();
  private bytes = 0;

  constructor(private readonly typeOf: (file: string) => string) {}

  /** The file kept for a request path, if it is still the file on disk. */
  get(key: string): SiteFile | undefined {
    const kept = this.kept.get(key);
    if (kept === undefined) return undefined;
    let stat: Stats | undefined;
    try {
      stat = lstatSync(kept.file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (stat?.isFile() && versionOf(stat) === kept.version) return kept;
    this.drop(key);
    return undefined;
  }

  /**
   * Reads and keeps a file findInSite found for a request path: opened without following a link
   * swapped in since, and kept only if what was opened is the file that was found. Undefined for a
   * file too large to keep, or changed meanwhile (the caller serves it the careful way).
   */
  async add(key: string, file: string, found: Stats): Promise<SiteFile | undefined> {
    if (found.size > MAX_KEPT_FILE) return undefined;
    let body: Buffer;
    let stat: Stats;
    try {
      const handle = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
      try {
        stat = await handle.stat();
        if (!stat.isFile() || stat.size > MAX_KEPT_FILE) return undefined;
        body = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch {
      return undefined;
    }
    const version = versionOf(stat);
    // Written to while it was read, or not the file found: not kept.
    if (version !== versionOf(found) || body.length !== stat.size) return undefined;
    const type = this.typeOf(file);
    const html = type.startsWith('text/html') ? body.toString('utf8') : '';
    const entry: SiteFile = {
      file,
      body,
      type,
      // The validators @fastify/send gives the same file, so a client's 304s hold across both ways of serving.
      etag: `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
      lastModified: stat.mtime.toUTCString(),
      page: needsFill(html) ? fillablePage(html) : undefined,
      version,
    };
    this.drop(key);
    while (this.bytes + body.length > MAX_KEPT_BYTES && this.kept.size > 0) this.drop(this.kept.keys().next().value!);
    this.kept.set(key, entry);
    this.bytes += body.length;
    return entry;
  }

  private drop(key: string): void {
    const kept = this.kept.get(key);
    if (kept === undefined) return;
    this.kept.delete(key);
    this.bytes -= kept.body.length;
  }
}

/** Whether a request can be answered from memory: a plain GET or HEAD, not a range or a precondition. */
export function answerableFromMemory(headers: IncomingHttpHeaders): boolean {
  return headers.range === undefined && headers['if-match'] === undefined && headers['if-unmodified-since'] === undefined;
}

/**
 * Whether the client's copy is current, as @fastify/send judges it: If-None-Match against the ETag
 * (If-Modified-Since is then ignored), else If-Modified-Since against Last-Modified; a request that
 * says no-cache always gets the file.
 */
export function notModified(headers: IncomingHttpHeaders, file: SiteFile): boolean {
  const noneMatch = headers['if-none-match'];
  const modifiedSince = headers['if-modified-since'];
  if (noneMatch === undefined && modifiedSince === undefined) return false;
  if ((headers['cache-control'] ?? '').includes('no-cache')) return false;
  if (noneMatch !== undefined) {
    if (noneMatch.trim() === '*') return true;
    return noneMatch.split(',').some((tag) => {
      const trimmed = tag.trim();
      return trimmed === file.etag || `W/${trimmed}` === file.etag;
    });
  }
  const since = Date.parse(modifiedSince!);
  return !Number.isNaN(since) && Date.parse(file.lastModified) <= since;
}

function versionOf(stat: Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}
