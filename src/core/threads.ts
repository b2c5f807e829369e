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
 * With maxDepth 1 (no threading) every comment is shown flat, oldest first, as WordPress shows them; a
 * reply is still never shown before its parent (same time, or a clock that ran behind).
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
  // Whatever no root reaches sits in a parent loop (a -> b -> a) or replies into one: each loop is shown
  // from its oldest member, so that the replies to any member still come after it.
  const loopStarts = loopsOf(comments, indexById, order)
    .map((loop) => loop[0]!)
    .sort(order);
  for (const i of loopStarts) walk(i);
  // Nothing is left by construction; should that ever be wrong, a comment is still shown rather than lost.
  comments.forEach((_, i) => walk(i));
  return limit === 1 ? flat(shown) : shown;
}

/**
 * Threaded comments shown flat, oldest first. A comment counts as no older than the one it answers, and
 * equal times keep the threaded order, in which a parent always comes before its replies.
 */
function flat(threaded: ThreadedComment[]): ThreadedComment[] {
  const at = new Map<Comment, number>();
  const rank = threaded.map(({ comment, inReplyTo }, position) => {
    const own = Date.parse(comment.createdAt);
    const parent = inReplyTo === null ? undefined : at.get(inReplyTo);
    const time = Math.max(Number.isNaN(own) ? Number.POSITIVE_INFINITY : own, parent ?? Number.NEGATIVE_INFINITY);
    at.set(comment, time);
    return { time, position };
  });
  return threaded
    .map((entry, k) => ({ entry, ...rank[k]! }))
    .sort((a, b) => (a.time === b.time ? a.position - b.position : a.time < b.time ? -1 : 1))
    .map(({ entry }, k) => ({ ...entry, depth: 1, number: String(k + 1) }));
}

/**
 * The loops in comments' parent links, which no thread can show as written: a comment that replies to
 * itself is a loop of one, a -> b -> a a loop of two. Each loop is listed once, starting from its oldest
 * member (the one threading shows at top level), then along the parent links. For doctor.
 */
export function parentLoops(comments: readonly Comment[]): string[][] {
  const indexById = new Map<string, number>();
  comments.forEach((c, i) => {
    if (!indexById.has(c.id)) indexById.set(c.id, i);
  });
  return loopsOf(comments, indexById, byAge(comments)).map((loop) => loop.map((i) => comments[i]!.id));
}

/** The loops as positions in comments, each from its oldest member along the parent links. */
function loopsOf(
  comments: readonly Comment[],
  indexById: ReadonlyMap<string, number>,
  order: (a: number, b: number) => number,
): number[][] {
  // 0: not seen; 1: on the path being followed; 2: done.
  const state = new Array<number>(comments.length).fill(0);
  const loops: number[][] = [];
  for (let start = 0; start < comments.length; start++) {
    const path: number[] = [];
    let at: number | undefined = start;
    while (at !== undefined && state[at] === 0) {
      state[at] = 1;
      path.push(at);
      const parentId: string | null = comments[at]!.parentId;
      at = parentId === null ? undefined : indexById.get(parentId);
    }
    if (at !== undefined && state[at] === 1) {
      const members = path.slice(path.indexOf(at));
      const from = members.indexOf([...members].sort(order)[0]!);
      // Parent links lead from the oldest member round the loop back to it.
      loops.push([...members.slice(from), ...members.slice(0, from)]);
    }
    for (const i of path) state[i] = 2;
  }
  return loops;
}
