import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type { ConfinedFolder } from '../store/confined.js';

/** The name of the build manifest kept in the output folder. */
export const MANIFEST_NAME = '.termpress-build.json';
/** Bumped when the manifest's shape changes. */
export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  /** Hash of the global key and the job's inputs: equal means the file need not be rendered. */
  key: string;
  /** Hash of the bytes written: equal means the file need not be written. */
  hash: string;
  size: number;
}

/**
 * What the whole site was made from, so that a build of an unchanged blog can stop before reading any
 * post or loading the renderer (see stamp.ts): the digest of every source, the first instant at which
 * the clock alone changes the site (a scheduled post falls due, comments close), and what the build
 * reported then.
 */
export interface BuildStamp {
  key: string;
  /** Milliseconds since the epoch; null when no time to come changes anything. */
  until: number | null;
  postsShown: number;
  postsMoved: number;
  redirects: number;
  themeCode: { files: string[]; digest: string } | null;
}

export interface Manifest {
  version: number;
  files: Record<string, ManifestEntry>;
  stamp?: BuildStamp | undefined;
}

/**
 * The last build's manifest; a missing, unreadable or linked one just means everything is rebuilt.
 * Entries that are not plain paths with a key, hash and size are dropped: the file may be hostile.
 */
export async function readManifest(out: ConfinedFolder): Promise<Manifest> {
  const files: Record<string, ManifestEntry> = {};
  let stamp: BuildStamp | undefined;
  try {
    const parsed = JSON.parse((await out.readText(join(out.root, MANIFEST_NAME))) ?? '') as Partial<Manifest>;
    if (parsed.version === MANIFEST_VERSION && parsed.files && typeof parsed.files === 'object') {
      for (const [file, entry] of Object.entries(parsed.files as Record<string, Partial<ManifestEntry> | null>)) {
        if (outputPath(out.root, file) === undefined || typeof entry !== 'object' || entry === null) continue;
        const { key, hash, size } = entry;
        if (typeof key === 'string' && typeof hash === 'string' && typeof size === 'number') files[file] = { key, hash, size };
      }
      stamp = validStamp(parsed.stamp);
    }
  } catch {
    // Absent or damaged: it is a cache, never needed for correctness.
  }
  return { version: MANIFEST_VERSION, files, stamp };
}

function validStamp(value: unknown): BuildStamp | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, until, postsShown, postsMoved, redirects, themeCode } = value as Record<string, unknown>;
  if (typeof key !== 'string' || (until !== null && typeof until !== 'number')) return undefined;
  if (typeof postsShown !== 'number' || typeof postsMoved !== 'number' || typeof redirects !== 'number') return undefined;
  let code: BuildStamp['themeCode'] = null;
  if (themeCode !== null) {
    const { files, digest } = (themeCode ?? {}) as Record<string, unknown>;
    if (!Array.isArray(files) || !files.every((file) => typeof file === 'string') || typeof digest !== 'string') return undefined;
    code = { files: files as string[], digest };
  }
  return { key, until, postsShown, postsMoved, redirects, themeCode: code };
}

/**
 * The absolute path of an output file named "a/b/c.html", or undefined unless it is a plain path
 * inside the output folder: no empty, "." or ".." part, no backslash or NUL, not absolute, not the manifest.
 */
export function outputPath(root: string, file: string): string | undefined {
  if (file === MANIFEST_NAME || NOT_PLAIN.test(file)) return undefined;
  // Plain parts joined to a resolved root are what path.resolve would make of them, at a fraction of its
  // cost (a build asks this of every file of the site); a root given otherwise is resolved first.
  return folderOf(root) + (sep === '/' ? file : file.split('/').join(sep));
}

/** An empty, "." or ".." part (a leading or trailing "/" makes an empty one), or a backslash or NUL anywhere. */
const NOT_PLAIN = /(?:^|\/)\.{0,2}(?:\/|$)|[\\\0]/;

let lastRoot: { root: string; folder: string } | undefined;

/** The root as a resolved folder ending with a separator (the last one asked for is kept: a build asks of one root). */
function folderOf(root: string): string {
  if (lastRoot?.root !== root) {
    const folder = isAbsolute(root) && normalize(root) === root ? root : resolve(root);
    lastRoot = { root, folder: folder.endsWith(sep) ? folder : folder + sep };
  }
  return lastRoot.folder;
}

/**
 * The size of a file of the output folder as it is now, or undefined when it is not a real file reached
 * through real folders (missing, a link, or below a linked folder): such a file is rendered and written
 * again (the write replaces the link). Synchronous, and each folder is looked at once: a build asks this
 * of every page whose inputs are unchanged.
 */
export function outputSizer(root: string): (target: string) => number | undefined {
  const folders = new Map<string, boolean>([[root, true]]);
  const realFolder = (dir: string): boolean => {
    let real = folders.get(dir);
    if (real === undefined) {
      const parent = dirname(dir);
      real = parent !== dir && dir.startsWith(root + sep) && realFolder(parent) && (lstatOrNull(dir)?.isDirectory() ?? false);
      folders.set(dir, real);
    }
    return real;
  };
  return (target) => {
    if (!realFolder(dirname(target))) return undefined;
    return fileSize(target);
  };
}

/**
 * The bytes of a real file of the output folder reached through real folders (see outputSizer), or
 * undefined. Synchronous: a build asks it of every page it renders afresh, to write only what changed.
 */
export function outputReader(size: (target: string) => number | undefined): (target: string) => Buffer | undefined {
  return (target) => {
    if (size(target) === undefined) return undefined;
    let fd: number;
    try {
      // O_NOFOLLOW: a link put there since the look above is not read through.
      fd = openSync(target, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch {
      return undefined;
    }
    try {
      return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  };
}

/** The size of a real file (not a link), or undefined. */
export function fileSize(target: string): number | undefined {
  const stat = lstatOrNull(target);
  return stat?.isFile() ? stat.size : undefined;
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** A file's own status, or null when it cannot be had (missing, a file where a folder is, no permission): the write that follows says why. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path, NO_THROW) ?? null;
  } catch {
    return null;
  }
}
