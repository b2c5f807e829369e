import { promises as fs } from 'node:fs';
import { NotFoundError, StorageError } from '../core/errors.js';
import { displayPath } from './layout.js';

/** Whether an error is a Node file-system error with this code. */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/** A file-system failure as a storage error naming the file and what to do. */
export function storageFailure(action: string, file: string, error: unknown): StorageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint =
    code === 'ENOSPC'
      ? 'the disk is full; free some space and retry'
      : code === 'EROFS'
        ? 'the file system is read-only; mount it writable or copy the blog elsewhere'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied; check the folder is writable'
          : ((error as Error | undefined)?.message ?? String(error));
  return new StorageError(`Cannot ${action} ${displayPath(file)}: ${hint}.`, { cause: error });
}

/**
 * Reads a text file a person named (--body-file, an import); a missing file is null, any other failure
 * a storage error. Links are followed here: files of the blog itself are read through ConfinedFolder.
 */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw storageFailure('read', file, error);
  }
}

/** Reads the bytes of a file a person named; a missing file is null, any other failure a storage error. */
export async function readBytesIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw storageFailure('read', file, error);
  }
}

/** Reads a text file that must exist; what is missing is named. */
export async function readText(file: string, what = 'file'): Promise<string> {
  const text = await readTextIfExists(file);
  if (text === null) throw new NotFoundError(`No ${what} at ${displayPath(file)}.`);
  return text;
}

/** JSON as termpress writes it: two-space indents and a final newline, so files diff well in git. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
