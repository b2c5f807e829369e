import path from 'node:path';
import { TermpressError } from '../core/errors.js';
import { blogFolder } from './confined.js';
import type { BlogLayout } from './layout.js';
import { storageFailure } from './fsx.js';

/** One step from schemaVersion n to n + 1, applied to the settings and to every post file. */
export interface Migration {
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  post(post: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The steps from each older schema to the next. Schema 1 is the first released one, so the table is
 * empty today; a change to the files adds a step here and raises SCHEMA_VERSION.
 */
export const MIGRATIONS: Record<number, Migration> = {};

/**
 * Copies the settings, every post file and every likes file into .termpress/backups/<stamp>/ before a migration or a
 * repair: read and written inside the blog only, so a link in the blog is refused rather than copied
 * from or written through.
 */
export async function backupBlog(layout: BlogLayout, label: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = path.join(layout.backupsDir, `${stamp}-${label}`);
  const files = blogFolder(layout.dir);
  try {
    await files.folder(path.join(target, 'posts'), true);
    const copy = async (from: string, to: string) => {
      const bytes = await files.read(from);
      // Unflushed, as a copy would be: thousands of posts must not wait for a disk flush each.
      if (bytes !== null) await files.write(to, bytes, { fsync: false });
    };
    await copy(layout.settingsFile, path.join(target, 'termpress.json'));
    for (const entry of await files.list(layout.postsDir)) {
      if (entry.name.endsWith('.json')) await copy(path.join(layout.postsDir, entry.name), path.join(target, 'posts', entry.name));
    }
    for (const entry of await files.list(layout.likesDir)) {
      if (entry.isFile() && entry.name.endsWith('.json'))
        await copy(path.join(layout.likesDir, entry.name), path.join(target, 'likes', entry.name));
    }
  } catch (error) {
    if (error instanceof TermpressError) throw error;
    throw storageFailure('back up the blog into', target, error);
  }
  return target;
}
