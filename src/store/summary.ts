import { countComments } from '../core/posts.js';
import { canonicalFields } from './schema.js';
import type { CommentCounts, Post } from '../core/types.js';

/**
 * What `post list` knows of a post without reading its file: every field but body, comments and a merge's
 * conflicts, and the counts of its comments by status as `commentCounts` (`comments` is always the comments
 * themselves).
 */
export type PostSummary = Omit<Post, 'body' | 'comments' | 'conflicts'> & { commentCounts: CommentCounts };

/**
 * The summary of a post, as the index keeps it: its fields in the order of the post's file whatever the
 * order they were set in, so that one post always gives the same summary, text for text (a build keys
 * what it rewrites by such texts).
 */
export function summarize(post: Post): PostSummary {
  const { body: _body, comments: _comments, conflicts: _conflicts, ...fields } = canonicalFields(post);
  return { ...fields, commentCounts: countComments(post) };
}
