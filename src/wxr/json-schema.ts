/** The shape of termpress's JSON backup: a header line, then one post per line, so it can be read as a stream. */
import * as z from 'zod';
import { mediaListSchema } from '../core/media.js';
import { incomingPostSchema } from '../core/schema.js';
import { taxonomySchema } from '../core/taxonomy.js';
import { safeSlug } from '../core/slug.js';
import type { Post } from '../core/types.js';

/** The value of `format` in a termpress JSON export. */
export const JSON_FORMAT = 'termpress';
/** The schemaVersion of posts this module writes and reads. */
export const JSON_SCHEMA_VERSION = 1;

/** The header of an export: everything but the posts. Settings are checked by the store when applied. */
export const headerSchema = z.object({
  format: z.literal(JSON_FORMAT),
  schemaVersion: z.number().int().min(1),
  settings: z.record(z.string(), z.unknown()).optional(),
  // Checked apart (blogPartsSchema), so that a bad term or record is named rather than the whole file refused.
  taxonomy: z.unknown().optional(),
  media: z.unknown().optional(),
});

/** The blog's category tree and tags, and its media records, as a backup's header carries them. */
export const blogPartsSchema = z.object({ taxonomy: taxonomySchema().optional(), media: mediaListSchema().shape.media.optional() });

/**
 * Check one post coming in (from a backup, or mapped from WordPress) by the rules of every stored post:
 * ids, slug, limits. Keys termpress does not know are dropped. The error names the first field at fault.
 */
export function parsePost(value: unknown): { post: Post } | { error: string } {
  // A slug from another system is made safe as a WordPress one is (bidi and zero-width marks, spaces,
  // climbing dots), so that a backup is cleaned rather than refused for them; what is left is checked.
  const incoming = isRecord(value) && typeof value['slug'] === 'string' ? { ...value, slug: safeSlug(value['slug']) } : value;
  const result = incomingPostSchema().safeParse(incoming);
  if (result.success) {
    // Two comments of one id would make every command that names it act on one of them at random.
    const seen = new Set<string>();
    const twice = result.data.comments.find((comment) => seen.size === seen.add(comment.id).size);
    if (twice) return { error: `comments: comment id ${twice.id} appears twice` };
    return { post: result.data };
  }
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'post' : issue.path.join('.');
  return { error: `${where}: ${issue?.message ?? 'invalid'}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
