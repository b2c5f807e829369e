import type { CommentQuery } from '../../api/comments.js';
import { parseCommentStatuses } from '../../api/comments.js';
import type { CommentListOptions } from '../commands/comment.js';
import type { Cli } from '../context.js';
import { renderList } from '../output.js';
import { COMMENT_CSV_FIELDS, COMMENT_FIELDS } from '../fields.js';
import { commentColumns, recordOf } from '../render.js';
import { prepareList } from '../shared.js';

/** `comment list`: the comments the filters select, newest first, in any list format. */
export async function commentList(cli: Cli, opts: CommentListOptions): Promise<void> {
  const { out, blog, settings, format, fields, since, until, status } = await prepareList(cli, opts, COMMENT_FIELDS, async (attempt) => ({
    status: opts.status !== undefined ? await attempt(() => parseCommentStatuses(opts.status!)) : undefined,
  }));
  const query: CommentQuery = {
    since,
    until,
    post: opts.post,
    status,
    author: opts.author,
    email: opts.email,
    search: opts.search,
    order: opts.oldest ? 'oldest' : 'newest',
    limit: opts.limit,
  };
  const entries = await blog.listComments(query);
  const slugOf = new Map(entries.map((e) => [e.post.id, e.post.slug]));
  const columns = commentColumns(settings.timezone, slugOf);
  const text = await renderList(entries.map(recordOf), { format, fields, columns, csvFields: COMMENT_CSV_FIELDS, color: out.color });
  if (text) out.result(text);
  else if (format === 'table') out.info('No comments.');
}
