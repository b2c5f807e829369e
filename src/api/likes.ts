/** Readers' likes of posts: one per reader per post, kept in likes/<postId>.json beside the posts. */

import { createHmac } from 'node:crypto';
import { NotFoundError, RefusedError } from '../core/errors.js';
import { mergeLikes, type Like } from '../core/likes.js';
import { countAllLikes, postsWithLikes, readLikes, writeLikes } from '../store/likes.js';
import { blogSecret } from '../store/secret.js';
import type { CommentHost } from './comments.js';

/** Who likes, as the server knows them; only keyed hashes of these are stored. */
export interface Liker {
  /** The reader's browser id (the like cookie's value, checked by the server). */
  readerId: string;
  /** The reader's network, already anonymised: "192.0.2.0/24" or "2001:db8:1::/48". */
  network: string;
  /** Whether the browser came without its cookie (readerId was just made for it). */
  cookieless: boolean;
}

/** A post's likes after a like: `added` is false when this reader had liked it already. */
export interface LikeResult {
  postId: string;
  count: number;
  added: boolean;
}

/** A keyed hash salted with the post: the same reader's likes of two posts cannot be linked. */
function keyed(secret: Buffer, purpose: string, postId: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${postId}\n${value}`).digest('hex').slice(0, 32);
}

/**
 * Likes a published post once per reader. A browser with its cookie is one reader; one without is
 * taken for a reader of its network who liked the post already, if any did, so that dropping the
 * cookie does not like again. The post file is not written: its revision and updatedAt stay.
 */
export async function likePost(host: CommentHost, postRef: string, liker: Liker): Promise<LikeResult> {
  if (!(await host.exists())) throw new NotFoundError(`No post "${postRef}": the blog has no posts yet.`);
  const secret = await blogSecret(host.store);
  return host.write(async () => {
    const postId = await host.resolvePostId(postRef);
    const post = await host.store.readPost(postId);
    if (post.status !== 'published') throw new RefusedError(`Post ${postId} is not published, so it cannot be liked.`);
    const { files, layout } = host.store;
    const likes = await readLikes(files, layout, postId);
    const reader = keyed(secret, 'reader', postId, liker.readerId);
    const net = keyed(secret, 'net', postId, liker.network);
    const already = likes.some((like) => like.reader === reader || (liker.cookieless && like.net === net));
    if (already) return { postId, count: likes.length, added: false };
    likes.push({ reader, net, at: host.now().toISOString() });
    await writeLikes(files, layout, postId, likes);
    return { postId, count: likes.length, added: true };
  });
}

/** How many readers like a post. */
export async function likeCount(host: CommentHost, postRef: string): Promise<{ postId: string; count: number }> {
  if (!(await host.exists())) throw new NotFoundError(`No post "${postRef}": the blog has no posts yet.`);
  const postId = await host.resolvePostId(postRef);
  return { postId, count: (await readLikes(host.store.files, host.store.layout, postId)).length };
}

/** Clears a post's likes, returning how many there were. */
export async function resetLikes(host: CommentHost, postRef: string): Promise<{ postId: string; removed: number }> {
  if (!(await host.exists())) throw new NotFoundError(`No post "${postRef}": the blog has no posts yet.`);
  return host.write(async () => {
    const postId = await host.resolvePostId(postRef);
    const { files, layout } = host.store;
    const removed = (await readLikes(files, layout, postId)).length;
    if (removed > 0) await writeLikes(files, layout, postId, []);
    return { postId, removed };
  });
}

/** The like count of every post that has likes. */
export async function allLikeCounts(host: CommentHost): Promise<Map<string, number>> {
  if (!(await host.exists())) return new Map();
  return countAllLikes(host.store.files, host.store.layout);
}

/** Every post's likes as stored, for the JSON backup. */
export async function allLikes(host: CommentHost): Promise<Map<string, Like[]>> {
  const all = new Map<string, Like[]>();
  if (!(await host.exists())) return all;
  const { files, layout } = host.store;
  for (const postId of await postsWithLikes(files, layout)) {
    const likes = await readLikes(files, layout, postId);
    if (likes.length > 0) all.set(postId, likes);
  }
  return all;
}

/** Brings back a post's likes from a backup, merged with any it has (each reader once); the post must exist. */
export async function restoreLikes(host: CommentHost, postId: string, likes: readonly Like[]): Promise<void> {
  if (likes.length === 0) return;
  await host.write(async () => {
    if (!(await host.store.hasPost(postId))) return;
    const { files, layout } = host.store;
    await writeLikes(files, layout, postId, mergeLikes(await readLikes(files, layout, postId), likes));
  });
}
