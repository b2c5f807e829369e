/**
 * The shapes of the data (schemaVersion 1) as zod schemas, with the limits of ./limits.ts: one definition
 * for every way a post comes in (create, edit, comments, imports, restores, files read from disk).
 */
import * as z from './zod.js';
import { once } from './once.js';
import { ID_ALPHABET, ID_LENGTH, isId } from './ids.js';
import {
  MAX_BODY_BYTES,
  MAX_CATEGORIES,
  MAX_COMMENT_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_EXCERPT_BYTES,
  MAX_IP_LENGTH,
  MAX_NAME_LENGTH,
  MAX_REVISION,
  MAX_TAGS,
  MAX_TERM_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from './limits.js';
import { storedSlugProblem } from './slug.js';
import { charLength } from './text.js';
import { uniqueList } from './lists.js';
import { COMMENT_STATUSES, COMMENT_TYPES, DEFAULT_MODERATION, POST_STATUSES, POST_TYPES } from './types.js';
import type { BlogSettings, Comment, CommentCounts, Post } from './types.js';

// Messages are predicates of the field they follow: `field "tags": has 201 tags; the limit is 200`.

// Every schema is made when first used (see once.ts); the pieces below are made afresh by each schema
// that uses them, which is once per command.

const isoDate = () => z.iso.datetime({ offset: true });
const legacy = () => z.record(z.string(), z.unknown()).optional();

/** A whole id, the only shape a post file may be named by. */
const id = () => z.string().refine(isId, { error: `is not a termpress id (${ID_LENGTH} characters of ${ID_ALPHABET})` });

/** Text of at most limit characters (code points). */
function chars(limit: number) {
  return z.string().refine((text) => text.length <= limit || charLength(text) <= limit, {
    error: (issue) => `has ${charLength(issue.input as string)} characters; the limit is ${limit}`,
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Text a person wrote: no NUL characters (a binary file read by mistake), and well-formed Unicode. */
function wellFormed(schema: z.ZodString) {
  return schema
    .refine((text) => !text.includes('\u0000'), { error: 'holds NUL characters (is it a binary file?)' })
    .refine((text) => !/\p{Surrogate}/u.test(text), { error: 'is not valid Unicode text (it holds an unpaired surrogate)' });
}

/** Text of at most limit bytes of UTF-8. */
function bytes(limit: number, hint: string) {
  // A string of n UTF-16 units has at most 3n bytes of UTF-8, which spares counting short ones.
  const size = (text: string) => (text.length * 3 <= limit ? text.length : Buffer.byteLength(text, 'utf8'));
  return z.string().refine((text) => size(text) <= limit, {
    error: (issue) =>
      `is ${megabytes(Buffer.byteLength(issue.input as string, 'utf8'))}; the limit is ${megabytes(limit)} (${limit} bytes): ${hint}`,
  });
}

/** Category or tag names: at most max of them, each at most MAX_TERM_LENGTH characters. */
function terms(max: number, noun: string) {
  return z.array(chars(MAX_TERM_LENGTH)).max(max, {
    error: (issue) => `has ${(issue.input as unknown[]).length} ${noun}; the limit is ${max}`,
  });
}

const slug = () =>
  z.string().refine((text) => storedSlugProblem(text) === null, {
    error: (issue) => storedSlugProblem(issue.input as string) ?? 'is not a valid slug',
  });

const revision = () =>
  z.number().refine((n) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_REVISION, {
    error: `must be a whole number from 1 to ${MAX_REVISION}`,
  });

/** A comment's fields. */
const commentShape = () => ({
  id: id(),
  parentId: id().nullable(),
  author: chars(MAX_NAME_LENGTH),
  email: chars(MAX_EMAIL_LENGTH),
  url: chars(MAX_URL_LENGTH),
  ip: chars(MAX_IP_LENGTH),
  userAgent: chars(MAX_USER_AGENT_LENGTH),
  body: chars(MAX_COMMENT_LENGTH),
  status: z.enum(COMMENT_STATUSES),
  previousStatus: z.enum(COMMENT_STATUSES).optional(),
  createdAt: isoDate(),
  updatedAt: isoDate(),
  type: z.enum(COMMENT_TYPES),
  reasons: z.array(z.string()),
  legacy: legacy(),
});

/** A post's own fields (all but its comments and conflicts). */
const postFields = () => ({
  id: id(),
  slug: slug(),
  title: wellFormed(chars(MAX_TITLE_LENGTH)),
  author: chars(MAX_NAME_LENGTH),
  status: z.enum(POST_STATUSES),
  previousStatus: z.enum(POST_STATUSES).optional(),
  categories: terms(MAX_CATEGORIES, 'categories'),
  tags: terms(MAX_TAGS, 'tags'),
  excerpt: wellFormed(bytes(MAX_EXCERPT_BYTES, 'shorten it')),
  body: wellFormed(bytes(MAX_BODY_BYTES, 'shorten it, or split the post')),
  format: z.enum(['markdown', 'html']),
  createdAt: isoDate(),
  updatedAt: isoDate(),
  publishedAt: isoDate().nullable(),
  permalinkDate: z.iso.date().optional(),
  commentStatus: z.enum(['open', 'closed']),
  sticky: z.boolean(),
  type: z.enum(POST_TYPES).optional(),
  parentId: id().nullable().optional(),
  menuOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  revision: revision(),
  legacy: legacy(),
});

/** The name of a field (or of a dotted path of the settings) that a merge found changed on both sides. */
const conflictField = () =>
  z
    .string()
    .regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/, 'a field name')
    .max(200);

/**
 * What a merge could not decide, kept in the file (which stays valid JSON) until `post resolve` or
 * `config resolve` ends it: the field, and its values on the other side and in the common ancestor (an
 * absent key: the field was not there). The file itself holds the side the merge kept.
 */
function conflictOf(values: z.ZodType<Record<string, unknown>>) {
  return z.object({ field: conflictField(), theirs: values, base: values.optional() });
}

/** A post's unresolved merge conflicts: the other side's values are checked as the post's own would be. */
const postConflicts = () =>
  z
    .array(conflictOf(z.looseObject(postFields()).partial()))
    .max(MAX_CONFLICTS)
    .optional();
/** The most conflicts a file records: one per field is all a merge makes. */
const MAX_CONFLICTS = 1000;

// Loose objects: fields a later version or another tool added are kept when a file is rewritten.
export const commentSchema = once(() => z.looseObject(commentShape()));
export const postSchema = once(() =>
  z.looseObject({
    ...postFields(),
    comments: z.array(commentSchema()),
    conflicts: postConflicts(),
  }),
);

/**
 * A post as an import or a restore takes it in: the same rules, but keys termpress does not know are
 * dropped, since nothing vouches for what a backup or another tool carried.
 */
export const incomingPostSchema = once(() =>
  z.object({
    ...postFields(),
    comments: z.array(z.object(commentShape())),
    conflicts: postConflicts(),
  }),
);

const count = () => z.number().int().min(0);

/** What the index keeps of a post: every field but body and comments, and the counts of its comments by status. */
export const postSummarySchema = once(() => {
  const { body: _body, ...summaryFields } = postFields();
  return z.looseObject({
    ...summaryFields,
    commentCounts: z.object({ approved: count(), pending: count(), spam: count(), trash: count() }),
  });
});

const wordList = () =>
  z
    .array(z.string().max(200, { error: 'each word must be at most 200 characters' }))
    .max(100_000)
    .transform(uniqueList);

const wholeNumber = (min: number, max: number) => z.int().min(min).max(max);

/** The moderation settings as stored in termpress.json; missing keys take their defaults. */
export const moderationSettingsSchema = once(() =>
  z.object({
    holdAll: z.boolean().default(DEFAULT_MODERATION.holdAll),
    maxLinks: wholeNumber(0, 1000).default(DEFAULT_MODERATION.maxLinks),
    holdWords: wordList().default(() => [...DEFAULT_MODERATION.holdWords]),
    blockWords: wordList().default(() => [...DEFAULT_MODERATION.blockWords]),
    autoApproveKnown: z.boolean().default(DEFAULT_MODERATION.autoApproveKnown),
    requireNameEmail: z.boolean().default(DEFAULT_MODERATION.requireNameEmail),
    floodSeconds: wholeNumber(0, 86_400).default(DEFAULT_MODERATION.floodSeconds),
    closeAfterDays: wholeNumber(0, 36_500).default(DEFAULT_MODERATION.closeAfterDays),
    threadDepth: wholeNumber(1, 10).default(DEFAULT_MODERATION.threadDepth),
    akismetKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{0,64}$/, 'an Akismet API key: letters and digits')
      .default(DEFAULT_MODERATION.akismetKey),
    akismetUrl: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s/?#@]+\/$/, 'the address of an Akismet-compatible service, such as https://rest.akismet.com/')
      .default(DEFAULT_MODERATION.akismetUrl),
  }),
);

export const settingsSchema = once(() =>
  z.looseObject({
    schemaVersion: z.number().int().min(0),
    // The blog's title and description are on every page and feed: bounded like a post's title.
    title: chars(MAX_TITLE_LENGTH),
    description: chars(MAX_TITLE_LENGTH),
    // The base of every link of the site: an absolute http(s) address, whichever way it came in.
    url: z.string().refine((text) => /^https?:\/\/[^\s/]+/.test(text) && URL.canParse(text), {
      error: 'needs an absolute http(s) address such as https://example.com/',
    }),
    language: z.string().min(1),
    timezone: z.string().min(1),
    author: chars(MAX_NAME_LENGTH),
    permalink: z.string().min(1),
    postsPerPage: z.number().int().min(1).max(1000),
    moderation: moderationSettingsSchema(),
    oldPermalinks: z
      .array(z.object({ permalink: z.string().min(1).max(MAX_URL_LENGTH), until: isoDate() }))
      .max(1000)
      .optional(),
    comments: z.looseObject({
      endpoint: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    }),
    notify: z.looseObject({
      email: z.union([z.literal(''), z.email()]),
      from: z.string(),
      smtp: z.union([z.literal(''), z.url({ protocol: /^smtps?$/ })]),
      webhook: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    }),
    conflicts: z
      .array(conflictOf(z.record(z.string(), z.unknown())))
      .max(MAX_CONFLICTS)
      .optional(),
  }),
);

// Each stored type is exactly what its schema gives (keys the schema lets through from another version
// aside): these fail to compile when a type and its schema drift apart. The moderation settings' own
// check is beside the code that reads them one by one (src/core/moderation.ts).
/** True when A and B are the same type, false otherwise (for checks at compile time). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** A loose object's type without the index signature that stands for the keys it does not know. */
type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type Flat<T> = { [K in keyof T]: T[K] };
/** What the schema a `once` function makes gives. */
export type Output<F extends () => z.ZodType> = z.output<ReturnType<F>>;
const typesMatchSchemas: [
  Same<Known<Output<typeof commentSchema>>, Comment>,
  Same<Omit<Known<Output<typeof postSchema>>, 'comments'>, Omit<Post, 'comments'>>,
  Same<Omit<Known<Output<typeof settingsSchema>>, 'comments' | 'notify'>, Omit<BlogSettings, 'comments' | 'notify'>>,
  Same<Known<Output<typeof settingsSchema>['comments']>, BlogSettings['comments']>,
  Same<Known<Output<typeof settingsSchema>['notify']>, BlogSettings['notify']>,
  Same<Known<Output<typeof postSummarySchema>>, Flat<Omit<Post, 'body' | 'comments' | 'conflicts'> & { commentCounts: CommentCounts }>>,
] = [true, true, true, true, true, true];
void typesMatchSchemas;

/** The first problem zod found, as `field "name": message`, naming nested fields by their path and comments by id. */
export function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let label = where;
  // Name the comment by id, not only its position, so the person can find it.
  if (issue.path[0] === 'comments' && typeof issue.path[1] === 'number') {
    const comment = (value as { comments?: Array<{ id?: unknown }> } | null)?.comments?.[issue.path[1]];
    if (comment && typeof comment.id === 'string' && isId(comment.id)) label = `${where} (comment ${comment.id})`;
  }
  return `field "${label}": ${issue.message}`;
}

/** Why a value is not blog settings termpress may store, or null when it is. */
export function settingsProblem(value: unknown): string | null {
  const result = settingsSchema().safeParse(value);
  return result.success ? null : describeIssue(result.error, value);
}

/** Why a value is not a post termpress may store, or null when it is one. */
export function postProblem(value: unknown): string | null {
  const result = postSchema().safeParse(value);
  return result.success ? null : describeIssue(result.error, value);
}

/**
 * postProblem for a post made from `checked`, a post that passed it and was deep-frozen since (the
 * store's shared copies), by adding comments and nothing else: only the comments added are checked,
 * as the rest was (a comment server writes a post of hundreds of comments for each few it takes).
 * Any other post is checked whole.
 */
export function postProblemSince(post: Post, checked: Post): string | null {
  const added = commentsAdded(post, checked);
  return added === null ? postProblem(post) : addedCommentsProblem(post, added);
}

/**
 * The comments of a post beyond those of `checked` (see postProblemSince), when the post is `checked`
 * with comments added and nothing else changed; else null.
 */
export function commentsAdded(post: Post, checked: Post): readonly Comment[] | null {
  if (!Object.isFrozen(checked) || !Object.isFrozen(checked.comments)) return null;
  const fields = Object.keys(post);
  if (fields.length !== Object.keys(checked).length) return null;
  for (const field of fields) {
    if (field === 'comments') continue;
    if (
      !Object.hasOwn(checked, field) ||
      (post as unknown as Record<string, unknown>)[field] !== (checked as unknown as Record<string, unknown>)[field]
    )
      return null;
  }
  if (!Array.isArray(post.comments) || post.comments.length < checked.comments.length) return null;
  for (let i = 0; i < checked.comments.length; i++) if (post.comments[i] !== checked.comments[i]) return null;
  return post.comments.slice(checked.comments.length);
}

/** postProblem for a checked post with these comments added (see commentsAdded): only they are checked. */
export function addedCommentsProblem(post: Post, added: readonly Comment[]): string | null {
  return added.every((comment) => commentSchema().safeParse(comment).success) ? null : postProblem(post);
}
