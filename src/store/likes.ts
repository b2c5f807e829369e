import path from 'node:path';
import * as z from '../core/zod.js';
import { once } from '../core/once.js';
import { StorageError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { likeListSchema, likesOf, type Like } from '../core/likes.js';
import { describeIssue } from '../core/schema.js';
import type { ConfinedFolder } from './confined.js';
import { toJsonText } from './fsx.js';
import type { BlogLayout } from './layout.js';
import { displayPath } from './layout.js';
import { parseJsonFile } from './schema.js';

/** A post's likes file. */
export const likesFileSchema = once(() =>
  z.looseObject({
    post: z.string().refine(isId, 'a termpress id'),
    likes: likeListSchema(),
  }),
);

/** The file of a post's likes (the id is whole and checked: it names a file). */
export function likesFile(layout: BlogLayout, postId: string): string {
  if (!isId(postId)) throw new StorageError(`"${postId}" is not a post id, so it has no likes file.`);
  return path.join(layout.likesDir, `${postId}.json`);
}

/** A post's likes, validated; none when the post has no file. */
export async function readLikes(files: ConfinedFolder, layout: BlogLayout, postId: string): Promise<Like[]> {
  const file = likesFile(layout, postId);
  const text = await files.readText(file);
  if (text === null) return [];
  const value = parseJsonFile(text, file);
  const result = likesFileSchema().safeParse(value);
  if (!result.success)
    throw new StorageError(
      `${displayPath(file)} is not a valid likes file: ${describeIssue(result.error, value)}; fix it or remove it, then run termpress doctor.`,
    );
  if (result.data.post !== postId)
    throw new StorageError(
      `${displayPath(file)} holds the likes of post "${result.data.post}", not "${postId}": rename it or fix the field "post".`,
    );
  return likesOf(result.data.likes);
}

/** Saves a post's likes atomically, oldest first; no likes removes the file. Call under the lock. */
export async function writeLikes(files: ConfinedFolder, layout: BlogLayout, postId: string, likes: readonly Like[]): Promise<void> {
  const file = likesFile(layout, postId);
  if (likes.length === 0) {
    await files.remove(file);
    return;
  }
  await files.write(file, toJsonText({ post: postId, likes }));
}

/** The post ids that have a likes file: names that are not a post id are left out (doctor reports them). */
export async function postsWithLikes(files: ConfinedFolder, layout: BlogLayout): Promise<string[]> {
  const entries = await files.list(layout.likesDir);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && isId(entry.name.slice(0, -'.json'.length)))
    .map((entry) => entry.name.slice(0, -'.json'.length))
    .sort();
}

/** How many likes each post has, from every file in likes/; a damaged file is reported, not guessed. */
export async function countAllLikes(files: ConfinedFolder, layout: BlogLayout): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const postId of await postsWithLikes(files, layout)) {
    const count = (await readLikes(files, layout, postId)).length;
    if (count > 0) counts.set(postId, count);
  }
  return counts;
}
