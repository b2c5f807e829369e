/** The shape of termpress's JSON backup: a header line, then one post per line, so it can be read as a stream. */
import { z } from 'zod';
import { COMMENT_STATUSES, COMMENT_TYPES, POST_STATUSES, type Comment, type Post } from '../core/types.js';

/** The value of `format` in a termpress JSON export. */
export const JSON_FORMAT = 'termpress';
/** The schemaVersion of posts this module writes and reads. */
export const JSON_SCHEMA_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const legacy = z.record(z.string(), z.unknown()).optional();

const commentSchema = z.object({
  id: z.string().min(1),
  parentId: z.string().min(1).nullable(),
  author: z.string(),
  email: z.string(),
  url: z.string(),
  ip: z.string(),
  userAgent: z.string(),
  body: z.string(),
  status: z.enum(COMMENT_STATUSES),
  previousStatus: z.enum(COMMENT_STATUSES).optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  type: z.enum(COMMENT_TYPES),
  reasons: z.array(z.string()),
  legacy,
}).loose();

const postSchema = z.object({
  id: z.string().min(1),
  slug: z.string().min(1),
  title: z.string(),
  author: z.string(),
  status: z.enum(POST_STATUSES),
  previousStatus: z.enum(POST_STATUSES).optional(),
  categories: z.array(z.string()),
  tags: z.array(z.string()),
  excerpt: z.string(),
  body: z.string(),
  format: z.enum(['markdown', 'html']),
  createdAt: isoTime,
  updatedAt: isoTime,
  publishedAt: isoTime.nullable(),
  commentStatus: z.enum(['open', 'closed']),
  sticky: z.boolean(),
  revision: z.number().int().min(1),
  comments: z.array(commentSchema),
  legacy,
}).loose();

/** The header of an export: everything but the posts. Settings are checked by the store when applied. */
export const headerSchema = z.object({
  format: z.literal(JSON_FORMAT),
  schemaVersion: z.number().int().min(1),
  settings: z.record(z.string(), z.unknown()).optional(),
});

/** Check one post of a backup; the error names the first field at fault. */
export function parsePost(value: unknown): { post: Post } | { error: string } {
  const result = postSchema.safeParse(value);
  if (result.success) return { post: result.data as Post & { comments: Comment[] } };
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'post' : issue.path.join('.');
  return { error: `${where}: ${issue?.message ?? 'invalid'}` };
}
