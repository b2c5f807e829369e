/** Posts and pages: one machinery for both, each with its own words. */
import { UsageError } from '../core/errors.js';
import type { PostType } from '../core/types.js';

/** What a command group works on: posts, or pages. */
export interface Kind {
  type: PostType;
  noun: 'post' | 'page';
  plural: 'posts' | 'pages';
}

export const POSTS: Kind = { type: 'post', noun: 'post', plural: 'posts' };
export const PAGES: Kind = { type: 'page', noun: 'page', plural: 'pages' };

/** The --parent and --order of a page; a post has neither. */
export function pagePlacement(
  kind: Kind,
  opts: { parent?: string | undefined; order?: number | undefined },
): { parent?: string; menuOrder?: number } {
  if (kind.type !== 'page') {
    if (opts.parent !== undefined || opts.order !== undefined)
      throw new UsageError('Only pages have --parent and --order: use termpress page.');
    return {};
  }
  return { ...(opts.parent !== undefined ? { parent: opts.parent } : {}), ...(opts.order !== undefined ? { menuOrder: opts.order } : {}) };
}
