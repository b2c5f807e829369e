import { dirname, join, resolve } from 'node:path';
import { StorageError } from '../core/errors.js';
import { ConfinedFolder } from '../store/confined.js';
import { sha256 } from './hash.js';
import {
  MANIFEST_NAME,
  MANIFEST_VERSION,
  outputPath,
  outputReader,
  outputSizer,
  readManifest,
  type BuildStamp,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';

/** One file of the site: where it goes, what it is made from, and how to make it. */
export interface Job {
  /** Path under the output folder, "/"-separated. */
  file: string;
  /** Everything the file's content depends on besides the build's global key, JSON-serialisable. */
  inputs: unknown;
  render: () => string | Buffer | Promise<string | Buffer>;
  /** What the file is, for messages: "post abcd1234 (slug hello)"; absent for the site's own pages. */
  owner?: string;
  /** The posts the render reads in full (body, comments): read before it runs, and only when it runs. */
  posts?: readonly string[];
  /** The posts whose excerpts the render shows. */
  excerpts?: readonly string[];
}

export { MANIFEST_NAME } from './manifest.js';

/** What writing the site's files did. */
export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  rendered: number;
}

/** How many files may be waiting to be written while the next are rendered. */
const IN_FLIGHT = 64;
/** How often (in files) progress is reported. */
const PROGRESS_EVERY = 32;

/** How a site is written. */
export interface WriteOptions {
  clean: boolean;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Called once with the jobs that will be rendered, before any is: to read and render what they need (or start to). */
  prepare?: ((jobs: readonly Job[]) => Promise<void>) | undefined;
  /** What a job waits for before it renders (the posts it shows, still being rendered), if anything. */
  ready?: ((job: Job) => Promise<void> | undefined) | undefined;
  /** What the whole site was made from, kept in the manifest for the next build (see stamp.ts). */
  stamp?: BuildStamp | undefined;
}

/**
 * Writes the jobs' files into outDir, rendering only those whose inputs changed since the last
 * build and writing only those whose bytes changed; removes files the last build wrote that no
 * job makes any more. Files termpress did not write (a CNAME, a deploy .git) are left alone.
 *
 * The output folder may come with a clone (public/ committed) and its manifest with it, so neither is
 * trusted: a link inside the folder is replaced by the real file or folder, never written through,
 * and a file is removed only when it is a real file inside the folder, reached through real folders,
 * whose bytes are still those the manifest says the last build wrote.
 */
export async function writeSite(outDir: string, globalKey: string, jobs: readonly Job[], options: WriteOptions): Promise<WriteResult> {
  const root = resolve(outDir);
  // Many pages share a folder; checking each once saves thousands of system calls on a cold build.
  const out = new ConfinedFolder(root, { links: 'replace', label: 'the output folder', remember: true });
  await out.folder(root, true);
  const previous = await readManifest(out);
  const next: Manifest = { version: MANIFEST_VERSION, files: {}, stamp: options.stamp };
  const result: WriteResult = { written: [], unchanged: [], removed: [], rendered: 0 };

  // First what must be rendered: a page whose inputs are those of the file still there is left as it is.
  const sizeOf = outputSizer(root);
  const readOutput = outputReader(sizeOf);
  const work: { job: Job; target: string; key: string; old: ManifestEntry | undefined; onDisk: number | undefined }[] = [];
  for (const job of jobs) {
    const target = outputPath(root, job.file);
    if (target === undefined) throw new StorageError(`Refusing to write ${job.file}: it is not a plain path inside ${root}.`);
    const key = sha256(globalKey + '\n' + JSON.stringify(job.inputs));
    const old = options.clean ? undefined : previous.files[job.file];
    // A link at the page's place (or on its way) is not the page: it is replaced below.
    const onDisk = old ? sizeOf(target) : undefined;
    if (old && old.key === key && onDisk === old.size) {
      next.files[job.file] = old;
      result.unchanged.push(job.file);
    } else {
      work.push({ job, target, key, old, onDisk });
    }
  }
  options.onProgress?.(result.unchanged.length, jobs.length);
  if (work.length > 0) await options.prepare?.(work.map((item) => item.job));

  // Pages are rendered on this thread while the files rendered before them are written by the system's
  // threads: at most IN_FLIGHT writes wait at once, so rendering never stops for the disk, nor runs far ahead of it.
  let done = result.unchanged.length;
  const writing = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const settle = () => Promise.allSettled(writing);
  try {
    for (const { job, target, key, old, onDisk } of work) {
      const waiting = options.ready?.(job);
      if (waiting !== undefined) await waiting;
      const content = await job.render();
      result.rendered++;
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const entry: ManifestEntry = { key, hash: sha256(bytes), size: bytes.length };
      next.files[job.file] = entry;
      // Without the last build's record (a clean build), the file there is compared as it is.
      if ((old && old.hash === entry.hash && onDisk === entry.size) || (old === undefined && readOutput(target)?.equals(bytes))) {
        result.unchanged.push(job.file);
      } else {
        // Atomic so that a server never serves half a page; fsync is left to the OS for speed.
        const write: Promise<void> = out
          .write(target, bytes, { fsync: false })
          .then(() => void result.written.push(job.file))
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => writing.delete(write));
        writing.add(write);
        if (writing.size >= IN_FLIGHT) await Promise.race(writing);
      }
      if (failure) throw failure.error;
      if (++done % PROGRESS_EVERY === 0 || done === jobs.length) options.onProgress?.(done, jobs.length);
    }
    await settle();
    if (failure) throw failure.error;
  } catch (error) {
    // Nothing is left writing when the build fails: the error is the first one met.
    await settle();
    throw failure ? failure.error : error;
  }

  for (const [file, entry] of Object.entries(previous.files)) {
    if (Object.hasOwn(next.files, file)) continue;
    const target = outputPath(root, file);
    if (target === undefined || !(await stillWritten(out, target, entry))) continue;
    if (await out.remove(target)) result.removed.push(file);
    await out.removeEmptyFolders(dirname(target));
  }

  const sorted: Manifest = {
    version: MANIFEST_VERSION,
    files: Object.fromEntries(
      Object.keys(next.files)
        .sort()
        .map((f) => [f, next.files[f]!]),
    ),
    stamp: next.stamp,
  };
  const text = JSON.stringify(sorted, null, 1) + '\n';
  const manifestPath = join(root, MANIFEST_NAME);
  const oldText = (await out.readText(manifestPath).catch(() => null)) ?? '';
  if (text !== oldText) await out.write(manifestPath, text, { fsync: false });

  for (const list of [result.written, result.unchanged, result.removed]) list.sort();
  return result;
}

/** Whether the file is still the one the last build wrote: a real file with the size and hash it recorded. */
async function stillWritten(out: ConfinedFolder, target: string, entry: ManifestEntry): Promise<boolean> {
  const stat = await out.stat(target);
  if (!stat?.isFile() || stat.size !== entry.size) return false;
  const bytes = await out.read(target);
  return bytes !== null && sha256(bytes) === entry.hash;
}
