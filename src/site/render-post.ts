import type { Post } from '../core/types.js';
import { createBodyRenderer } from './markdown.js';
import { siteMedia } from './media.js';
import type { RenderedPost, RenderSetup } from './render-pool.js';
import { sanitizeCommentBody } from './sanitize.js';

/** A renderer of a post's body and of its approved comments, as the post's pages show them. */
export function createPostRenderer(setup: RenderSetup): (post: Post) => RenderedPost {
  const renderBody = createBodyRenderer(siteMedia(setup.media, new URL(setup.base)));
  return (post) => ({
    body: renderBody(post),
    comments: post.comments.map((comment) =>
      comment.status === 'approved' && comment.type === 'comment' ? sanitizeCommentBody(comment.body) : '',
    ),
  });
}
