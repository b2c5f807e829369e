import type { PostLikesOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { blogFor, outputFor } from '../shared.js';

/** `post likes` and `page likes`: how many readers like a post, or with --reset none any more. */
export async function postLikes(cli: Cli, ref: string, opts: PostLikesOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const blog = await blogFor(cli);
  if (opts.reset) {
    const { postId, removed } = await blog.resetLikes(ref);
    if (format === 'json') out.result(toJson({ id: postId, likes: 0, removed }));
    else out.result(`Cleared ${removed} like${removed === 1 ? '' : 's'} of post ${postId}`);
    return;
  }
  const { postId, count } = await blog.likeCount(ref);
  if (format === 'json') out.result(toJson({ id: postId, likes: count }));
  else out.result(String(count));
}
