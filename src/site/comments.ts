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
 * Threads the approved comments the way WordPress shows them: oldest first, replies under their
 * parent up to `threadDepth` levels, deeper replies attached at the deepest level (under their
 * ancestor there). A reply whose parent is not shown (held, spammed, trashed, missing) was still
 * approved by a moderator, so it is shown at the top level rather than hidden.
 */
export function threadComments(comments: readonly Comment[], threadDepth: number): CommentThread {
  const approved = comments.filter((c) => c.status === 'approved').sort(oldestFirst);
  const byId = new Map(approved.map((c) => [c.id, c]));
  const maxDepth = Math.max(1, Math.floor(threadDepth) || 1);

  // The chain of shown ancestors, nearest first; a cycle in broken data ends the chain.
  const ancestors = (comment: Comment): Comment[] => {
    const chain: Comment[] = [];
    const seen = new Set([comment.id]);
    let parent = comment.parentId === null ? undefined : byId.get(comment.parentId);
    while (parent && !seen.has(parent.id)) {
      chain.push(parent);
      seen.add(parent.id);
      parent = parent.parentId === null ? undefined : byId.get(parent.parentId);
    }
    return chain;
  };

  const nodes = new Map<string, CommentNode>();
  const roots: CommentNode[] = [];
  for (const comment of approved) {
    const chain = ancestors(comment);
    const depth = Math.min(chain.length + 1, maxDepth);
    const node: CommentNode = { comment, number: 0, depth, children: [] };
    nodes.set(comment.id, node);
    // chain[chain.length - depth + 1] is the ancestor at depth - 1 counted from the top.
    const holder = depth === 1 ? undefined : chain[chain.length - depth + 1];
    const parentNode = holder ? nodes.get(holder.id) : undefined;
    if (parentNode) parentNode.children.push(node);
    else roots.push(node);
  }

  let number = 0;
  const visit = (node: CommentNode): void => {
    node.number = ++number;
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return { roots, count: approved.length };
}

/** Oldest first, by id on equal times so that the numbering is the same on every build. */
function oldestFirst(a: Comment, b: Comment): number {
  const byTime = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
