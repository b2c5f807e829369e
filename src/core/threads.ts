/** Comments in the order a blog page shows them: threaded by parent, with depth and number. */

import type { Comment } from './types.js';

/** A comment in display order. */
export interface ThreadedComment {
  comment: Comment;
  /** 1 for top level, up to maxDepth; the indentation is depth - 1. */
  depth: number;
  /**
   * The number a page shows: "1", "2" for top-level comments, "2.1", "2.1.1" for replies, counted
   * among the comments shown under the same comment (replies flattened at the deepest level continue
   * their level's count).
   */
  number: string;
  /**
   * The comment this one answers when it is among the comments given, else null (top level or orphan).
   * Worth showing as "in reply to ..." when depth no longer tells, i.e. at the deepest level.
   */
  inReplyTo: Comment | null;
}

/** Sort key: oldest first; unreadable dates after readable ones; ties keep the given order. */
function byAge(comments: readonly Comment[]): (a: number, b: number) => number {
  const time = comments.map((c) => {
    const t = Date.parse(c.createdAt);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  });
  return (a, b) => {
    const ta = time[a] ?? 0;
    const tb = time[b] ?? 0;
    return ta === tb ? a - b : ta < tb ? -1 : 1;
  };
}

/** The depth limit as a whole number of at least 1 (1 shows every comment flat). */
function clampDepth(maxDepth: number): number {
  if (Number.isNaN(maxDepth)) return 1;
  return Math.max(1, Math.floor(maxDepth));
}

/**
 * The display order of comments with their depth: parents before their replies, siblings oldest first,
 * replies deeper than maxDepth shown at the deepest level right after their parent (as WordPress's
 * walker does), and comments whose parent is missing (or caught in a parent cycle) at top level.
 * The caller chooses which comments to show (e.g. the approved ones); pure, never throws.
 */
export function threadComments(comments: readonly Comment[], maxDepth: number): ThreadedComment[] {
  const limit = clampDepth(maxDepth);
  const order = byAge(comments);
  // The first comment with an id wins, so corrupt data with repeated ids still shows every comment once.
  const indexById = new Map<string, number>();
  comments.forEach((c, i) => {
    if (!indexById.has(c.id)) indexById.set(c.id, i);
  });

  const children = new Map<number, number[]>();
  const roots: number[] = [];
  comments.forEach((c, i) => {
    const parent = c.parentId === null ? undefined : indexById.get(c.parentId);
    if (parent === undefined || parent === i) {
      roots.push(i);
    } else {
      const siblings = children.get(parent) ?? [];
      siblings.push(i);
      children.set(parent, siblings);
    }
  });
  for (const siblings of children.values()) siblings.sort(order);
  roots.sort(order);

  const shown: ThreadedComment[] = [];
  const visited = new Set<number>();
  const counts: number[] = [];

  // Iterative depth-first walk, so a very long reply chain cannot overflow the stack.
  const walk = (root: number): void => {
    const stack: Array<{ index: number; depth: number }> = [{ index: root, depth: 1 }];
    while (stack.length > 0) {
      const { index, depth } = stack.pop()!;
      if (visited.has(index)) continue;
      visited.add(index);
      const comment = comments[index]!;
      const shownDepth = Math.min(depth, limit);
      counts.splice(shownDepth);
      counts[shownDepth - 1] = (counts[shownDepth - 1] ?? 0) + 1;
      const parentIndex = comment.parentId === null ? undefined : indexById.get(comment.parentId);
      shown.push({
        comment,
        depth: shownDepth,
        number: counts.join('.'),
        inReplyTo: parentIndex === undefined || parentIndex === index ? null : comments[parentIndex]!,
      });
      const replies = children.get(index) ?? [];
      for (let k = replies.length - 1; k >= 0; k--) stack.push({ index: replies[k]!, depth: depth + 1 });
    }
  };

  for (const root of roots) walk(root);
  // Whatever no root reaches sits in a parent cycle (a -> b -> a): show it from its oldest member.
  const rest = comments.map((_, i) => i).filter((i) => !visited.has(i)).sort(order);
  for (const i of rest) {
    if (!visited.has(i)) walk(i);
  }
  return shown;
}
