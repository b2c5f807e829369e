import { UsageError } from '../core/errors.js';
import { postDate } from '../core/posts.js';
import type { PostStatus, PostType } from '../core/types.js';
import type { PostSummary } from '../store/summary.js';

/** Which posts `listPosts` returns, and in what order. */
export interface PostQuery {
  /** Posts or pages; default: posts. */
  type?: PostType;
  /** Default: every status but trash. */
  status?: PostStatus[];
  category?: string[];
  tag?: string[];
  author?: string;
  /** Case-insensitive text to find in the title, excerpt or body. */
  search?: string;
  since?: Date;
  until?: Date;
  sort?: SortKey;
  reverse?: boolean;
  limit?: number;
  offset?: number;
}

export const SORT_KEYS = ['date', 'created', 'updated', 'title', 'slug', 'status', 'author', 'comments'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Checks a --sort value. */
export function parseSortKey(text: string): SortKey {
  if ((SORT_KEYS as readonly string[]).includes(text)) return text as SortKey;
  throw new UsageError(`Unknown sort key "${text}" for --sort: use ${SORT_KEYS.join(', ')}.`);
}

const lower = (values: string[]) => values.map((v) => v.toLowerCase());

/** Whether a summary passes every filter of the query but the text search, which needs the body. */
export function matchesQuery(post: PostSummary, query: PostQuery): boolean {
  const statuses = query.status ?? ['draft', 'pending', 'scheduled', 'published'];
  if (!statuses.includes(post.status)) return false;
  if ((post.type ?? 'post') !== (query.type ?? 'post')) return false;
  if (query.category?.length) {
    const mine = lower(post.categories);
    if (!lower(query.category).some((c) => mine.includes(c))) return false;
  }
  if (query.tag?.length) {
    const mine = lower(post.tags);
    if (!lower(query.tag).some((t) => mine.includes(t))) return false;
  }
  if (query.author && post.author.toLowerCase() !== query.author.toLowerCase()) return false;
  const when = Date.parse(postDate(post));
  if (query.since && when < query.since.getTime()) return false;
  if (query.until && when > query.until.getTime()) return false;
  return true;
}

const sortValue: Record<SortKey, (p: PostSummary) => string | number> = {
  date: (p) => postDate(p),
  created: (p) => p.createdAt,
  updated: (p) => p.updatedAt,
  title: (p) => p.title.toLowerCase(),
  slug: (p) => p.slug,
  status: (p) => p.status,
  author: (p) => p.author.toLowerCase(),
  comments: (p) => p.commentCounts.approved,
};

// Dates, update times and comment counts read newest or most first; names read A to Z.
const DESCENDING: SortKey[] = ['date', 'created', 'updated', 'comments'];

/** Sorts, then pages, a list of summaries as the query asks; ties are broken by id so output is stable. */
export function orderAndPage(posts: PostSummary[], query: PostQuery): PostSummary[] {
  const key = query.sort ?? 'date';
  const value = sortValue[key];
  const direction = (DESCENDING.includes(key) ? -1 : 1) * (query.reverse ? -1 : 1);
  const sorted = [...posts].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x < y) return -direction;
    if (x > y) return direction;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const start = query.offset ?? 0;
  return query.limit === undefined ? sorted.slice(start) : sorted.slice(start, start + query.limit);
}
