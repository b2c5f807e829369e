import { promises as fs } from 'node:fs';
import path from 'node:path';
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

/** Copies the settings and every post file into .termpress/backups/<stamp>/ before a migration. */
export async function backupBlog(layout: BlogLayout, label: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = path.join(layout.backupsDir, `${stamp}-${label}`);
  try {
    await fs.mkdir(path.join(target, 'posts'), { recursive: true });
    await fs.copyFile(layout.settingsFile, path.join(target, 'termpress.json'));
    const names = await fs.readdir(layout.postsDir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      await fs.copyFile(path.join(layout.postsDir, name), path.join(target, 'posts', name));
    }
  } catch (error) {
    throw storageFailure('back up the blog into', target, error);
  }
  return target;
}
