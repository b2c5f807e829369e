/** The comments a bulk comment command works on, and how it reports each of them. */
import type { Blog } from '../api/blog.js';
import type { BulkOutcome, CommentTarget } from '../api/comments.js';
import { parseCommentStatuses } from '../api/comments.js';
import type { CommentStatus } from '../core/types.js';
import { problemCollector, reportProblems } from './options.js';
import type { Output } from './output.js';
import { itemReport } from './shared.js';

/** The selection options of the bulk commands, as they are given. */
export interface SelectionOptions {
  all?: true | undefined;
  dryRun?: true | undefined;
  status?: string | undefined;
  post?: string | undefined;
  author?: string | undefined;
  email?: string | undefined;
  yes?: true | undefined;
}

/** The comments a bulk command works on: the ids given, or those --all and the filters select. */
export async function selectTargets(
  blog: Blog,
  ids: string[],
  opts: SelectionOptions,
  defaults: CommentStatus[],
  verb: string,
): Promise<CommentTarget[]> {
  const { problems, attempt } = problemCollector();
  const filters = (['status', 'post', 'author', 'email'] as const).filter((f) => opts[f] !== undefined);
  if (opts.all && ids.length) problems.push('give comment ids or --all, not both');
  if (!opts.all && ids.length === 0) problems.push(`name the comments to ${verb} (ids or prefixes), or pass --all with filters`);
  if (!opts.all && filters.length) problems.push(`${filters.map((f) => `--${f}`).join(', ')} select comments with --all: add --all`);
  const status = opts.status !== undefined ? await attempt(() => parseCommentStatuses(opts.status!)) : undefined;
  reportProblems(problems);
  if (!opts.all) return ids;
  const entries = await blog.listComments({
    status: status ?? defaults,
    post: opts.post,
    author: opts.author,
    email: opts.email,
    order: 'oldest',
  });
  return entries.map((e) => ({ postId: e.post.id, commentId: e.comment.id }));
}

/** Runs a bulk action, printing each comment's line in the order selected as the posts are done. */
export async function reportBulk<T>(
  out: Output,
  targets: CommentTarget[],
  run: (onOutcome: (index: number, outcome: BulkOutcome<T>) => void) => Promise<unknown>,
  line: (value: T) => string,
): Promise<void> {
  const report = itemReport(out, targets.length);
  await run((index, outcome) => report.settle(index, outcome.ok ? { ok: true, value: line(outcome.value) } : outcome));
  report.finish();
}
