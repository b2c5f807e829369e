import { mkdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { StorageError } from '../core/errors.js';
import { sha256 } from './hash.js';

/** One file of the site: where it goes, what it is made from, and how to make it. */
export interface Job {
  /** Path under the output folder, "/"-separated. */
  file: string;
  /** Everything the file's content depends on besides the build's global key, JSON-serialisable. */
  inputs: unknown;
  render: () => string | Buffer;
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
 */
export async function writeSite(
  outDir: string,
  globalKey: string,
  jobs: readonly Job[],
  options: { clean: boolean; onProgress?: ((done: number, total: number) => void) | undefined },
): Promise<WriteResult> {
  const root = resolve(outDir);
  const previous = await readManifest(root);
  const next: Manifest = { version: MANIFEST_VERSION, files: {} };
  const result: WriteResult = { written: [], unchanged: [], removed: [], rendered: 0 };
  await mkdir(root, { recursive: true }).catch((error: unknown) => fail(`create ${root}`, error));

  // Many pages share a folder; creating each once saves thousands of system calls on a cold build.
  const made = new Set<string>([root]);
  const makeFolder = async (dir: string): Promise<void> => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true }).catch((error: unknown) => fail(`create ${dir}`, error));
    for (let d = dir; d.startsWith(root + sep); d = dirname(d)) made.add(d);
  };
  let done = 0;
  for (let start = 0; start < jobs.length; start += BATCH) {
    const batch = jobs.slice(start, start + BATCH);
    await Promise.all(
      batch.map(async (job) => {
        const target = inside(root, job.file);
        const key = sha256(globalKey + '\n' + JSON.stringify(job.inputs));
        const old = options.clean ? undefined : previous.files[job.file];
        const onDisk = old ? await sizeOf(target) : undefined;
        if (old && old.key === key && onDisk === old.size) {
          next.files[job.file] = old;
          result.unchanged.push(job.file);
          return;
        }
        const content = job.render();
        result.rendered++;
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        const entry: ManifestEntry = { key, hash: sha256(bytes), size: bytes.length };
        next.files[job.file] = entry;
        if (old && old.hash === entry.hash && onDisk === entry.size) {
          result.unchanged.push(job.file);
          return;
        }
        await makeFolder(dirname(target));
        // Atomic so that a server never serves half a page; fsync is left to the OS for speed.
        await writeFileAtomic(target, bytes, { fsync: false }).catch((error: unknown) => fail(`write ${target}`, error));
        result.written.push(job.file);
      }),
    );
    done += batch.length;
    options.onProgress?.(done, jobs.length);
  }

  for (const file of Object.keys(previous.files)) {
    if (file in next.files) continue;
    const target = inside(root, file, true);
    if (!target) continue;
    await unlink(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') fail(`remove ${target}`, error);
    });
    result.removed.push(file);
    await removeEmptyFolders(root, dirname(target));
  }

  const sorted: Manifest = { version: MANIFEST_VERSION, files: Object.fromEntries(Object.keys(next.files).sort().map((f) => [f, next.files[f]!])) };
  const text = JSON.stringify(sorted, null, 1) + '\n';
  const manifestPath = join(root, MANIFEST_NAME);
  const oldText = await readFile(manifestPath, 'utf8').catch(() => '');
  if (text !== oldText) await writeFileAtomic(manifestPath, text, { fsync: false }).catch((error: unknown) => fail(`write ${manifestPath}`, error));

  for (const list of [result.written, result.unchanged, result.removed]) list.sort();
  return result;
}

/** The last build's manifest; a missing or unreadable one just means everything is rebuilt. */
async function readManifest(root: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await readFile(join(root, MANIFEST_NAME), 'utf8')) as Partial<Manifest>;
    if (parsed.version === MANIFEST_VERSION && parsed.files && typeof parsed.files === 'object') return parsed as Manifest;
  } catch {
    // Absent or damaged: it is a cache, never needed for correctness.
  }
  return { version: MANIFEST_VERSION, files: {} };
}

/** The absolute path of an output file, refusing any that would land outside the output folder. */
function inside(root: string, file: string): string;
function inside(root: string, file: string, lenient: true): string | undefined;
function inside(root: string, file: string, lenient = false): string | undefined {
  const target = resolve(root, file);
  if (target.startsWith(root + sep)) return target;
  if (lenient) return undefined;
  throw new StorageError(`Refusing to write ${file}: it is outside ${root}`);
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Removes folders left empty by a removed page, up to (not including) the output folder. */
async function removeEmptyFolders(root: string, dir: string): Promise<void> {
  for (let current = dir; current.startsWith(root + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}

function fail(what: string, error: unknown): never {
  throw new StorageError(`Cannot ${what}: ${(error as Error).message}`, { cause: error });
}
