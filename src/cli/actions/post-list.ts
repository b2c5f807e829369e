import type { PostQuery } from '../../api/query.js';
import { parseSortKey } from '../../api/query.js';
import { byMenuOrder, pagePaths } from '../../core/pages.js';
import { parsePostStatuses } from '../../core/posts.js';
import type { PostListOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import type { Kind } from '../kinds.js';
import { renderList } from '../output.js';
import { PAGE_LIST_FIELDS, PAGE_SUMMARY_FIELDS, POST_LIST_FIELDS, POST_SUMMARY_FIELDS } from '../fields.js';
import { COMMENT_COUNT_KEYS, pageColumns, postColumns } from '../render.js';
import { prepareList } from '../shared.js';

/** `post list` and `page list`: the posts or pages the filters select, in any list format. */
export async function postList(cli: Cli, kind: Kind, opts: PostListOptions): Promise<void> {
  const pages = kind.type === 'page';
  const { out, blog, settings, format, fields, since, until, status, sort } = await prepareList(
    cli,
    opts,
    pages ? PAGE_LIST_FIELDS : POST_LIST_FIELDS,
    async (attempt) => ({
      status: opts.status !== undefined ? await attempt(() => parsePostStatuses(opts.status!)) : undefined,
      sort: opts.sort !== undefined ? await attempt(() => parseSortKey(opts.sort!)) : undefined,
    }),
  );
  const query: PostQuery = {
    type: kind.type,
    since,
    until,
    status,
    category: opts.category,
    tag: opts.tag,
    author: opts.author,
    search: opts.search,
    sort,
    reverse: opts.reverse,
    limit: opts.limit,
    offset: opts.offset,
  };
  const listed = await blog.listPosts(query);
  // Pages read in the navigation's order unless a sort was asked for.
  const summaries = pages && opts.sort === undefined ? [...listed].sort(byMenuOrder) : listed;
  const withLikes = format === 'json' || format === 'jsonl' || (fields?.includes('likes') ?? false);
  const likes = withLikes ? await blog.likeCounts() : new Map<string, number>();
  const posts = withLikes ? summaries.map((p) => ({ ...p, likes: likes.get(p.id) ?? 0 })) : summaries;
  // A page is found by its address in the tree (its parents' slugs), and listed in the navigation's order.
  const paths = pages && format === 'table' ? pagePaths(await blog.listPosts({ type: 'page' })) : new Map<string, string[]>();
  const columns = pages ? pageColumns(paths) : postColumns(settings.timezone);
  const text = await renderList(posts, {
    format,
    fields,
    columns,
    csvFields: pages ? PAGE_SUMMARY_FIELDS : POST_SUMMARY_FIELDS,
    nested: { commentCounts: COMMENT_COUNT_KEYS },
    color: out.color,
  });
  if (text) out.result(text);
  else if (format === 'table') out.info(`No ${kind.plural}.`);
}
