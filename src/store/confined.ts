import { randomInt } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { StorageError, SymlinkError, TermpressError } from '../core/errors.js';
import { isErrno, storageFailure } from './fsx.js';
import { displayPath } from './layout.js';

// A blog comes from `git clone` and may be hostile: git stores symbolic links, so a committed
// `posts/<id>.json -> ~/.bashrc` or `.termpress -> ~` would make every read and write of the blog a
// read or write of the user's own files. Every file termpress touches inside a folder it owns (the
// blog, a build's output, and media and likes as they come) therefore goes through a ConfinedFolder,
// which never follows a link below its root: each folder on the way is checked with lstat, files
// are opened with O_NOFOLLOW, and writes go to an exclusive temp file renamed over the name, which
// replaces a link rather than writing through it. The root itself may be reached through links
// (/tmp -> /private/tmp, a ~/blog link): only what lies inside it is the clone's.
//
// write-file-atomic is not used for the same reason: it resolves the target's links and writes to
// what they point at.

/**
 * What a link inside the folder meets: `refuse` (the blog's own files: a storage error naming the
 * link) or `replace` (a build's output, which termpress rewrites: the link gives way to a real file
 * or folder, its target left alone).
 */
export type LinkPolicy = 'refuse' | 'replace';

export interface ConfinedOptions {
  links: LinkPolicy;
  /** The folder as messages name it: "the blog", "the output folder". */
  label: string;
  /**
   * Remember the folders already found real, for one run that writes thousands of files (a build).
   * Off for a store that lives long (the comment server), where a `git pull` may replace a folder.
   */
  remember?: boolean;
}

export interface WriteOptions {
  /** Flush the file to disk before it replaces the old one (default true). */
  fsync?: boolean;
  /** The new file's permissions, set before a byte is written. */
  mode?: number;
  /**
   * Give the new file a modification time later than the one it replaces: file times are only as fine
   * as the kernel's clock tick, and two writes in one tick would leave the same size and time.
   */
  later?: boolean;
  /**
   * Told what the write would replace (null: nothing) before a byte is written; what it throws stops
   * the write, leaving the file as it is.
   */
  check?: (existing: Stats | null) => void;
}

/** What an atomic write replaced (null when there was no file) and what it left. */
export interface Written {
  replaced: Stats | null;
  written: Stats;
}

const NO_FOLLOW_READ = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// No O_CREAT: only a file that is there already is written; opened before truncating, so a FIFO never blocks.
const NO_FOLLOW_WRITE = constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A folder termpress owns, whose files it reads, writes and removes without ever following a link inside it. */
export class ConfinedFolder {
  readonly root: string;
  private readonly links: LinkPolicy;
  private readonly label: string;
  private readonly known: Set<string> | undefined;

  constructor(root: string, options: ConfinedOptions) {
    this.root = path.resolve(root);
    this.links = options.links;
    this.label = options.label;
    this.known = options.remember ? new Set() : undefined;
  }

  /** The error for a link where a real file or folder belongs: one line naming it and the fix. */
  linkError(file: string, kind: 'file' | 'folder'): SymlinkError {
    return new SymlinkError(
      `${displayPath(file)} is a symbolic link, which termpress does not follow inside ${this.label}: replace it with a real ${kind} (or remove it).`,
    );
  }

  /**
   * Makes sure every folder from the root down to dir is a real folder. Missing ones are created when
   * `create`, else the answer is false; a link is refused, or replaced when the policy says so and
   * `create` (reading or removing through a replaced link finds nothing of termpress's: false).
   */
  async folder(dir: string, create: boolean): Promise<boolean> {
    const parts = this.partsOf(dir);
    if (create && !this.known?.has(this.root)) {
      await fs.mkdir(this.root, { recursive: true }).catch((error: unknown) => {
        throw storageFailure('create the folder', this.root, error);
      });
      this.known?.add(this.root);
    }
    let current = this.root;
    for (const part of parts) {
      current = path.join(current, part);
      if (this.known?.has(current)) continue;
      if (!(await this.realFolder(current, create))) return false;
      this.known?.add(current);
    }
    return true;
  }

  private async realFolder(dir: string, create: boolean): Promise<boolean> {
    // A few rounds, for builds that create the same folder from several pages at once.
    for (let attempt = 0; attempt < 3; attempt++) {
      const stat = await this.lstat(dir);
      if (stat?.isDirectory()) return true;
      if (stat?.isSymbolicLink()) {
        if (this.links === 'refuse') throw this.linkError(dir, 'folder');
        if (!create) return false;
        await fs.unlink(dir).catch((error: unknown) => {
          if (!isErrno(error, 'ENOENT')) throw storageFailure('replace the link', dir, error);
        });
      } else if (stat) {
        throw new StorageError(`${displayPath(dir)} is a file where ${this.label} needs a folder: move it away.`);
      } else if (!create) {
        return false;
      }
      await fs.mkdir(dir).catch((error: unknown) => {
        if (!isErrno(error, 'EEXIST')) throw storageFailure('create the folder', dir, error);
      });
    }
    throw new StorageError(`${displayPath(dir)} keeps changing while termpress creates it; retry.`);
  }

  /** A file's own status (never its link's target's): null when missing, or a link under `replace`; a link under `refuse` is an error. */
  async stat(file: string): Promise<Stats | null> {
    if (!(await this.folder(path.dirname(file), false))) return null;
    const stat = await this.lstat(file);
    if (stat?.isSymbolicLink()) {
      if (this.links === 'refuse') throw this.linkError(file, 'file');
      return null;
    }
    return stat;
  }

  /** A file's bytes, or null when it is missing (or a link under `replace`); a link under `refuse` is an error. */
  async read(file: string): Promise<Buffer | null> {
    if (!(await this.folder(path.dirname(file), false))) return null;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, NO_FOLLOW_READ);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      // O_NOFOLLOW on a link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
      if (isErrno(error, 'ELOOP') || isErrno(error, 'EMLINK')) {
        if (this.links === 'refuse') throw this.linkError(file, 'file');
        return null;
      }
      throw storageFailure('read', file, error);
    }
    try {
      // A FIFO or a device would hang or never end; a folder is not a file.
      if (!(await handle.stat()).isFile())
        throw new StorageError(`${displayPath(file)} is not a regular file: replace it with one (or remove it).`);
      return await handle.readFile();
    } catch (error) {
      if (error instanceof TermpressError) throw error;
      throw storageFailure('read', file, error);
    } finally {
      await handle.close();
    }
  }

  /** A text file's content, or null as for read. */
  async readText(file: string): Promise<string | null> {
    return (await this.read(file))?.toString('utf8') ?? null;
  }

  /** The entries of a folder inside (none when it is missing), each as itself: links are not followed. */
  async list(dir: string): Promise<Dirent[]> {
    if (!(await this.folder(dir, false))) return [];
    try {
      return await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw storageFailure('read the folder', dir, error);
    }
  }

  /**
   * Writes a file atomically: an exclusive temp file beside it, flushed (when fsync), then renamed over
   * it, so a reader sees the old file or the new one. The folders on the way are created as needed.
   * Returns the status of the file replaced (null when there was none) and of the file written.
   */
  async write(file: string, data: string | Buffer, options: WriteOptions = {}): Promise<Written> {
    let written: Stats | undefined;
    const keepMode = options.mode === undefined;
    const replaced = await this.replace(file, options.check, keepMode, async (handle, existing) => {
      // Before the data: a private file (the blog's secret) is never readable by others, not even for a moment.
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(data);
      written = await handle.stat();
      if (options.later && existing?.isFile() && written.mtimeMs <= existing.mtimeMs) {
        // A millisecond on: within what a double holds of seconds since 1970 (a fraction of a microsecond).
        await handle.utimes(written.atime, (existing.mtimeMs + 1) / 1000);
        written = await handle.stat();
      }
      // Made with the old file's permissions less those the umask takes away (never more than the old
      // file's): the rest given back now, which the usual umask and files leave nothing to do.
      if (keepMode && existing?.isFile() && (written.mode & 0o7777) !== (existing.mode & 0o7777)) {
        await handle.chmod(existing.mode & 0o7777);
        written = await handle.stat();
      }
      // Last, so that the flush carries the time set above too.
      if (options.fsync ?? true) await handle.sync();
    });
    return { replaced: replaced?.isFile() ? replaced : null, written: written! };
  }

  /** Writes a file from a producer that streams into it, atomically as write does; nothing is left when the producer fails. */
  async writeStream(file: string, produce: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
    await this.replace(file, undefined, false, async (handle) => {
      // The stream flushes the file to disk and closes the handle when it ends.
      const stream = handle.createWriteStream({ flush: true });
      try {
        await produce(stream);
        await new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.once('close', resolve);
          stream.end();
        });
      } finally {
        // A stream left open would hold the handle open for ever.
        stream.destroy();
      }
    });
  }

  /** Fills a temp file and renames it over the file; returns the status of what it replaced, if anything. */
  private async replace(
    file: string,
    check: WriteOptions['check'],
    /** The fill sets the old file's permissions itself, once it has written (see write). */
    fillKeepsMode: boolean,
    fill: (handle: fs.FileHandle, existing: Stats | null) => Promise<void>,
  ): Promise<Stats | null> {
    const dir = path.dirname(file);
    await this.folder(dir, true);
    const existing = await this.lstat(file);
    if (existing?.isSymbolicLink() && this.links === 'refuse') throw this.linkError(file, 'file');
    check?.(existing?.isFile() ? existing : null);
    const { handle, temp } = await createTemp(file, existing?.isFile() ? existing.mode & 0o777 : undefined);
    try {
      try {
        if (existing?.isFile()) {
          // Keep the file's permissions and owner, as an edit in place would.
          if (!fillKeepsMode) await handle.chmod(existing.mode & 0o7777);
          if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
            await handle.chown(existing.uid, existing.gid).catch(() => undefined);
          }
        }
        await fill(handle, existing);
      } finally {
        // Already closed by a stream that ended; closing again is a no-op.
        await handle.close();
      }
      // rename replaces the name: a link put there meanwhile is replaced, never written through.
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      if (error instanceof TermpressError) throw error;
      throw storageFailure('write', file, error);
    }
    return existing;
  }

  /**
   * Writes over an existing regular file in place, creating nothing beside it: for a file another
   * program made and reads back (git's merge driver gets one file to write its result into). A link or
   * anything but a regular file is refused.
   */
  async overwrite(file: string, data: string | Buffer): Promise<void> {
    if (!(await this.folder(path.dirname(file), false))) throw new StorageError(`${displayPath(file)} does not exist.`);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, NO_FOLLOW_WRITE);
    } catch (error) {
      if (isErrno(error, 'ELOOP') || isErrno(error, 'EMLINK')) throw this.linkError(file, 'file');
      throw storageFailure('write', file, error);
    }
    try {
      if (!(await handle.stat()).isFile()) throw new StorageError(`${displayPath(file)} is not a regular file.`);
      await handle.truncate(0);
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      if (error instanceof TermpressError) throw error;
      throw storageFailure('write', file, error);
    } finally {
      await handle.close();
    }
  }

  /** Removes a file (never a link's target, never through a linked folder); false when there was none. */
  async remove(file: string): Promise<boolean> {
    const stat = await this.stat(file);
    if (!stat) return false;
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw storageFailure('remove', file, error);
    }
  }

  /** Removes the folders left empty from dir up to, not including, the root. */
  async removeEmptyFolders(dir: string): Promise<void> {
    if (!(await this.folder(dir, false))) return;
    for (let current = dir; current.startsWith(this.root + path.sep); current = path.dirname(current)) {
      try {
        await fs.rmdir(current);
        this.known?.delete(current);
      } catch {
        return;
      }
    }
  }

  private partsOf(target: string): string[] {
    const relative = path.relative(this.root, path.resolve(target));
    if (relative === '') return [];
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      throw new StorageError(`Refusing to touch ${displayPath(target)}: it is outside ${this.label} (${displayPath(this.root)}).`);
    }
    return relative.split(path.sep);
  }

  private async lstat(file: string): Promise<Stats | null> {
    try {
      return await fs.lstat(file);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw storageFailure('read', file, error);
    }
  }
}

/** The blog's own folder: a link inside it is refused. `remember` is for one run of many writes (see ConfinedOptions). */
export function blogFolder(dir: string, options: { remember?: boolean } = {}): ConfinedFolder {
  return new ConfinedFolder(dir, { links: 'refuse', label: 'the blog', ...options });
}

/**
 * The name of the file an atomic write was writing when it was killed, if `name` is such a write's temp
 * file: `<name>.<digits>` (see createTemp), or `<name>.<hex>` as older versions wrote them.
 */
export function writeLeftoverOf(name: string): string | null {
  const match = /^(.+)\.(?:\d+|[0-9a-f]{6,})$/.exec(name);
  return match ? match[1]! : null;
}

/**
 * A temp file beside the target, created exclusively (O_EXCL: never through a link someone put at its
 * name) and named `<name>.<digits>`, the shape doctor and listings know as a leftover of a killed write.
 */
async function createTemp(file: string, mode?: number): Promise<{ handle: fs.FileHandle; temp: string }> {
  for (let attempt = 0; ; attempt++) {
    const temp = `${file}.${randomInt(1e9, 1e12)}`;
    try {
      return { handle: await fs.open(temp, 'wx', mode), temp };
    } catch (error) {
      if (!isErrno(error, 'EEXIST') || attempt >= 5) throw storageFailure('write', file, error);
    }
  }
}
