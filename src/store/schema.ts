import * as z from '../core/zod.js';
import { once } from '../core/once.js';
import { StorageError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { describeIssue, postSchema, postSummarySchema, settingsSchema } from '../core/schema.js';
import { COMMENT_KEY_ORDER, POST_KEY_ORDER, defaultSettings } from '../core/types.js';
import type { BlogSettings, Comment, Post } from '../core/types.js';
import type { IndexEntry } from './index-cache.js';
import { displayPath } from './layout.js';

/** Parses JSON text, naming the file and the position when it does not parse. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StorageError(
      `${displayPath(file)} is not valid JSON (${(error as Error).message}); fix it by hand or restore it from git, then run termpress doctor.`,
    );
  }
}

/** Validates a post read from disk, naming the file and the field at fault. */
export function validatePost(value: unknown, file: string): Post {
  const result = postSchema().safeParse(value);
  if (!result.success) {
    throw new StorageError(`${displayPath(file)} is not a valid post: ${describeIssue(result.error, value)}.`);
  }
  return result.data;
}

/** Validates blog settings read from disk, naming the file and the field at fault. */
export function validateSettings(value: unknown, file: string): BlogSettings {
  const result = settingsSchema().safeParse(value);
  if (!result.success) {
    throw new StorageError(`${displayPath(file)} has invalid settings: ${describeIssue(result.error, value)}.`);
  }
  return result.data;
}

/** Settings as a file holds them, with what a person left out taken from the defaults, validated. */
export function settingsWithDefaults(raw: Record<string, unknown>, file: string): BlogSettings {
  const defaults = defaultSettings();
  const merged = {
    ...defaults,
    ...raw,
    moderation: { ...defaults.moderation, ...((raw.moderation as object | undefined) ?? {}) },
    comments: { ...defaults.comments, ...((raw.comments as object | undefined) ?? {}) },
    notify: { ...defaults.notify, ...((raw.notify as object | undefined) ?? {}) },
  };
  return validateSettings(merged, file);
}

const indexEntrySchema = once(() =>
  z.object({
    size: z.number().int().min(0),
    mtimeMs: z.number().min(0),
    summary: postSummarySchema(),
  }),
);

/** An index entry as read from .termpress/index.json, or null when it is not one for the post with this id. */
export function validIndexEntry(id: string, value: unknown): IndexEntry | null {
  if (!isId(id)) return null;
  const result = indexEntrySchema().safeParse(value);
  if (!result.success || result.data.summary.id !== id) return null;
  return result.data;
}

const COMMENT_KEYS: Array<keyof Comment> = [...COMMENT_KEY_ORDER];
const POST_KEYS: Array<keyof Post> = [...POST_KEY_ORDER];

/** An object with the known keys first in a fixed order, then any others sorted, so files diff cleanly. */
function ordered<T extends object>(value: T, keys: Array<keyof T>, known: ReadonlySet<string>): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) out[key as string] = value[key];
  // Only the keys of another version or tool need sorting: a post of 100,000 comments is written at once.
  const others = Object.keys(value).filter((key) => !known.has(key));
  for (const key of others.sort()) {
    if ((value as Record<string, unknown>)[key] !== undefined) out[key] = (value as Record<string, unknown>)[key];
  }
  return out as T;
}

const KNOWN_COMMENT_KEYS: ReadonlySet<string> = new Set(COMMENT_KEYS);
const KNOWN_POST_KEYS: ReadonlySet<string> = new Set(POST_KEYS);

/** A post's own fields (its comments as they are) in the stable key order of its file. */
export function canonicalFields(post: Post): Post {
  return ordered(post, POST_KEYS, KNOWN_POST_KEYS);
}

/** A post in the stable key order of its file. */
export function canonicalPost(post: Post): Post {
  return ordered({ ...post, comments: post.comments.map((c) => ordered(c, COMMENT_KEYS, KNOWN_COMMENT_KEYS)) }, POST_KEYS, KNOWN_POST_KEYS);
}
