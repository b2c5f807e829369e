/** Ending the conflicts a git merge recorded in a post or in the settings: one side kept per field. */
import { NotFoundError, RefusedError, UsageError } from '../core/errors.js';
import { endConflict } from '../core/merge.js';
import type { ConflictSide } from '../core/merge.js';
import { assertStorablePost, nextRevision } from '../core/posts.js';
import type { BlogSettings, MergeConflict, Post } from '../core/types.js';
import { settingsWithDefaults } from '../store/schema.js';
import type { Blog } from './blog.js';

export interface ResolveOptions {
  /** The fields to end (default: every recorded one). */
  fields?: readonly string[] | undefined;
}

export interface Resolved<T> {
  value: T;
  /** The fields ended, with the side each kept. */
  ended: Array<{ field: string; side: ConflictSide }>;
}

/** The records a choice applies to; a named field that has none is a usage error listing those there are. */
function chosen(records: readonly MergeConflict[], fields: readonly string[] | undefined, what: string): MergeConflict[] {
  if (!fields) return [...records];
  const unknown = fields.filter((field) => !records.some((c) => c.field === field));
  if (unknown.length) {
    throw new UsageError(
      `${what} has no merge conflict in ${unknown.join(', ')}; its conflicts are in: ${records.map((c) => c.field).join(', ')}.`,
    );
  }
  return records.filter((c) => fields.includes(c.field));
}

/**
 * Ends a post's recorded merge conflicts: for each field, the side chosen (side, or per field), in one
 * write. A slug taken by another post meanwhile is refused. A post without conflicts is not written.
 */
export async function resolvePost(
  blog: Blog,
  ref: string,
  side: ConflictSide | ((conflict: MergeConflict) => ConflictSide),
  options: ResolveOptions = {},
): Promise<Resolved<Post>> {
  return blog.writeLocked(async () => {
    const id = await blog.resolvePostId(ref);
    const current = await blog.store.readPost(id);
    const records = chosen(current.conflicts ?? [], options.fields, `Post ${id}`);
    if (records.length === 0) return { value: current, ended: [] };
    let next = current;
    const ended: Resolved<Post>['ended'] = [];
    for (const record of records) {
      const pick = typeof side === 'function' ? side(record) : side;
      next = endConflict(next, record, pick);
      ended.push({ field: record.field, side: pick });
    }
    if (next.slug !== current.slug && (await blog.store.summaries()).some((p) => p.id !== id && p.slug === next.slug)) {
      throw new RefusedError(
        `The other side's slug "${next.slug}" is taken by another post: keep this side's (--ours), or change the other post's slug first.`,
      );
    }
    next = { ...next, revision: nextRevision(current), updatedAt: blog.now().toISOString() };
    assertStorablePost(next);
    await blog.store.writePost(next);
    return { value: next, ended };
  });
}

/** Ends the settings' recorded merge conflicts, each with the side chosen. */
export async function resolveSettings(blog: Blog, side: ConflictSide, options: ResolveOptions = {}): Promise<Resolved<BlogSettings>> {
  if (!(await blog.exists())) throw new NotFoundError(`No blog at ${blog.dir}: run termpress init there, or pass --blog <dir>.`);
  return blog.writeLocked(async () => {
    const current = await blog.store.readSettings();
    const records = chosen(current.conflicts ?? [], options.fields, 'The settings');
    let next = current;
    for (const record of records) next = endConflict(next, record, side);
    // A setting the other side did not have takes its default, as a file without it would.
    next = settingsWithDefaults(next as unknown as Record<string, unknown>, blog.store.layout.settingsFile);
    if (records.length) await blog.store.writeSettings(next);
    return { value: next, ended: records.map((record) => ({ field: record.field, side })) };
  });
}
