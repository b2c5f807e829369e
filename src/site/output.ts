import { dirname, join, resolve, sep } from 'node:path';
import { StorageError } from '../core/errors.js';
import { ConfinedFolder } from '../store/confined.js';
import { sha256 } from './hash.js';

/** One file of the site: where it goes, what it is made from, and how to make it. */
export interface Job {
  /** Path under the output folder, "/"-separated. */
  file: string;
  /** Everything the file's content depends on besides the build's global key, JSON-serialisable. */
  inputs: unknown;
  render: () => string | Buffer | Promise<string | Buffer>;
  /** What the file is, for messages: "post abcd1234 (slug hello)"; absent for the site's own pages. */
  owner?: string;
}

/** The name of the build manifest kept in the output folder. */
export const MANIFEST_NAME = '.termpress-build.json';
/** Bumped when the manifest's shape changes. */
const MANIFEST_VERSION = 1;

interface ManifestEntry {
  /** Hash of the global key and the job's inputs: equal means the file need not be rendered. */
  key: string;
  /** Hash of the bytes written: equal means the file need not be written. */
  hash: string;
  size: number;
}

interface Manifest {
  version: number;
  files: Record<string, ManifestEntry>;
}

/** What writing the site's files did. */
export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  rendered: number;
}

/** How many files are rendered and written before waiting for the disk. */
const BATCH = 32;

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
export async function writeSite(
  outDir: string,
  globalKey: string,
  jobs: readonly Job[],
  options: { clean: boolean; onProgress?: ((done: number, total: number) => void) | undefined },
): Promise<WriteResult> {
  const root = resolve(outDir);
  // Many pages share a folder; checking each once saves thousands of system calls on a cold build.
  const out = new ConfinedFolder(root, { links: 'replace', label: 'the output folder', remember: true });
  await out.folder(root, true);
  const previous = await readManifest(out);
  const next: Manifest = { version: MANIFEST_VERSION, files: {} };
  const result: WriteResult = { written: [], unchanged: [], removed: [], rendered: 0 };
  let done = 0;
  for (let start = 0; start < jobs.length; start += BATCH) {
    const batch = jobs.slice(start, start + BATCH);
    await Promise.all(
      batch.map(async (job) => {
        const target = outputPath(root, job.file);
        if (target === undefined) throw new StorageError(`Refusing to write ${job.file}: it is not a plain path inside ${root}.`);
        const key = sha256(globalKey + '\n' + JSON.stringify(job.inputs));
        const old = options.clean ? undefined : previous.files[job.file];
        // A link at the page's place is not the page: it is replaced below.
        const onDisk = old ? (await out.stat(target))?.size : undefined;
        if (old && old.key === key && onDisk === old.size) {
          next.files[job.file] = old;
          result.unchanged.push(job.file);
          return;
        }
        const content = await job.render();
        result.rendered++;
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        const entry: ManifestEntry = { key, hash: sha256(bytes), size: bytes.length };
        next.files[job.file] = entry;
        if (old && old.hash === entry.hash && onDisk === entry.size) {
          result.unchanged.push(job.file);
          return;
        }
        // Atomic so that a server never serves half a page; fsync is left to the OS for speed.
        await out.write(target, bytes, { fsync: false });
        result.written.push(job.file);
      }),
    );
    done += batch.length;
    options.onProgress?.(done, jobs.length);
  }

  for (const [file, entry] of Object.entries(previous.files)) {
    if (Object.hasOwn(next.files, file)) continue;
    const target = outputPath(root, file);
    if (target === undefined || !(await stillWritten(out, target, entry))) continue;
    if (await out.remove(target)) result.removed.push(file);
    await out.removeEmptyFolders(dirname(target));
  }

  const sorted: Manifest = { version: MANIFEST_VERSION, files: Object.fromEntries(Object.keys(next.files).sort().map((f) => [f, next.files[f]!])) };
  const text = JSON.stringify(sorted, null, 1) + '\n';
  const manifestPath = join(root, MANIFEST_NAME);
  const oldText = (await out.readText(manifestPath).catch(() => null)) ?? '';
  if (text !== oldText) await out.write(manifestPath, text, { fsync: false });

  for (const list of [result.written, result.unchanged, result.removed]) list.sort();
  return result;
}

/**
 * The last build's manifest; a missing, unreadable or linked one just means everything is rebuilt.
 * Entries that are not plain paths with a key, hash and size are dropped: the file may be hostile.
 */
async function readManifest(out: ConfinedFolder): Promise<Manifest> {
  const files: Record<string, ManifestEntry> = {};
  try {
    const parsed = JSON.parse((await out.readText(join(out.root, MANIFEST_NAME))) ?? '') as Partial<Manifest>;
    if (parsed.version === MANIFEST_VERSION && parsed.files && typeof parsed.files === 'object') {
      for (const [file, entry] of Object.entries(parsed.files as Record<string, Partial<ManifestEntry> | null>)) {
        if (outputPath(out.root, file) === undefined || typeof entry !== 'object' || entry === null) continue;
        const { key, hash, size } = entry;
        if (typeof key === 'string' && typeof hash === 'string' && typeof size === 'number') files[file] = { key, hash, size };
      }
    }
  } catch {
    // Absent or damaged: it is a cache, never needed for correctness.
  }
  return { version: MANIFEST_VERSION, files };
}

/**
 * The absolute path of an output file named "a/b/c.html", or undefined unless it is a plain path
 * inside the output folder: no empty, "." or ".." part, no backslash or NUL, not absolute, not the manifest.
 */
function outputPath(root: string, file: string): string | undefined {
  const parts = file.split('/');
  if (file === MANIFEST_NAME || parts.some((part) => part === '' || part === '.' || part === '..' || /[\\\0]/.test(part))) return undefined;
  const target = resolve(root, ...parts);
  return target.startsWith(root + sep) ? target : undefined;
}

/** Whether the file is still the one the last build wrote: a real file with the size and hash it recorded. */
async function stillWritten(out: ConfinedFolder, target: string, entry: ManifestEntry): Promise<boolean> {
  const stat = await out.stat(target);
  if (!stat?.isFile() || stat.size !== entry.size) return false;
  const bytes = await out.read(target);
  return bytes !== null && sha256(bytes) === entry.hash;
}
