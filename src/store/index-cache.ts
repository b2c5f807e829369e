import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BlogLayout } from './layout.js';
import { isErrno, storageFailure, toJsonText, writeFileAtomic } from './fsx.js';
import type { PostSummary } from './summary.js';

const INDEX_VERSION = 1;

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

/** The index as stored, or an empty one when it is missing or unreadable: it is only a cache. */
export async function readIndex(layout: BlogLayout): Promise<IndexFile> {
  try {
    const parsed = JSON.parse(await fs.readFile(layout.indexFile, 'utf8')) as IndexFile;
    if (parsed.version === INDEX_VERSION && parsed.posts && typeof parsed.posts === 'object') return parsed;
  } catch {
    // Missing or damaged: rebuilt from the post files below.
  }
  return { version: INDEX_VERSION, posts: {} };
}

/** Saves the index; failing to save a cache is not worth failing a command for. */
export async function writeIndex(layout: BlogLayout, index: IndexFile): Promise<void> {
  await writeFileAtomic(layout.indexFile, toJsonText(index)).catch(() => undefined);
}

/** The post files in the blog with their sizes and modification times. */
export async function statPostFiles(layout: BlogLayout): Promise<Map<string, { file: string; size: number; mtimeMs: number }>> {
  let names: string[];
  try {
    names = await fs.readdir(layout.postsDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return new Map();
    throw storageFailure('read the folder', layout.postsDir, error);
  }
  const files = new Map<string, { file: string; size: number; mtimeMs: number }>();
  await Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .map(async (name) => {
        const file = path.join(layout.postsDir, name);
        try {
          const stat = await fs.stat(file);
          if (stat.isFile()) files.set(name.slice(0, -'.json'.length), { file, size: stat.size, mtimeMs: stat.mtimeMs });
        } catch (error) {
          // A file removed between readdir and stat is simply gone.
          if (!isErrno(error, 'ENOENT')) throw storageFailure('read', file, error);
        }
      }),
  );
  return files;
}
