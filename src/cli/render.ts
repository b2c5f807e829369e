/** How posts and comments look in a terminal and in list records: one place for every command that shows them. */
import type { CreatePostInput, PostSummary } from '../api/blog.js';
import type { CommentEntry } from '../api/comments.js';
import { formatDate } from '../core/dates.js';
import { likesText } from '../core/likes.js';
import type { ConflictSide } from '../core/merge.js';
import { countComments, postDate } from '../core/posts.js';
import { oneLine, stripControl, truncate } from '../core/text.js';
import { threadComments } from '../core/threads.js';
import type { BlogSettings, Comment, CommentStatus, Post } from '../core/types.js';
import type { Column, Paint } from './output.js';

/** The columns of commentCounts in CSV, in the order JSON gives them. */
export const COMMENT_COUNT_KEYS = Object.keys(countComments({ comments: [] }));

/** The comments of a post in a table: the approved ones, and those pending if any. */
const COMMENTS_COLUMN: Column<PostSummary> = {
  field: 'commentCounts',
  header: 'COMMENTS',
  value: (p) =>
    p.commentCounts.pending ? `${p.commentCounts.approved} (+${p.commentCounts.pending} pending)` : String(p.commentCounts.approved),
};

/** The table of `post list`. */
export function postColumns(timezone: string): Column<PostSummary>[] {
  return [
    { field: 'id', header: 'ID', value: (p) => p.id },
    { field: 'status', header: 'STATUS', value: (p) => p.status },
    { field: 'date', header: 'DATE', value: (p) => formatDate(postDate(p), timezone) },
    { field: 'title', header: 'TITLE', value: (p) => p.title },
    { field: 'categories', header: 'CATEGORIES', value: (p) => p.categories.join(', ') },
    COMMENTS_COLUMN,
  ];
}

/** The table of `page list`: a page by its address in the tree (paths: its parents' slugs and its own, by id). */
export function pageColumns(paths: ReadonlyMap<string, string[]>): Column<PostSummary>[] {
  return [
    { field: 'id', header: 'ID', value: (p) => p.id },
    { field: 'status', header: 'STATUS', value: (p) => p.status },
    { field: 'slug', header: 'ADDRESS', value: (p) => `/${(paths.get(p.id) ?? [p.slug]).join('/')}/` },
    { field: 'menuOrder', header: 'ORDER', value: (p) => String(p.menuOrder ?? 0) },
    { field: 'title', header: 'TITLE', value: (p) => p.title },
    COMMENTS_COLUMN,
  ];
}

/** A post in one line of a command's result: id, title, status and when. */
export function describePost(post: Pick<Post, 'id' | 'title' | 'status' | 'publishedAt'>, timezone: string): string {
  const when = post.publishedAt ? ` ${post.status === 'scheduled' ? 'for' : 'on'} ${formatDate(post.publishedAt, timezone)}` : '';
  return `${post.id} "${post.title}" (${post.status}${when})`;
}

/** A post that already is as a command asked: a success, said plainly. */
export function alreadyLine(post: Post, timezone: string, noun: 'post' | 'page'): string {
  const when = post.publishedAt ? formatDate(post.publishedAt, timezone) : '';
  const state =
    post.status === 'published'
      ? `published (on ${when})`
      : post.status === 'scheduled'
        ? `scheduled (for ${when})`
        : post.status === 'trash'
          ? 'in the trash'
          : post.status === 'draft'
            ? 'a draft'
            : post.status;
  return `${noun === 'page' ? 'Page' : 'Post'} ${post.id} "${post.title}" is already ${state}`;
}

const PREVIEW_LINES = 8;

/** A one-screen look at a new post before it is saved. */
export function previewText(input: CreatePostInput, timezone: string, c: Paint, columns: number | undefined): string {
  const width = Math.max(40, Math.min(columns ?? 80, 100));
  const body = stripControl(input.body ?? '').replace(/\s+$/, '');
  const lines = body === '' ? [] : body.split('\n');
  const words = body.split(/\s+/).filter(Boolean).length;
  const list = (values: string[] | undefined) => (values && values.length ? values.map(oneLine).join(', ') : c.dim('(none)'));
  const rule = c.dim('─'.repeat(Math.min(width, 60)));
  const rows = [
    rule,
    `${c.bold('Title')}       ${oneLine(input.title)}`,
    `${c.bold('Categories')}  ${list(input.categories)}`,
    `${c.bold('Tags')}        ${list(input.tags)}`,
    ...(input.excerpt ? [`${c.bold('Excerpt')}     ${truncate(oneLine(input.excerpt), width - 12)}`] : []),
    `${c.bold('Body')}        ${lines.length} line${lines.length === 1 ? '' : 's'}, ${words} word${words === 1 ? '' : 's'}`,
    ...lines.slice(0, PREVIEW_LINES).map((line) => `  ${truncate(line, width - 2)}`),
    ...(lines.length > PREVIEW_LINES ? [c.dim(`  … ${lines.length - PREVIEW_LINES} more`)] : []),
    ...(input.at ? [`${c.bold('Date')}        ${formatDate(input.at.toISOString(), timezone)}`] : []),
    rule,
  ];
  return rows.join('\n');
}

/** A recorded value of a merge conflict in a few words, for a line or a prompt. */
export function shortValue(values: Record<string, unknown>, field: string): string {
  const keys = Object.keys(values);
  if (keys.length === 0) return '(none)';
  const main = field in values ? values[field] : values[keys[0]!];
  const text = typeof main === 'string' ? JSON.stringify(truncate(oneLine(main), 60)) : JSON.stringify(main);
  return keys.length > 1 && field === 'status' && typeof values.publishedAt === 'string' ? `${text} (date ${values.publishedAt})` : text;
}

/** The lines `post show` prints above a post that has unresolved merge conflicts. */
export function conflictLines(post: Post): string[] {
  const ours: Record<string, unknown> = Object.fromEntries(Object.entries(post));
  return (post.conflicts ?? []).map(
    (c) =>
      `Merge conflict in ${c.field}: this side ${shortValue(ours, c.field)}, the other side ${shortValue(c.theirs, c.field)} (termpress post resolve ${post.id})`,
  );
}

/** What a resolve command ended, one line: "Resolved post abc: title (this side's)", or that there was nothing to end. */
export function resolvedLine(what: string, ended: ReadonlyArray<{ field: string; side: ConflictSide }>): string {
  if (ended.length === 0) return `${what} has no merge conflicts.`;
  const list = ended.map(({ field, side }) => `${field} (${side === 'ours' ? "this side's" : "the other side's"})`).join(', ');
  return `Resolved ${what}: ${list}`;
}

/** A post as a reader would see it in a terminal: heading, byline, body, then the approved comments numbered. */
export function renderPostText(post: Post, settings: BlogSettings, color: Paint, likes = 0): string {
  const tz = settings.timezone;
  const lines: string[] = [];
  lines.push(color.bold(oneLine(post.title)));
  const when = formatDate(postDate(post), tz);
  const where = post.categories.length ? ` in ${post.categories.map(oneLine).join(', ')}` : '';
  lines.push(color.dim(`Posted by ${oneLine(post.author) || 'anonymous'}${where} on ${when}`));
  if (post.status !== 'published') {
    const status = post.status === 'scheduled' && post.publishedAt ? `scheduled for ${formatDate(post.publishedAt, tz)}` : post.status;
    lines.push(color.yellow(`[${status}]`));
  }
  if (post.tags.length) lines.push(color.dim(`Tags: ${post.tags.map(oneLine).join(', ')}`));
  if (likes > 0) lines.push(color.dim(likesText(likes)));
  const body = stripControl(post.body).trim();
  lines.push('', ...(body ? [body, ''] : []));
  const approved = post.comments.filter((c) => c.status === 'approved');
  if (post.status === 'trash') return `${lines.join('\n')}\n`;
  lines.push(color.bold(approved.length === 1 ? '1 comment' : `${approved.length} comments`));
  for (const { comment, depth, number } of threadComments(approved, settings.moderation.threadDepth)) {
    const indent = '   '.repeat(depth - 1);
    lines.push('', `${indent}${number}. ${color.bold(oneLine(comment.author) || 'Anonymous')} - ${formatDate(comment.createdAt, tz)}`);
    for (const line of stripControl(comment.body).trimEnd().split('\n')) lines.push(`${indent}   ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A comment as list and show output give it: the comment's own fields plus the id of its post. */
export type CommentRecord = Comment & { postId: string };

/** The table of `comment list`; a post is shown by its slug (slugOf: by post id). */
export function commentColumns(timezone: string, slugOf: ReadonlyMap<string, string>): Column<CommentRecord>[] {
  return [
    { field: 'id', header: 'ID', value: (c) => c.id },
    { field: 'status', header: 'STATUS', value: (c) => c.status },
    { field: 'createdAt', header: 'DATE', value: (c) => formatDate(c.createdAt, timezone) },
    { field: 'author', header: 'AUTHOR', value: (c) => truncate(oneLine(c.author) || 'Anonymous', 24) },
    { field: 'postId', header: 'POST', value: (c) => truncate(slugOf.get(c.postId) ?? c.postId, 24) },
    { field: 'body', header: 'COMMENT', value: (c) => truncate(oneLine(c.body), 50) },
  ];
}

/** A comment in the words of a command's result: 'comment abc by Grace on "Title"'. */
export function describeComment(comment: Pick<Comment, 'id' | 'author'>, post: Pick<Post, 'title'>): string {
  return `comment ${comment.id} by ${oneLine(comment.author) || 'Anonymous'} on "${oneLine(post.title)}"`;
}

const ADDED: Readonly<Record<CommentStatus, string>> = {
  approved: 'Approved',
  pending: 'Held for moderation',
  spam: 'Marked as spam',
  trash: 'Trashed',
};

/** What `comment add` says of a new comment: the status the rules gave it, and why. */
export function addedLine({ comment, post }: CommentEntry): string {
  const reasons = comment.reasons.length ? `: ${comment.reasons.map(oneLine).join('; ')}` : '';
  return `${ADDED[comment.status]} ${describeComment(comment, post)}${reasons}`;
}

/** The record of an entry, with the data's own field names. */
export function recordOf({ comment, post }: CommentEntry): CommentRecord {
  const { id, ...rest } = comment;
  return { id, postId: post.id, ...rest };
}

/** "Grace <grace@example.com>", safe for a terminal. */
export function whoLine(comment: Pick<Comment, 'author' | 'email'>): string {
  const name = oneLine(comment.author) || 'Anonymous';
  return comment.email ? `${name} <${oneLine(comment.email)}>` : name;
}

/** A comment in full for a terminal: every field, why the rules decided, the parent, then the text. */
export function renderCommentText(entry: CommentEntry, timezone: string, color: Paint): string {
  const { comment, post } = entry;
  const row = (label: string, value: string) => `${color.dim(label.padEnd(10))}${value}`;
  const lines = [
    `${color.bold(`Comment ${comment.id}`)} ${color.yellow(comment.status)}${comment.previousStatus ? color.dim(` (was ${comment.previousStatus})`) : ''}`,
    row('Post', `"${oneLine(post.title)}" (${post.slug}, ${post.status})`),
    row('Author', whoLine(comment)),
  ];
  if (comment.url) lines.push(row('URL', oneLine(comment.url)));
  if (comment.ip) lines.push(row('IP', oneLine(comment.ip)));
  if (comment.userAgent) lines.push(row('Agent', oneLine(comment.userAgent)));
  const updated = comment.updatedAt !== comment.createdAt ? ` (edited ${formatDate(comment.updatedAt, timezone)})` : '';
  lines.push(row('Date', `${formatDate(comment.createdAt, timezone)}${updated}`));
  if (comment.type !== 'comment') lines.push(row('Type', comment.type));
  if (comment.parentId) {
    const parent = post.comments.find((c) => c.id === comment.parentId);
    lines.push(row('Reply to', parent ? `${parent.id} by ${oneLine(parent.author) || 'Anonymous'}` : `${comment.parentId} (gone)`));
  }
  if (comment.reasons.length) lines.push(row('Why', comment.reasons.map(oneLine).join('; ')));
  lines.push('', stripControl(comment.body).trimEnd());
  return `${lines.join('\n')}\n`;
}

/**
 * The notes under a reply in the editor: the comment being answered, quoted, and what to do. They are
 * removed on save, so the quote is never sent by mistake.
 */
export function replyNotes(entry: CommentEntry, timezone: string): string {
  const { comment, post } = entry;
  const quoted = stripControl(comment.body)
    .trimEnd()
    .split('\n')
    .map((line) => `> ${line}`.trimEnd());
  return [
    `Write your reply above the line of dashes; the line and everything below it are removed when you save.`,
    `Save an empty text to send nothing.`,
    ``,
    `${whoLine(comment)} wrote on "${oneLine(post.title)}", ${formatDate(comment.createdAt, timezone)}:`,
    ...quoted,
  ].join('\n');
}

const BODY_LINES = 18;
const LINK = /(<a\s[^<>]*>)|(https?:\/\/[^\s<>"')\]]+)/gi;

/** Wraps a line to a width at word boundaries (words longer than the width are cut), keeping colours whole. */
export type Wrap = (line: string, width: number) => string;

/**
 * A comment's text for the queue: made safe, links highlighted, wrapped at word boundaries to the
 * terminal's width (a terminal wraps in the middle of words), cut to what a screen holds.
 */
function bodyForQueue(body: string, color: Paint, wrap: Wrap, columns: number): string {
  const width = Math.max(20, columns - 2);
  const lines = stripControl(body)
    .trimEnd()
    .split('\n')
    .flatMap((line) =>
      wrap(
        line.replace(LINK, (link) => color.underline(color.cyan(link))),
        width,
      ).split('\n'),
    );
  const shown = lines.slice(0, BODY_LINES).map((line) => `  ${line}`);
  if (lines.length > BODY_LINES) shown.push(color.dim(`  … ${lines.length - BODY_LINES} more lines (e opens the whole text)`));
  return shown.join('\n');
}

/** The card of one comment in the moderation queue. */
export function queueCard(entry: CommentEntry, position: string, timezone: string, color: Paint, wrap: Wrap, columns: number): string {
  const { comment, post } = entry;
  const row = (label: string, value: string) => `${color.dim(label.padEnd(9))}${value}`;
  const lines = [
    `${color.bold(`Pending comment ${position}`)}  ${color.dim(comment.id)}`,
    row('Post', `"${oneLine(post.title)}" (${post.slug})`),
    row('Author', whoLine(comment)),
    row('URL', comment.url ? color.underline(color.cyan(oneLine(comment.url))) : color.dim('-')),
    row('IP', oneLine(comment.ip) || color.dim('-')),
    row('Date', formatDate(comment.createdAt, timezone)),
    row('Held', color.yellow(comment.reasons.map(oneLine).join('; ') || 'no reason recorded')),
  ];
  if (comment.type !== 'comment') lines.push(row('Type', comment.type));
  if (comment.parentId) {
    const parent = post.comments.find((c) => c.id === comment.parentId);
    lines.push(
      row(
        'Reply to',
        parent
          ? `${oneLine(parent.author) || 'Anonymous'} (${parent.status}, ${formatDate(parent.createdAt, timezone)}): ${color.italic(truncate(oneLine(parent.body), 80))}`
          : `${comment.parentId} (no longer there)`,
      ),
    );
  }
  lines.push('', bodyForQueue(comment.body, color, wrap, columns), '');
  return lines.join('\n');
}
