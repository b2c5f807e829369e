import type { PostShowOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { conflictLines, renderPostText } from '../render.js';
import { blogFor, outputFor } from '../shared.js';

/** `post show` and `page show`: the post as a reader would see it, or its record in JSON. */
export async function postShow(cli: Cli, ref: string, opts: PostShowOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const blog = await blogFor(cli);
  const post = await blog.getPost(ref);
  const { count } = await blog.likeCount(post.id);
  if (format === 'json') out.result(toJson({ ...post, likes: count }));
  else out.result(renderPostText(post, await blog.settings(), out.color, count));
  for (const line of conflictLines(post)) out.warn(line);
}
