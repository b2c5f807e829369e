import { STATUS_ACTION_SPECS } from '../../api/comments.js';
import type { StatusAction, StatusChange } from '../../api/comments.js';
import type { CommentStatusOptions } from '../commands/comment.js';
import { reportBulk, selectTargets } from '../comment-selection.js';
import type { Cli } from '../context.js';
import { canPrompt, confirmOrCancel } from '../prompts.js';
import { describeComment } from '../render.js';
import { DRY_RUN_NOTE, blogFor, outputFor } from '../shared.js';

/** `comment approve|unapprove|spam|unspam|trash|restore`: the comments named, or --all those the filters select. */
export async function commentStatus(cli: Cli, action: StatusAction, ids: string[], opts: CommentStatusOptions): Promise<void> {
  const spec = STATUS_ACTION_SPECS[action];
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const selected = await selectTargets(blog, ids, opts, [...spec.appliesTo], action);
  if (selected.length === 0) {
    out.info('No comments match.');
    return;
  }
  if (opts.all && !opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
    await confirmOrCancel(
      cli.ctx,
      `${action[0]!.toUpperCase()}${action.slice(1)} ${selected.length} comment${selected.length === 1 ? '' : 's'}?`,
    );
  }
  await reportBulk(
    out,
    selected,
    (onOutcome) => blog.setCommentStatuses(selected, action, { onOutcome, dryRun: opts.dryRun }),
    ({ comment, post, from, changed }: StatusChange) => {
      if (!changed) return `Comment ${comment.id} is already ${comment.status}`;
      const verb = opts.dryRun ? `Would ${action}` : spec.done;
      return `${verb} ${describeComment(comment, post)} (${from} -> ${comment.status})`;
    },
  );
  if (opts.dryRun) out.info(DRY_RUN_NOTE);
}
