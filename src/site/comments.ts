import { threadComments as threadOrder } from '../core/threads.js';
import type { Comment } from '../core/types.js';

/** An approved comment placed in the displayed thread, numbered in reading order. */
export interface CommentNode {
  comment: Comment;
  /** 1-based position in reading order: "1. <name> - <date>". */
  number: number;
  /** 1 for a top-level comment, at most the blog's threadDepth. */
  depth: number;
  children: CommentNode[];
}

/** The approved comments of a post as a thread, and how many there are. */
export interface CommentThread {
  roots: CommentNode[];
  count: number;
}

/**
 * The approved comments as a tree for the page, in the order core/threads decides (the one rule for the
 * site and the terminal): oldest first, replies under their parent up to `threadDepth` levels, deeper
 * replies attached at the deepest level. A reply whose parent is not shown (held, spammed, trashed,
 * missing) was still approved by a moderator, so it is shown at the top level rather than hidden.
 */
export function threadComments(comments: readonly Comment[], threadDepth: number): CommentThread {
  const approved = comments.filter((c) => c.status === 'approved');
  const roots: CommentNode[] = [];
  // The last node shown at each depth: a comment at depth d hangs under the last one at depth d - 1.
  const open: CommentNode[] = [];
  threadOrder(approved, threadDepth).forEach(({ comment, depth }, k) => {
    const holder = depth > 1 ? open[depth - 2] : undefined;
    const node: CommentNode = { comment, number: k + 1, depth: holder ? depth : 1, children: [] };
    if (holder) holder.children.push(node);
    else roots.push(node);
    open.length = node.depth - 1;
    open.push(node);
  });
  return { roots, count: approved.length };
}
