import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { CommentEditOptions } from '../commands/comment.js';
import type { Cli } from '../context.js';
import { bodyFrom } from '../post-input.js';
import { canPrompt } from '../prompts.js';
import { dropPickedUp, keepOnFailure } from '../recovery.js';
import { blogFor, outputFor } from '../shared.js';
import { editCommentPickup, writeInEditor } from '../staff.js';

/** `comment edit <id>`: a comment's name, email, url or text from flags, or its text in the editor in a terminal. */
export async function commentEdit(cli: Cli, ref: string, opts: CommentEditOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('Give --body or --body-file, not both.');
  const blog = await blogFor(cli);
  const changes = { author: opts.author, email: opts.email, url: opts.url, body: await bodyFrom(opts, cli.ctx) };
  let result;
  if (Object.values(changes).every((v) => v === undefined)) {
    if (!canPrompt(cli.ctx, cli.globals())) {
      throw new UsageError('Nothing to change: pass --body, --body-file, --author, --email or --url (no terminal for the editor).');
    }
    const { comment } = await blog.getComment(ref);
    const kept = { comment: comment.id };
    const pickup = editCommentPickup(comment.id);
    const text = await writeInEditor(cli, blog, comment.body, kept, { pickup });
    result = await keepOnFailure(
      blog,
      kept,
      text,
      () => blog.editComment(comment.id, { body: text }, { base: comment, recoveryText: text }),
      pickup,
    );
  } else {
    result = await blog.editComment(ref, changes);
    if (opts.bodyFile !== undefined && opts.bodyFile !== '-') await dropPickedUp(blog, path.resolve(cli.ctx.cwd, opts.bodyFile), out);
  }
  if (result.changed.length === 0) out.result(`No changes to comment ${result.comment.id}.`);
  else out.result(`Updated comment ${result.comment.id}: ${result.changed.join(', ')}`);
}
