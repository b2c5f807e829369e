import type { Post } from './types.js';

/**
 * The keys a stored post answers to when something is imported: its own id, the key its import recorded
 * (`wxr:<guid>`), and the id it had in the termpress blog it was exported from. A re-import skips a post
 * whose keys are already in the blog.
 */
export function legacyKeysOf(post: Pick<Post, 'id' | 'legacy'>): string[] {
  const keys = [`termpress:${post.id}`];
  const legacy = post.legacy ?? {};
  if (typeof legacy['key'] === 'string') keys.push(legacy['key']);
  if (typeof legacy['termpressId'] === 'string') keys.push(`termpress:${legacy['termpressId']}`);
  return keys;
}
