/**
 * The names of texts kept under .termpress/recovery/: one scheme, `<what>-<which>.md` after the time it
 * was kept, so a person can tell which file holds what (the store adds the time and makes the name safe).
 */

/** What a kept text was written for. */
export type KeptText =
  /** A new post, not yet created: by the slug its title gives. The file is a post document `post create --from` reads. */
  | { newPost: string }
  /** An edit of a post, by its id: the post as the editor showed it, edited. */
  | { post: string }
  /** A new comment on a post, by the post as it was named. */
  | { newComment: string }
  /** An edit of a comment, by its id. */
  | { comment: string }
  /** A reply to a comment, by the id of the comment replied to. */
  | { reply: string };

/** The file name (before the time the store puts in front) of a kept text. */
export function keptTextName(kept: KeptText): string {
  if ('newPost' in kept) return `new-post-${kept.newPost}.md`;
  if ('post' in kept) return `post-${kept.post}.md`;
  if ('newComment' in kept) return `new-comment-${kept.newComment}.md`;
  if ('comment' in kept) return `comment-${kept.comment}.md`;
  return `reply-${kept.reply}.md`;
}
