import type { CommentShowOptions } from '../commands/comment.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { recordOf, renderCommentText } from '../render.js';
import { blogFor, outputFor } from '../shared.js';

/** `comment show <id>`: one comment in full, with why the rules decided what they did, or its record in JSON. */
export async function commentShow(cli: Cli, ref: string, opts: CommentShowOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const blog = await blogFor(cli);
  const entry = await blog.getComment(ref);
  if (format === 'json') out.result(toJson(recordOf(entry)));
  else out.result(renderCommentText(entry, (await blog.settings()).timezone, out.color));
}
