import type { CommentEntry } from '../../api/comments.js';
import type { CommentDeleteOptions } from '../commands/comment.js';
import { reportBulk, selectTargets } from '../comment-selection.js';
import type { Cli } from '../context.js';
import { canPrompt, confirmOrCancel } from '../prompts.js';
import { describeComment } from '../render.js';
import { DRY_RUN_NOTE, blogFor, outputFor } from '../shared.js';

/** `comment delete`: comments gone for good (from spam or trash unless --force), after a question in a terminal. */
export async function commentDelete(cli: Cli, ids: string[], opts: CommentDeleteOptions): Promise<void> {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const selected = await selectTargets(blog, ids, opts, ['spam', 'trash'], 'delete');
  if (selected.length === 0) {
    out.info('No comments match.');
    return;
  }
  if (!opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
    const one = selected.length === 1 ? selected[0]! : undefined;
    const named = one === undefined ? '' : typeof one === 'string' ? one : one.commentId;
    await confirmOrCancel(cli.ctx, `Delete ${one !== undefined ? `comment ${named}` : `${selected.length} comments`} for good?`);
  }
  await reportBulk(
    out,
    selected,
    (onOutcome) => blog.deleteComments(selected, { force: opts.force, onOutcome, dryRun: opts.dryRun }),
    ({ comment, post }: CommentEntry) => `${opts.dryRun ? 'Would delete' : 'Deleted'} ${describeComment(comment, post)}`,
  );
  if (opts.dryRun) out.info(DRY_RUN_NOTE);
}
