import type { CommentAddOptions } from '../commands/comment.js';
import type { Cli } from '../context.js';
import { reportProblems, showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { bodyFrom } from '../post-input.js';
import { canPrompt, missingValue } from '../prompts.js';
import { keepOnFailure } from '../recovery.js';
import { addedLine, recordOf } from '../render.js';
import { blogFor, outputFor } from '../shared.js';
import { writeInEditor } from '../staff.js';

/** `comment add <post>`: a reader's comment, whose status the moderation rules decide (and say why). */
export async function commentAdd(cli: Cli, postRef: string, opts: CommentAddOptions): Promise<void> {
  const out = outputFor(cli);
  const problems: string[] = [];
  if (opts.body !== undefined && opts.bodyFile !== undefined) problems.push('give --body or --body-file, not both');
  let format: 'text' | 'json' = 'text';
  try {
    format = showFormatOf(opts);
  } catch (error) {
    problems.push((error as Error).message.replace(/\.$/, ''));
  }
  if (opts.porcelain && format === 'json') problems.push('give --porcelain (the id) or --format json (the whole comment), not both');
  reportProblems(problems);
  const blog = await blogFor(cli);
  let body = await bodyFrom(opts, cli.ctx);
  if (body === undefined) {
    if (!canPrompt(cli.ctx, cli.globals())) throw missingValue('comment text', '--body <text> or --body-file <path|->');
    body = await writeInEditor(cli, blog, '', { newComment: postRef });
  }
  const text = body;
  const added = await keepOnFailure(blog, { newComment: postRef }, opts.bodyFile === undefined && opts.body === undefined ? text : '', () =>
    blog.addComment(postRef, {
      author: opts.author,
      email: opts.email,
      url: opts.url,
      ip: opts.ip,
      userAgent: opts.userAgent,
      body: text,
      parentId: opts.parent,
      type: opts.type,
      approve: opts.approve,
    }),
  );
  // A form handler or mail hook learns at once whether the comment was held, and why.
  if (format === 'json') out.result(toJson(recordOf(added)));
  else out.result(opts.porcelain ? added.comment.id : addedLine(added));
}
