/** The moderation decision for a new comment, and the validated moderation settings. */

import { isValidEmail, isValidUrl } from './addresses.js';
import { UsageError } from './errors.js';
import { uniqueList } from './lists.js';
import { moderationSettingsSchema } from './schema.js';
import type { Output, Same } from './schema.js';
import { isVisibleNow } from './posts.js';
import { DEFAULT_MODERATION } from './types.js';
import type { Comment, ModerationSettings, Post } from './types.js';
import { FIELD_LABELS, authorKey, countLinks, fieldOverLimit, isLinkback, matchedWords, normalizeCommentInput } from './comment-rules.js';
import type { NewCommentInput } from './comment-rules.js';

export type { NewCommentInput } from './comment-rules.js';

/** Which refusal rule stopped a comment, for scripts and tests; the reason is for people. */
export type RefusalRule = 'not-published' | 'closed' | 'parent' | 'empty' | 'name-email' | 'too-long' | 'invalid' | 'duplicate' | 'flood';

/** What happens to a new comment: refused (nothing stored) or stored with a status and its reasons. */
export type Decision =
  | { outcome: 'refused'; rule: RefusalRule; reason: string }
  | { outcome: 'stored'; status: 'spam' | 'pending' | 'approved'; reasons: string[] };

/**
 * Who has an approved comment anywhere on the blog: a Set of `authorKey(name, email)` keys, or a
 * function given the trimmed name and email.
 */
export type KnownAuthors = ReadonlySet<string> | ((name: string, email: string) => boolean);

/** A comment as the flood check needs it. */
export type FloodSample = Pick<Comment, 'email' | 'ip' | 'createdAt'>;

/** What the caller knows beyond the post: the rest of the blog. Without it, only the post is looked at. */
export interface DecisionContext {
  /** Approved authors across the blog; without it, the post's own approved comments decide. */
  knownAuthors?: KnownAuthors | undefined;
  /** Recent comments on other posts, since a flood is per person across the blog, as in WordPress. */
  recentComments?: Iterable<FloodSample> | undefined;
  /**
   * Instead of the post's comments and recentComments: the comments of the whole blog, the post's own
   * included, that have this email or this ip (as floodKeys gives them), among those that may be recent.
   * The flood check is the same; it is only spared a look at every recent comment of the blog.
   */
  floodCandidates?: ((email: string, ip: string) => Iterable<FloodSample>) | undefined;
}

/**
 * A comment's email and ip as the flood check compares them (empty: nobody). An index of comments by
 * these keys finds every comment the check could match.
 */
export function floodKeys(sample: FloodSample): { email: string; ip: string } {
  return { email: sample.email.trim().toLowerCase(), ip: sample.ip.trim() };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether comments are closed: by the post, or because it was published more than closeAfterDays
 * ago (exactly that many days is still open, as in WordPress). A post without a date stays open.
 */
export function areCommentsClosed(post: Post, settings: ModerationSettings, now: Date): boolean {
  if (post.commentStatus === 'closed') return true;
  if (!(settings.closeAfterDays > 0) || post.publishedAt === null) return false;
  return now.getTime() - Date.parse(post.publishedAt) > settings.closeAfterDays * DAY_MS;
}

/** Stranger-supplied text quoted for a message: escaped and cut short. */
function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(short);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface Judged {
  input: NewCommentInput;
  post: Post;
  settings: ModerationSettings;
  now: Date;
  context: DecisionContext;
}

type RefusalCheck = (j: Judged) => string | null;

const refusalChecks: ReadonlyArray<readonly [RefusalRule, RefusalCheck]> = [
  [
    'not-published',
    ({ post, now }) => (isVisibleNow(post, now) ? null : `This post is not published (status: ${post.status}), so it takes no comments.`),
  ],
  [
    'closed',
    ({ post, settings, now }) => {
      if (post.commentStatus === 'closed') return 'Comments are closed on this post.';
      if (areCommentsClosed(post, settings, now)) {
        return `Comments are closed on this post: they close ${plural(settings.closeAfterDays, 'day')} after publication.`;
      }
      return null;
    },
  ],
  [
    'parent',
    ({ input, post }) => {
      if (input.parentId === null) return null;
      const parent = post.comments.find((c) => c.id === input.parentId);
      if (parent === undefined) return `The comment replied to (${quote(input.parentId)}) is not on this post.`;
      if (parent.status !== 'approved') {
        return `The comment replied to (${parent.id}) is not approved, so it cannot be replied to.`;
      }
      return null;
    },
  ],
  ['empty', ({ input }) => (input.body === '' ? 'The comment is empty: it needs some text.' : null)],
  [
    'name-email',
    ({ input, settings }) => {
      // Pingbacks and trackbacks come from sites, not people: they have no email to require.
      if (!settings.requireNameEmail || isLinkback(input.type)) return null;
      const noName = input.author === '';
      const noEmail = input.email === '';
      if (noName && noEmail) return 'A name and an email are required to comment.';
      if (noName) return 'A name is required to comment.';
      if (noEmail) return 'An email is required to comment.';
      return null;
    },
  ],
  [
    'too-long',
    ({ input }) => {
      const over = fieldOverLimit(input);
      if (over === null) return null;
      return `The ${FIELD_LABELS[over.field]} is too long: ${over.length} characters (limit ${over.limit}).`;
    },
  ],
  [
    'invalid',
    ({ input }) => {
      if (input.email !== '' && !isValidEmail(input.email)) {
        return `The email ${quote(input.email)} is not a valid email address.`;
      }
      if (input.url !== '' && !isValidUrl(input.url)) {
        return `The url ${quote(input.url)} is not a web address: it must start with http:// or https://.`;
      }
      return null;
    },
  ],
  ['duplicate', (j) => (isDuplicate(j) ? 'Duplicate comment: the same comment was already posted.' : null)],
  ['flood', (j) => (isFlood(j) ? `Too fast: wait ${plural(j.settings.floodSeconds, 'second')} between comments.` : null)],
];

/**
 * A duplicate, as WordPress finds it: a comment not in the trash on the same post with the same parent,
 * author and body, and the same email when one is given. Stored fields are trimmed before comparing.
 */
function isDuplicate({ input, post }: Judged): boolean {
  return post.comments.some(
    (c) =>
      c.status !== 'trash' &&
      (c.parentId ?? null) === input.parentId &&
      c.author.trim() === input.author &&
      (input.email === '' || c.email.trim() === input.email) &&
      c.body.trim() === input.body,
  );
}

/**
 * A flood: a comment with the same email or ip within floodSeconds before now (exactly floodSeconds
 * ago is allowed). Empty emails and ips identify nobody, so they never match.
 */
function isFlood({ input, post, settings, now, context }: Judged): boolean {
  if (context.floodCandidates !== undefined) {
    if (!(settings.floodSeconds > 0)) return false;
    return hasRecentFrom(input, settings, now, context.floodCandidates(input.email.toLowerCase(), input.ip));
  }
  return (
    hasRecentFrom(input, settings, now, post.comments) ||
    (context.recentComments !== undefined && hasRecentFrom(input, settings, now, context.recentComments))
  );
}

function hasRecentFrom(input: NewCommentInput, settings: ModerationSettings, now: Date, samples: Iterable<FloodSample>): boolean {
  if (!(settings.floodSeconds > 0)) return false;
  const email = input.email.toLowerCase();
  const windowMs = settings.floodSeconds * 1000;
  for (const c of samples) {
    const keys = floodKeys(c);
    const sameEmail = email !== '' && keys.email === email;
    const sameIp = input.ip !== '' && keys.ip === input.ip;
    if (!sameEmail && !sameIp) continue;
    const elapsed = now.getTime() - Date.parse(c.createdAt);
    // A comment dated after now (a rehearsal with $TERMPRESS_NOW in the past) is not "before now".
    if (elapsed >= 0 && elapsed < windowMs) return true;
  }
  return false;
}

/** Whether the author has an approved comment under the same name and email. */
function isKnownAuthor({ input, post, context }: Judged): boolean {
  const known = context.knownAuthors;
  if (typeof known === 'function') return known(input.author, input.email);
  if (known !== undefined) return known.has(authorKey(input.author, input.email));
  const key = authorKey(input.author, input.email);
  return post.comments.some((c) => c.status === 'approved' && authorKey(c.author, c.email) === key);
}

/** Why a comment is held, in the order of the rules; empty when nothing holds it. */
function holdReasons(j: Judged): string[] {
  const { input, settings } = j;
  const reasons: string[] = [];
  if (settings.holdAll) reasons.push('all comments are held (moderation.holdAll)');
  if (settings.maxLinks > 0) {
    const links = countLinks(input.body);
    if (links >= settings.maxLinks) reasons.push(`${plural(links, 'link')} (limit ${settings.maxLinks})`);
  }
  for (const word of matchedWords(input, settings.holdWords)) {
    reasons.push(`matched hold word ${JSON.stringify(word)}`);
  }
  if (settings.autoApproveKnown) {
    // As WordPress: linkbacks and nameless comments are never auto-approved, there is nobody to know.
    if (isLinkback(input.type)) reasons.push(`${input.type}s are not auto-approved (moderation.autoApproveKnown)`);
    else if (input.author === '' || input.email === '') reasons.push('no name and email to recognise the author by');
    else if (!isKnownAuthor(j)) reasons.push('first comment from this author');
  }
  return reasons;
}

/**
 * Decides a new reader comment by the rules of DESIGN.md, in order: refused outright, spam on a block
 * word, pending on a hold rule, else approved. The input is judged trimmed (see normalizeCommentInput,
 * which gives the fields to store). Never throws.
 */
export function decideComment(
  input: NewCommentInput,
  post: Post,
  settings: ModerationSettings,
  now: Date,
  context: DecisionContext = {},
): Decision {
  const j: Judged = { input: normalizeCommentInput(input), post, settings, now, context };

  for (const [rule, check] of refusalChecks) {
    const reason = check(j);
    if (reason !== null) return { outcome: 'refused', rule, reason };
  }

  const blocked = matchedWords(j.input, settings.blockWords);
  if (blocked.length > 0) {
    return { outcome: 'stored', status: 'spam', reasons: blocked.map((w) => `matched block word ${JSON.stringify(w)}`) };
  }

  const held = holdReasons(j);
  if (held.length > 0) return { outcome: 'stored', status: 'pending', reasons: held };

  const approval = settings.autoApproveKnown ? 'known author, no rule matched' : 'no rule matched';
  return { outcome: 'stored', status: 'approved', reasons: [approval] };
}

/** The keys of known authors among comments (approved ones only), to pass as context.knownAuthors. */
export function knownAuthorsOf(comments: Iterable<Comment>): Set<string> {
  const keys = new Set<string>();
  for (const c of comments) {
    if (c.status === 'approved' && c.author.trim() !== '' && c.email.trim() !== '') keys.add(authorKey(c.author, c.email));
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------
// Settings

export type ModerationKey = keyof ModerationSettings;

/** Every moderation setting, in the order of DEFAULT_MODERATION. */
export const MODERATION_KEYS = Object.keys(DEFAULT_MODERATION) as ModerationKey[];

/** Whether text names a moderation setting (the part after "moderation."). */
export function isModerationKey(key: string): key is ModerationKey {
  return (MODERATION_KEYS as string[]).includes(key);
}

/** What each setting accepts, in words, for error messages. */
const EXPECTED: Readonly<Record<ModerationKey, string>> = {
  holdAll: 'true or false',
  maxLinks: 'a whole number from 0 (off) to 1000',
  holdWords: 'a JSON array of strings or a comma-separated list, each word at most 200 characters',
  blockWords: 'a JSON array of strings or a comma-separated list, each word at most 200 characters',
  autoApproveKnown: 'true or false',
  requireNameEmail: 'true or false',
  floodSeconds: 'a whole number of seconds from 0 (off) to 86400',
  closeAfterDays: 'a whole number of days from 0 (never) to 36500',
  threadDepth: 'a whole number of levels from 1 (flat) to 10',
  akismetKey: 'an Akismet API key (letters and digits), or "" to turn the check off',
  akismetUrl: 'the address of an Akismet-compatible service ending with "/", such as https://rest.akismet.com/',
};

/**
 * A list typed on the command line: a JSON array (`["a","b"]`), or words separated by commas or
 * newlines (`a, b`). Blanks are dropped; an empty text is the empty list.
 */
export function parseList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new UsageError(`Invalid JSON list ${quote(trimmed)}: fix the JSON, or give the words separated by commas.`);
    }
    if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) {
      throw new UsageError(`Invalid list ${quote(trimmed)}: a JSON list must hold only strings.`);
    }
    return uniqueList(parsed);
  }
  return uniqueList(trimmed.split(/[,\n]/));
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** A value typed as text, read as the type the setting holds; other values pass unchanged. */
function coerce(key: ModerationKey, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  switch (typeof DEFAULT_MODERATION[key]) {
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      return value;
    }
    case 'number':
      return /^[0-9]+$/.test(text) ? Number(text) : value;
    case 'string':
      return text;
    default:
      return parseList(value);
  }
}

// The settings are read and checked one by one through their schema's fields (below), and given out as
// ModerationSettings: this fails to compile when the type and the schema drift apart.
const typeMatchesSchema: Same<Output<typeof moderationSettingsSchema>, ModerationSettings> = true;
void typeMatchesSchema;

/**
 * A moderation setting checked (and, when given as text, read: "true", "15", "a, b" or a JSON list).
 * Throws a UsageError naming the setting and what it accepts.
 */
export function validateModerationValue<K extends ModerationKey>(key: K, value: unknown): ModerationSettings[K];
export function validateModerationValue(key: string, value: unknown): ModerationSettings[ModerationKey];
export function validateModerationValue(key: string, value: unknown): ModerationSettings[ModerationKey] {
  if (!isModerationKey(key)) {
    throw new UsageError(`Unknown setting moderation.${key}: use one of ${MODERATION_KEYS.map((k) => `moderation.${k}`).join(', ')}.`);
  }
  const field = moderationSettingsSchema().shape[key];
  // Undefined would quietly become the default; a setting being set must say what to.
  const result = value === undefined ? null : field.safeParse(coerce(key, value));
  if (result === null || !result.success) {
    const shown = typeof value === 'string' ? quote(value) : quote(JSON.stringify(value) ?? String(value));
    throw new UsageError(`Invalid value ${shown} for moderation.${key}: expected ${EXPECTED[key]}.`);
  }
  return result.data;
}

/** What a spam service (Akismet) said of a reader's comment, as the comment server asked it. */
export interface Screening {
  verdict: 'spam' | 'ham' | 'unavailable';
  /** Said in the comment's reasons: "Akismet: spam", "Akismet could not be asked (timed out): held". */
  reason: string;
}

/**
 * A stored decision with a spam service's verdict: spam is spam; a service that could not answer
 * holds what the rules would have approved (never lost, never approved unseen); not spam changes
 * nothing. The verdict is always among the reasons.
 */
export function withScreening(
  decision: { status: 'spam' | 'pending' | 'approved'; reasons: string[] },
  screening: Screening | undefined,
): { status: 'spam' | 'pending' | 'approved'; reasons: string[] } {
  if (!screening) return decision;
  const reasons = [...decision.reasons, screening.reason];
  if (screening.verdict === 'spam') return { status: 'spam', reasons };
  if (screening.verdict === 'unavailable' && decision.status === 'approved') return { status: 'pending', reasons };
  return { status: decision.status, reasons };
}
