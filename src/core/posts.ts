import { localDay } from './dates.js';
import { RefusedError, UsageError } from './errors.js';
import { newId } from './ids.js';
import { MAX_REVISION } from './limits.js';
import { postProblem, postSchema } from './schema.js';
import type { CommentCounts, CommentOpenness, Post, PostFormat, PostStatus, PostType } from './types.js';
import { POST_STATUSES } from './types.js';
import { parseChoiceList, uniqueList } from './lists.js';
import { oneLine, stripControl } from './text.js';

/**
 * A title as stored: escape sequences and control characters (newlines and tabs too) removed and
 * whitespace runs made one space. Titles are one line in every list, feed and terminal, and a title
 * pasted with a stray escape code is far more often an accident than an intent, so it is cleaned
 * rather than refused.
 */
export function cleanTitle(title: string): string {
  return oneLine(title);
}

/** The fields of a post that are text people type or import, as they are cleaned before they are stored. */
export type PostTextFields = Partial<Pick<Post, 'title' | 'author' | 'categories' | 'tags' | 'excerpt'>>;

/**
 * A post's text fields as stored. Title, author, categories and tags are names shown on one line (lists,
 * feeds, terminals), so they are cleaned as titles are; the excerpt keeps its inner lines but loses escape
 * sequences and control characters. The body is the author's text and is kept as written: every output
 * cleans it for its medium.
 */
export function cleanPostText<T extends PostTextFields>(fields: T): T {
  const clean = { ...fields };
  if (fields.title !== undefined) clean.title = cleanTitle(fields.title);
  if (fields.author !== undefined) clean.author = oneLine(fields.author);
  if (fields.categories !== undefined) clean.categories = uniqueList(fields.categories.map(oneLine));
  if (fields.tags !== undefined) clean.tags = uniqueList(fields.tags.map(oneLine));
  if (fields.excerpt !== undefined) clean.excerpt = stripControl(fields.excerpt).trim();
  return clean;
}

/**
 * Refuses text a post cannot hold, naming the field: sizes over the limits, NUL characters (a binary
 * file read by mistake) and unpaired UTF-16 surrogates (not Unicode text). Checked before the lock, by
 * the schema every stored post passes.
 */
export function checkPostText(fields: { title?: string | undefined; body?: string | undefined; excerpt?: string | undefined }): void {
  for (const key of ['title', 'body', 'excerpt'] as const) {
    const text = fields[key];
    if (text === undefined) continue;
    const result = postSchema().shape[key].safeParse(text);
    if (!result.success) throw new UsageError(`The ${key} ${result.error.issues[0]?.message ?? 'is invalid'}.`);
  }
}

/** Refuses a post that may not be stored (a field over its limit, too many tags ...), naming the field. */
export function assertStorablePost(post: Post): void {
  const problem = postProblem(post);
  if (problem) throw new UsageError(`The post cannot be saved: ${problem}.`);
}

/** The revision a changed post gets; refused at the highest one, which no later write could exceed. */
export function nextRevision(post: Pick<Post, 'id' | 'revision'>): number {
  if (!(post.revision < MAX_REVISION)) {
    throw new RefusedError(
      `Post ${post.id} is at revision ${post.revision}, the highest there is, so it cannot change again: ` +
        'set its "revision" to a smaller whole number in its file, then try again.',
    );
  }
  return post.revision + 1;
}

/** What a new post is made from; everything but the title has a default. */
export interface NewPostInput {
  title: string;
  slug: string;
  author: string;
  body?: string;
  format?: PostFormat;
  excerpt?: string;
  categories?: string[];
  tags?: string[];
  commentStatus?: CommentOpenness;
  sticky?: boolean;
  status?: 'draft' | 'pending';
  /** 'page' for a page, with its parent page and its place in the navigation. */
  type?: PostType;
  parentId?: string | null;
  menuOrder?: number;
}

/** A new post as a draft (or pending review); publishing is a transition of its own. */
export function makePost(input: NewPostInput, now: Date): Post {
  const at = now.toISOString();
  return {
    id: newId(),
    slug: input.slug,
    title: input.title,
    author: input.author,
    status: input.status ?? 'draft',
    categories: uniqueList(input.categories ?? []),
    tags: uniqueList(input.tags ?? []),
    excerpt: input.excerpt ?? '',
    body: input.body ?? '',
    format: input.format ?? 'markdown',
    createdAt: at,
    updatedAt: at,
    publishedAt: null,
    commentStatus: input.commentStatus ?? 'open',
    sticky: input.type === 'page' ? false : (input.sticky ?? false),
    ...(input.type === 'page' ? { type: 'page' as const, parentId: input.parentId ?? null, menuOrder: input.menuOrder ?? 0 } : {}),
    revision: 1,
    comments: [],
  };
}

/**
 * Why a status and a date cannot go together, or null when they can: a scheduled post needs a date
 * ahead of now, and a published one cannot have one (that would be scheduled). Every other status
 * takes any date, or none.
 */
export function datingProblem(
  status: PostStatus | undefined,
  date: Date | null | undefined,
  now: Date,
): 'scheduled-needs-future-date' | 'published-in-future' | null {
  if (status === 'scheduled' && (!date || date.getTime() <= now.getTime())) return 'scheduled-needs-future-date';
  if (status === 'published' && date && date.getTime() > now.getTime()) return 'published-in-future';
  return null;
}

/**
 * The status and date a new post starts with. The status asked for wins: a draft, pending or trashed
 * post keeps a date as the date it is meant to appear on (as WordPress keeps a draft's date), and a
 * later publish without a date of its own uses it. Without a status, a date publishes (past) or
 * schedules (future), and no date makes a draft. A status and date that disagree (datingProblem) are
 * the caller's to refuse first.
 */
export function startingState(
  status: PostStatus | undefined,
  date: Date | null | undefined,
  now: Date,
): { status: PostStatus; publishedAt: string | null } {
  const publishedAt = date ? date.toISOString() : null;
  if (status === 'draft' || status === 'pending' || status === 'trash') return { status, publishedAt };
  if (status === undefined && !date) return { status: 'draft', publishedAt: null };
  const when = date ?? now;
  return { status: when.getTime() > now.getTime() ? 'scheduled' : 'published', publishedAt: when.toISOString() };
}

/** The date a draft or pending post was given for when it appears, if any. */
function plannedDate(post: Post): Date | undefined {
  return (post.status === 'draft' || post.status === 'pending') && post.publishedAt ? new Date(post.publishedAt) : undefined;
}

/*
 * The transitions below return the post itself, unchanged, when it is already as asked (published,
 * a draft, in the trash): a retried command is then a success that writes nothing. A transition that
 * cannot happen (publishing a trashed post) is refused.
 */

/**
 * Publishes now, at a past date (kept), or schedules for a future one. Without a date of its own, a
 * draft or pending post that was given a date is published at that date. A published post without a
 * date, or a post already published or scheduled at the date given, is returned as it is.
 */
export function publish(post: Post, now: Date, at?: Date): Post {
  if (post.status === 'trash')
    throw new RefusedError(`Post ${post.id} is in the trash: restore it first (termpress post restore ${post.id}).`);
  if (post.status === 'published' && !at) return post;
  const when = at ?? plannedDate(post) ?? now;
  const status: PostStatus = when.getTime() > now.getTime() ? 'scheduled' : 'published';
  if (status === post.status && when.toISOString() === post.publishedAt) return post;
  return { ...post, status, publishedAt: when.toISOString() };
}

/**
 * A published post with the day of its permalink fixed (in the blog's timezone) if it was not yet: a
 * post keeps its address for life, whatever later happens to the timezone or to its date.
 */
export function pinPermalinkDate(post: Post, timezone: string): Post {
  if (post.status !== 'published' || post.publishedAt === null || post.permalinkDate !== undefined) return post;
  return { ...post, permalinkDate: localDay(post.publishedAt, timezone) };
}

/** Whether a scheduled post's time has come. */
export function isDue(post: Pick<Post, 'status' | 'publishedAt'>, now: Date): boolean {
  return post.status === 'scheduled' && post.publishedAt !== null && Date.parse(post.publishedAt) <= now.getTime();
}

/**
 * Whether readers see a post now: published, or scheduled and its time has come (before the cron job
 * that publishes it has run). Comments are taken only on such posts, and only they are on the site.
 */
export function isVisibleNow(post: Pick<Post, 'status' | 'publishedAt'>, now: Date): boolean {
  return post.status === 'published' || isDue(post, now);
}

/** A published, scheduled or pending post back to draft; a draft is returned as it is. */
export function unpublish(post: Post): Post {
  if (post.status === 'trash')
    throw new RefusedError(`Post ${post.id} is in the trash: restore it first (termpress post restore ${post.id}).`);
  if (post.status === 'draft') return post;
  return { ...post, status: 'draft', publishedAt: null };
}

/** Sets a post aside in the trash, remembering its status for restore; a trashed post is returned as it is. */
export function trash(post: Post): Post {
  if (post.status === 'trash') return post;
  return { ...post, status: 'trash', previousStatus: post.status };
}

/** Brings a post back from the trash to the status it had. */
export function restore(post: Post): Post {
  if (post.status !== 'trash') throw new RefusedError(`Post ${post.id} is not in the trash (it is ${post.status}).`);
  const { previousStatus, ...rest } = post;
  return { ...rest, status: previousStatus ?? 'draft' };
}

/** Refuses to delete a post that is not in the trash, unless forced. */
export function assertDeletable(post: Post, force: boolean): void {
  if (post.status !== 'trash' && !force) {
    throw new RefusedError(`Post ${post.id} is ${post.status}, not in the trash: trash it first or pass --force.`);
  }
}

/** The statuses a person may set directly on an existing post (others come from publish/trash). */
export function assertEditableStatus(status: string): 'draft' | 'pending' {
  if (status === 'draft' || status === 'pending') return status;
  throw new UsageError(`Cannot set --status ${status} directly: use draft or pending, or "post publish|unpublish|trash|restore".`);
}

/** Parses a list of statuses (comma list, or "all"), naming the flag when one is unknown. */
export function parsePostStatuses(text: string, flag = '--status'): PostStatus[] {
  const statuses = parseChoiceList(text, POST_STATUSES, { flag, noun: 'status', all: true });
  return statuses === 'all' ? [...POST_STATUSES] : statuses;
}

/** Counts a post's comments by status. */
export function countComments(post: Pick<Post, 'comments'>): CommentCounts {
  const counts: CommentCounts = { approved: 0, pending: 0, spam: 0, trash: 0 };
  for (const comment of post.comments) counts[comment.status]++;
  return counts;
}

/** The date a post is sorted and shown by: its publication date, else its creation. */
export function postDate(post: Pick<Post, 'publishedAt' | 'createdAt'>): string {
  return post.publishedAt ?? post.createdAt;
}
