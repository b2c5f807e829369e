/**
 * `termpress import --media`: the blog's media records that have no local copy yet (WordPress
 * attachments) downloaded into its media/ folder, a few at a time, with a timeout, retries and a size
 * cap. Each download is recorded as it completes, so an interrupted run resumes where it stopped.
 *
 * The addresses come from a file anyone may have written: only http(s) is fetched (redirects too),
 * only files of a known media type (never HTML, SVG or scripts, which the site would serve as its
 * own pages), and the file is written under media/ by a name made here, through the blog's confined
 * folder, which never follows a link.
 */
import { posix } from 'node:path';
import type { Blog } from '../api/blog.js';
import { MAX_MEDIA_FILE_BYTES, safeMediaPath, type MediaRecord } from '../core/media.js';
import { isSiteMediaType, mimeTypeOf } from '../core/mime.js';

/** How downloads are made. */
export interface MediaDownloadOptions {
  /** Downloads at once. */
  concurrency?: number | undefined;
  /** Per attempt, for the whole response. */
  timeoutMs?: number | undefined;
  /** Further attempts after a network error, a timeout or a server error. */
  retries?: number | undefined;
  /** The largest file taken, in bytes. */
  maxBytes?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** What the downloads did. */
export interface MediaDownloadReport {
  downloaded: number;
  failed: number;
  /** Records still without a local copy: the site shows them from their remote address. */
  remote: number;
  warnings: string[];
}

export const DEFAULT_MEDIA_TIMEOUT_MS = 30_000;
export const DEFAULT_MEDIA_MAX_BYTES = MAX_MEDIA_FILE_BYTES;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_RETRIES = 2;
const MAX_REDIRECTS = 5;
/** Files are written and recorded after this many downloads (or bytes), so that an interrupted run loses little. */
const SAVE_EVERY = 8;
const SAVE_BYTES = 32 * 1024 * 1024;

/** Why a download failed; `retry` when trying again may help. */
class DownloadError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/**
 * Where a record's file goes under media/: WordPress's own uploads path ("2019/05/boat.jpg", from
 * `_wp_attached_file` or the address after /uploads/), else the address's file name, made safe; a
 * name another record has is given "-2", "-3" before its extension.
 */
export function mediaFileFor(record: MediaRecord, taken: ReadonlySet<string>): string {
  const attached = typeof record.legacy?.['attachedFile'] === 'string' ? record.legacy['attachedFile'] : '';
  let source = attached;
  if (source === '') {
    let pathname = '';
    try {
      pathname = new URL(record.url).pathname;
    } catch {
      pathname = '';
    }
    const uploads = pathname.indexOf('/uploads/');
    source = uploads === -1 ? posix.basename(pathname) : pathname.slice(uploads + '/uploads/'.length);
  }
  const extension = /\.[a-z0-9]{1,5}$/i.exec(record.url.replace(/[?#].*$/, ''))?.[0] ?? '';
  return safeMediaPath(source, `${record.id}${extension.toLowerCase()}`, taken);
}

/** One attempt: the bytes at url, following http(s) redirects, within the time and size limits. */
async function fetchOnce(url: string, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  const signal = AbortSignal.timeout(timeoutMs);
  let address = url;
  for (let hop = 0; ; hop += 1) {
    const parsed = new URL(address);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new DownloadError(`refused to follow a redirect to ${parsed.protocol} (only http and https)`, false);
    if (parsed.username !== '' || parsed.password !== '')
      throw new DownloadError('refused an address with a user name or password in it', false);
    let response: Response;
    try {
      response = await fetch(parsed, { redirect: 'manual', signal, headers: { 'user-agent': 'termpress (media import)' } });
    } catch (error) {
      throw new DownloadError(
        signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `could not connect (${(error as Error).message})`,
        true,
      );
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new DownloadError(`more than ${MAX_REDIRECTS} redirects`, false);
      address = new URL(response.headers.get('location')!, parsed).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(
        `the server answered ${response.status} ${response.statusText}`.trim(),
        response.status >= 500 || response.status === 429,
      );
    }
    const declared = Number(response.headers.get('content-length') ?? '');
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new DownloadError(`it is ${declared} bytes, over the limit of ${maxBytes}`, false);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.length;
        if (size > maxBytes) throw new DownloadError(`it is over the limit of ${maxBytes} bytes`, false);
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      throw new DownloadError(
        signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : `the download broke off (${(error as Error).message})`,
        true,
      );
    }
    return Buffer.concat(chunks);
  }
}

async function fetchWithRetries(
  url: string,
  options: Required<Pick<MediaDownloadOptions, 'timeoutMs' | 'retries' | 'maxBytes'>>,
): Promise<Buffer> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetchOnce(url, options.timeoutMs, options.maxBytes);
    } catch (error) {
      if (!(error instanceof DownloadError) || !error.retry || attempt >= options.retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
  }
}

/** Downloads the local copies the blog's media records lack. */
export async function downloadMedia(blog: Blog, options: MediaDownloadOptions = {}): Promise<MediaDownloadReport> {
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    maxBytes: options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES,
  };
  const report: MediaDownloadReport = { downloaded: 0, failed: 0, remote: 0, warnings: [] };
  const records = await blog.media();
  const taken = new Set(records.flatMap((r) => (r.file === null ? [] : [r.file.toLowerCase()])));
  const pending = records.filter((r) => r.file === null);
  // Downloaded files wait here a few at a time, then are written and recorded together.
  let waiting = new Map<string, { file: string; bytes: Buffer }>();
  let waitingBytes = 0;
  const save = async (): Promise<void> => {
    const files = waiting;
    waiting = new Map();
    waitingBytes = 0;
    await blog.saveMediaFiles(files);
  };

  let next = 0;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const record = pending[next++]!;
      const file = mediaFileFor(record, taken);
      taken.add(file.toLowerCase());
      try {
        const url = new URL(record.url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new DownloadError(`only http and https addresses are downloaded`, false);
        const type = mimeTypeOf(file);
        if (!isSiteMediaType(type))
          throw new DownloadError(
            `${type === 'application/octet-stream' ? 'its type is unknown' : `it is ${type}`}, which termpress does not put on the site`,
            false,
          );
        const bytes = await fetchWithRetries(url.href, limits);
        waiting.set(record.id, { file, bytes });
        waitingBytes += bytes.length;
        report.downloaded += 1;
        if (waiting.size >= SAVE_EVERY || waitingBytes >= SAVE_BYTES) await save();
      } catch (error) {
        if (!(error instanceof DownloadError) && !(error instanceof TypeError)) throw error;
        taken.delete(file.toLowerCase());
        report.failed += 1;
        report.warnings.push(`could not download ${record.url}: ${error.message}; the site keeps the remote address`);
      }
      completed += 1;
      options.onProgress?.(completed, pending.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, 16)) }, worker));
  } finally {
    await save();
  }
  report.remote = pending.length - report.downloaded;
  return report;
}
