import { StorageError } from '../core/errors.js';
import { isVisibleNow, postDate } from '../core/posts.js';
import type { Post } from '../core/types.js';
import type { PostSummary } from '../store/summary.js';

/** Why a post that readers would not see yet is in a preview build. */
export type PreviewStatus = 'draft' | 'pending' | 'scheduled';

/**
 * What a build knows of every post without reading its file: all but its body and comments, with the
 * counts of its comments (the index's summary). Bodies and comments are read only for the pages that
 * are rendered (see SiteContext).
 */
export type PostMeta = PostSummary;

/** A post the build shows, with the instant that orders and dates it. */
export interface ShownPost {
  post: PostMeta;
  /** null for posts readers see; otherwise what the preview marks it as. */
  preview: PreviewStatus | null;
  /** publishedAt, or for a preview of an undated post its creation time. */
  date: string;
  /** `date` in milliseconds, for sorting. */
  time: number;
}

/** Whether a post must never appear on the site: password-protected or private imports. */
export function isPrivate(post: Pick<Post, 'legacy'>): boolean {
  const legacy = post.legacy ?? {};
  // WordPress's post_password and post_status "private", as the WXR import keeps them (legacy.password,
  // legacy.wpStatus); such posts are imported as drafts, so even a preview build must leave them out.
  return Boolean(legacy['password']) || legacy['wpStatus'] === 'private' || legacy['status'] === 'private';
}

/** The posts a build shows at `now`, newest first (ties by id, so the order is stable). */
export function selectShownPosts(posts: readonly PostMeta[], now: Date, drafts: boolean): ShownPost[] {
  const shown: ShownPost[] = [];
  for (const post of posts) {
    if (post.status === 'trash' || isPrivate(post)) continue;
    const date = postDate(post);
    const time = Date.parse(date);
    if (Number.isNaN(time))
      throw new StorageError(`Post ${post.id} has an unreadable date "${date}"; fix posts/${post.id}.json and build again.`);
    if (isVisibleNow(post, now)) {
      shown.push({ post, preview: null, date, time });
    } else if (drafts && post.status !== 'published') {
      shown.push({ post, preview: post.status, date, time });
    }
  }
  return shown.sort(newestFirst);
}

/** Newest first by date, then by id so that equal dates keep one order on every build. */
export function newestFirst(a: ShownPost, b: ShownPost): number {
  const byDate = b.time - a.time;
  if (byDate !== 0) return byDate;
  return a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0;
}
