/**
 * What termpress writes into the WXR files it exports beyond WordPress's own fields (post and comment meta),
 * so that importing its own export back loses nothing: ids, exact times, markdown sources, moderation reasons.
 * WordPress keeps such meta as it is and ignores it.
 */
import * as z from 'zod';
import { COMMENT_STATUSES, POST_STATUSES } from '../core/types.js';

/** Post meta key holding a JSON TermpressPostMeta. */
export const POST_META_KEY = '_termpress';
/** Post meta key holding the markdown source of a markdown post (content:encoded holds its HTML). */
export const MARKDOWN_META_KEY = '_termpress_markdown';
/** Comment meta key holding a JSON TermpressCommentMeta. */
export const COMMENT_META_KEY = '_termpress';

const isoTime = z.iso.datetime({ offset: true });

const postMetaSchema = z.object({
  id: z.string().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
  publishedAt: isoTime.nullable(),
  permalinkDate: z.iso.date().optional(),
  format: z.enum(['markdown', 'html']),
  previousStatus: z.enum(POST_STATUSES).optional(),
  /** The key its first import gave the post (`wxr:<blog>#<id>`), so that it stays the same item wherever it goes. */
  key: z.string().startsWith('wxr:').max(2048).optional(),
});
export type TermpressPostMeta = z.infer<typeof postMetaSchema>;

const commentMetaSchema = z.object({
  id: z.string().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
  userAgent: z.string(),
  reasons: z.array(z.string()),
  previousStatus: z.enum(COMMENT_STATUSES).optional(),
});
export type TermpressCommentMeta = z.infer<typeof commentMetaSchema>;

function parseWith<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** The termpress post meta of an item, if it carries a valid one. */
export function readPostMeta(text: string | undefined): TermpressPostMeta | undefined {
  return parseWith(postMetaSchema, text);
}

/** The termpress comment meta of a comment, if it carries a valid one. */
export function readCommentMeta(text: string | undefined): TermpressCommentMeta | undefined {
  return parseWith(commentMetaSchema, text);
}
