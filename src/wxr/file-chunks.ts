/** Reading a file as text chunks with a byte count, so parsers stream and progress can be shown. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { NotFoundError, UsageError } from '../core/errors.js';

/**
 * Progress through a file read twice, a checking pass and then the import: bytes read so far, of twice
 * its size. `firstPassDone` counts the first pass whole, whatever it stopped short of.
 */
export function twoPassProgress(size: number, onProgress: ((done: number, total: number) => void) | undefined) {
  let done = 0;
  return {
    add(bytes: number): void {
      done += bytes;
      onProgress?.(done, size * 2);
    },
    firstPassDone(): void {
      done = size;
    },
  };
}

/** The size of a file to import; a missing file is NotFoundError, a folder a UsageError. */
export async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} is not a file; give the path of an export file.`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`No such file: ${file}. Check the path of the export to import.`);
    }
    throw error;
  }
}

/** The file's text in chunks; `onBytes` hears how many bytes each chunk took, and UTF-8 split across chunks stays whole. */
export async function* textChunks(file: string, onBytes: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const buffer of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    const bytes = buffer as Buffer;
    let text = decoder.write(bytes);
    // A byte order mark is not content; saxes would otherwise see text before the root element.
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    onBytes(bytes.length);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}
