import type { Post } from './types.js';

/**
 * The key of WordPress item `wpId` of the blog at `blogUrl`: the item's identity, since ids are unique
 * within one blog and guids are not. The URL is compared without case in the host and a final "/".
 */
export function wpItemKey(blogUrl: string | undefined, wpId: string): string {
  let site = (blogUrl ?? '').trim().replace(/\/+$/, '');
  try {
    if (site !== '') site = new URL(site).href.replace(/\/+$/, '');
  } catch {
    // Not a URL: compared as written.
  }
  return `wxr:${site}#${wpId.trim()}`;
}

/**
 * The keys a stored post answers to when something is imported: its own id, the key its import recorded,
 * the WordPress blog and id it came from, and the id it had in the termpress blog it was exported from.
 * A re-import skips a post whose keys are already in the blog.
 */
export function legacyKeysOf(post: Pick<Post, 'id' | 'legacy'>): string[] {
  const keys = [`termpress:${post.id}`];
  const legacy = post.legacy ?? {};
  if (typeof legacy['key'] === 'string') keys.push(legacy['key']);
  const wpId = legacy['wpPostId'];
  const blogUrl = typeof legacy['blogUrl'] === 'string' ? legacy['blogUrl'] : legacy['site'];
  if (legacy['source'] === 'wxr' && typeof wpId === 'string' && wpId.trim() !== '') {
    keys.push(wpItemKey(typeof blogUrl === 'string' ? blogUrl : undefined, wpId));
  }
  if (typeof legacy['termpressId'] === 'string') keys.push(`termpress:${legacy['termpressId']}`);
  return keys;
}
