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
  return ordered({ ...post, comments: post.comments.map(canonicalComment) }, POST_KEYS, KNOWN_POST_KEYS);
}

function canonicalComment(comment: Comment): Comment {
  return ordered(comment, COMMENT_KEYS, KNOWN_COMMENT_KEYS);
}

// The line that opens a post's list of comments in its file: the only line with this text, as JSON
// written with indents has no line breaks inside strings and only a post's own keys two spaces in.
const COMMENTS_OPEN = '\n  "comments": [';
// The line that closes it: the first after it that is two spaces and a bracket (its comments' own lists are further in).
const LIST_CLOSE = '\n  ]';

/**
 * The text of a post's file (toJsonText(canonicalPost(post))) made from `text`, the text of that file as
 * termpress wrote it, when the post is the one written there with `added` comments after the others:
 * only the comments added are written out, not the hundreds a post may have. Null when the text is not
 * of the shape expected (the caller writes the post whole).
 */
export function textWithComments(text: string, added: readonly Comment[]): string | null {
  if (added.length === 0) return text;
  // Split at line feeds alone: JSON leaves U+2028 and U+2029 in strings, which a multiline RegExp takes for line ends.
  const items = added.map((c) => `    ${JSON.stringify(canonicalComment(c), null, 2).split('\n').join('\n    ')}`).join(',\n');
  const open = text.indexOf(COMMENTS_OPEN);
  if (open < 0) return null;
  const start = open + COMMENTS_OPEN.length;
  if (text.startsWith(']', start)) return `${text.slice(0, start)}\n${items}\n  ${text.slice(start)}`;
  if (!text.startsWith('\n', start)) return null;
  const close = text.indexOf(LIST_CLOSE, start);
  if (close < 0) return null;
  return `${text.slice(0, close)},\n${items}${text.slice(close)}`;
}
