/** The shapes of the data (schemaVersion 1) as zod schemas: one definition for the store and the importers. */
import { z } from 'zod';
import { moderationSettingsSchema } from './moderation.js';
import { COMMENT_STATUSES, COMMENT_TYPES, POST_STATUSES } from './types.js';

const isoDate = z.iso.datetime({ offset: true });
const legacy = z.record(z.string(), z.unknown()).optional();

// Loose objects: fields a later version or another tool added are kept when a file is rewritten.
export const commentSchema = z.looseObject({
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
  createdAt: isoDate,
  updatedAt: isoDate,
  type: z.enum(COMMENT_TYPES),
  reasons: z.array(z.string()),
  legacy,
});

export const postSchema = z.looseObject({
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
  createdAt: isoDate,
  updatedAt: isoDate,
  publishedAt: isoDate.nullable(),
  commentStatus: z.enum(['open', 'closed']),
  sticky: z.boolean(),
  revision: z.number().int().min(1),
  comments: z.array(commentSchema),
  legacy,
});

export const settingsSchema = z.looseObject({
  schemaVersion: z.number().int().min(0),
  title: z.string(),
  description: z.string(),
  url: z.string().url(),
  language: z.string().min(1),
  timezone: z.string().min(1),
  author: z.string(),
  permalink: z.string().min(1),
  postsPerPage: z.number().int().min(1).max(1000),
  moderation: moderationSettingsSchema,
});
