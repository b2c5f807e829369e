import { formatDate } from '../../core/dates.js';
import { postDate } from '../../core/posts.js';
import { stripControl, oneLine } from '../../core/text.js';
import { threadComments } from '../../core/threads.js';
import type { BlogSettings, Post } from '../../core/types.js';
import type { Paint } from '../output.js';

/** A post in one line of a command's result: id, title, status and when. */
export function describePost(post: Pick<Post, 'id' | 'title' | 'status' | 'publishedAt'>, timezone: string): string {
  const when = post.publishedAt ? ` ${post.status === 'scheduled' ? 'for' : 'on'} ${formatDate(post.publishedAt, timezone)}` : '';
  return `${post.id} "${post.title}" (${post.status}${when})`;
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
  if (likes > 0) lines.push(color.dim(likes === 1 ? 'Liked by 1 reader' : `Liked by ${likes} readers`));
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
