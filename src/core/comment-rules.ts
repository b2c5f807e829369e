/** The small pure checks behind the moderation decision: field limits, links, words. */

import { MAX_COMMENT_LENGTH, MAX_EMAIL_LENGTH, MAX_IP_LENGTH, MAX_NAME_LENGTH, MAX_URL_LENGTH, MAX_USER_AGENT_LENGTH } from './limits.js';
import { uniqueList } from './lists.js';
import { charLength } from './text.js';
import type { Comment, CommentType } from './types.js';

/** What a reader (or a script, or a pingback) submits as a new comment: a comment's own fields. Strings may be empty. */
export type NewCommentInput = Pick<Comment, 'author' | 'email' | 'url' | 'ip' | 'userAgent' | 'body' | 'parentId' | 'type'>;

/** The fields a comment's text lives in, with the names people read in messages. */
export const COMMENT_FIELDS = ['author', 'email', 'url', 'ip', 'userAgent', 'body'] as const;
export type CommentField = (typeof COMMENT_FIELDS)[number];

/** Field length limits in characters (code points), from src/core/limits.ts. */
export const FIELD_LIMITS: Readonly<Record<CommentField, number>> = {
  author: MAX_NAME_LENGTH,
  email: MAX_EMAIL_LENGTH,
  url: MAX_URL_LENGTH,
  ip: MAX_IP_LENGTH,
  userAgent: MAX_USER_AGENT_LENGTH,
  body: MAX_COMMENT_LENGTH,
};

/** How a field is named in a message to a person. */
export const FIELD_LABELS: Readonly<Record<CommentField, string>> = {
  author: 'name',
  email: 'email',
  url: 'url',
  ip: 'ip address',
  userAgent: 'user agent',
  body: 'comment',
};

/**
 * The input as it is judged and should be stored: every text field trimmed (as WordPress trims them)
 * and an empty parent id read as "no parent".
 */
export function normalizeCommentInput(input: NewCommentInput): NewCommentInput {
  const parentId = input.parentId?.trim() ?? '';
  return {
    author: input.author.trim(),
    email: input.email.trim(),
    url: input.url.trim(),
    ip: input.ip.trim(),
    userAgent: input.userAgent.trim(),
    body: input.body.trim(),
    parentId: parentId === '' ? null : parentId,
    type: input.type,
  };
}

/** The first field over its limit, with its length, or null when all fit. */
export function fieldOverLimit(input: NewCommentInput): { field: CommentField; length: number; limit: number } | null {
  for (const field of COMMENT_FIELDS) {
    const limit = FIELD_LIMITS[field];
    // A cheap pre-check: a string no longer than the limit in UTF-16 units cannot exceed it in code points.
    if (input[field].length <= limit) continue;
    const length = charLength(input[field]);
    if (length > limit) return { field, length, limit };
  }
  return null;
}

// Anchor attributes are bounded so a body full of unclosed "<a " cannot make the scan quadratic.
const LINK_TOKENS = /(<a\s[^<>]{0,2000}>)|(<\/a\s*>)|(https?:\/\/)/gi;

/**
 * How many links a body holds, counted as WordPress moderates them: each `<a ... href>` tag, plus
 * each bare http(s):// address outside an anchor (so `<a href="http://x">http://x</a>` is one link).
 */
export function countLinks(body: string): number {
  let count = 0;
  let insideAnchor = false;
  for (const match of body.matchAll(LINK_TOKENS)) {
    const [, open, close] = match;
    if (open !== undefined) {
      insideAnchor = true;
      if (/\bhref\s*=/i.test(open)) count++;
    } else if (close !== undefined) {
      insideAnchor = false;
    } else if (!insideAnchor) {
      count++;
    }
  }
  return count;
}

/**
 * The words of the list that occur, case-insensitively, as a substring of any of the comment's
 * fields (name, email, url, body, ip, user agent), as WordPress's moderation and disallowed keys do.
 */
export function matchedWords(input: NewCommentInput, words: readonly string[]): string[] {
  const haystacks = COMMENT_FIELDS.map((field) => input[field].toLowerCase());
  return uniqueList(words).filter((word) => {
    const needle = word.toLowerCase();
    return haystacks.some((text) => text.includes(needle));
  });
}

/**
 * The key under which an author is known: the trimmed name and the trimmed, lower-cased email,
 * since mail domains (and in practice mailboxes) ignore case.
 */
export function authorKey(name: string, email: string): string {
  return `${name.trim()}\n${email.trim().toLowerCase()}`;
}

/** Whether a comment of this type is a pingback or trackback rather than a reader's comment. */
export function isLinkback(type: CommentType): boolean {
  return type === 'pingback' || type === 'trackback';
}
