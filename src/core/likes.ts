/** Readers' likes of posts, as stored and as a backup carries them. */
import * as z from './zod.js';
import { once } from './once.js';

/**
 * One reader's like of a post. Readers are kept only as keyed hashes (HMAC with the blog's
 * secret, salted with the post's id) of their browser's cookie and of their network: never an
 * address, never a cookie, and no hash that links one reader's likes across posts.
 */
export interface Like {
  reader: string;
  net: string;
  at: string;
}

const hash = () => z.string().regex(/^[0-9a-f]{16,64}$/, 'a hex hash');
/** One like as stored (and as a backup carries it). */
export const likeSchema = once(() => z.looseObject({ reader: hash(), net: hash(), at: z.iso.datetime({ offset: true }) }));

/** A post's likes; the limit keeps a hostile clone or backup from making every count read a huge file. */
export const likeListSchema = once(() => z.array(likeSchema()).max(1_000_000));

/** Likes as a backup or a file carries them, with only the fields termpress knows. */
export function likesOf(list: ReadonlyArray<{ reader: string; net: string; at: string }>): Like[] {
  return list.map(({ reader, net, at }) => ({ reader, net, at }));
}

/** Two lists of likes as one, each reader once, oldest first. */
export function mergeLikes(a: readonly Like[], b: readonly Like[]): Like[] {
  const seen = new Set<string>();
  const out: Like[] = [];
  for (const like of [...a, ...b].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))) {
    if (seen.has(like.reader)) continue;
    seen.add(like.reader);
    out.push(like);
  }
  return out;
}

/** The line under a post's Like button (and in `post show`), worded for none, one and many. */
export function likesText(count: number): string {
  if (count === 0) return 'Be the first to like this.';
  return count === 1 ? '1 blogger likes this.' : `${count} bloggers like this.`;
}
