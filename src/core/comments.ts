/**
 * The rules of comments once they exist, as src/core/posts.ts holds those of posts: the status
 * actions and what each does, finding a comment by id or prefix, what the blog's people may edit,
 * which comments a query selects, new ids, and where replies go when comments are deleted.
 */
import { isValidEmail, isValidUrl } from './addresses.js';
import { FIELD_LABELS, authorKey, fieldOverLimit } from './comment-rules.js';
import type { CommentField, NewCommentInput } from './comment-rules.js';
import { ConflictError, NotFoundError, RefusedError, UsageError } from './errors.js';
import { ID_LENGTH, IdIndex, MIN_PREFIX, ambiguousRef, idRef, newId } from './ids.js';
import { parseChoiceList } from './lists.js';
import { floodKeys, knownAuthorsOf } from './moderation.js';
import type { DecisionContext, FloodSample } from './moderation.js';
import { shortLine } from './text.js';
import { COMMENT_STATUSES } from './types.js';
import type { Comment, CommentCounts, CommentStatus, ModerationSettings, Post } from './types.js';

// ---- Status actions ----------------------------------------------------------------------------------

/** What a moderation action is called, what it reports, what undoes it and which comments it is for. */
export interface StatusActionSpec {
  /** What the action's report says it did: "Approved comment ...". */
  done: string;
  /** The action that takes a comment back (what undo in `termpress moderate` runs). */
  undo: StatusAction;
  /** The statuses of the comments the action is for (what --all selects without --status). */
  appliesTo: readonly CommentStatus[];
}

/** The moderation actions on a comment's status. */
export const STATUS_ACTIONS = ['approve', 'unapprove', 'spam', 'unspam', 'trash', 'restore'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

export const STATUS_ACTION_SPECS: Readonly<Record<StatusAction, StatusActionSpec>> = {
  approve: { done: 'Approved', undo: 'unapprove', appliesTo: ['pending'] },
  unapprove: { done: 'Unapproved', undo: 'approve', appliesTo: ['approved'] },
  spam: { done: 'Marked as spam', undo: 'unspam', appliesTo: ['pending', 'approved'] },
  unspam: { done: 'Unspammed', undo: 'spam', appliesTo: ['spam'] },
  trash: { done: 'Trashed', undo: 'restore', appliesTo: ['pending', 'approved'] },
  restore: { done: 'Restored', undo: 'trash', appliesTo: ['trash'] },
};

/** The action that brings a comment back out of spam or the trash. */
export function returnAction(status: 'spam' | 'trash'): 'unspam' | 'restore' {
  return status === 'spam' ? 'unspam' : 'restore';
}

/** The status a comment gets from an action, and the one kept for its return; a RefusedError when the action does not apply. */
export function applyStatusAction(
  comment: Comment,
  action: StatusAction,
): { status: CommentStatus; previousStatus: CommentStatus | undefined } {
  const { status } = comment;
  const back = (): CommentStatus => {
    const previous = comment.previousStatus;
    return previous !== undefined && previous !== status ? previous : 'pending';
  };
  switch (action) {
    case 'approve':
      return { status: 'approved', previousStatus: undefined };
    case 'unapprove':
      if (status === 'spam' || status === 'trash') {
        throw new RefusedError(
          `Comment ${comment.id} is ${status}, not approved: use termpress comment ${returnAction(status)} ${comment.id}.`,
        );
      }
      return { status: 'pending', previousStatus: undefined };
    case 'spam':
    case 'trash':
      if (status === action) return { status, previousStatus: comment.previousStatus };
      return { status: action, previousStatus: status };
    case 'unspam':
      if (status !== 'spam') throw new RefusedError(`Comment ${comment.id} is not spam (it is ${status}).`);
      return { status: back(), previousStatus: undefined };
    case 'restore':
      if (status !== 'trash') throw new RefusedError(`Comment ${comment.id} is not in the trash (it is ${status}).`);
      return { status: back(), previousStatus: undefined };
  }
}

/** A comment with a new status (and the status kept for its return, if any), dated now. */
export function withStatus(
  comment: Comment,
  next: { status: CommentStatus; previousStatus: CommentStatus | undefined },
  stamp: string,
): Comment {
  // Built without the key rather than deleted from it: a deleted key slows every later use of the object.
  const { previousStatus: _before, ...rest } = comment;
  const updated: Comment = { ...rest, status: next.status, updatedAt: stamp };
  if (next.previousStatus !== undefined) updated.previousStatus = next.previousStatus;
  return updated;
}

/** Refuses a reply to a comment in spam or the trash, saying how to bring it back first. */
export function assertRepliable(comment: Comment): void {
  if (comment.status === 'spam' || comment.status === 'trash') {
    throw new RefusedError(
      `Comment ${comment.id} is ${comment.status}: restore it before replying (termpress comment ${returnAction(comment.status)} ${comment.id}).`,
    );
  }
}

/** Refuses to delete a comment that is not in spam or the trash, unless forced. */
export function deletionProblem(comment: Comment, force: boolean): RefusedError | null {
  if (force || comment.status === 'spam' || comment.status === 'trash') return null;
  return new RefusedError(
    `Comment ${comment.id} is ${comment.status}: trash it first (termpress comment trash ${comment.id}), or pass --force.`,
  );
}

/** Checks a --status value for comments: a comma list of statuses, or all. */
export function parseCommentStatuses(text: string, flag = '--status'): CommentStatus[] | 'all' {
  return parseChoiceList(text, COMMENT_STATUSES, { flag, noun: 'comment status', all: true });
}

// ---- Finding comments --------------------------------------------------------------------------------

/** A comment together with the post it belongs to. */
export interface CommentEntry {
  comment: Comment;
  post: Post;
}

export function commentNotFound(ref: string): NotFoundError {
  return new NotFoundError(
    `No comment "${shortLine(ref)}": give an id or a unique prefix of 4+ characters (termpress comment list --status all).`,
  );
}

/** The comments of some posts, found by id or unique prefix of 4+ characters (see IdIndex). */
export class CommentFinder {
  private readonly index: IdIndex<CommentEntry>;

  constructor(posts: Iterable<Post>) {
    const entries = function* () {
      for (const post of posts) for (const comment of post.comments) yield { comment, post };
    };
    this.index = new IdIndex(entries(), (entry) => entry.comment.id);
  }

  /** The comment a person means; a prefix that names several is a usage error listing them. */
  find(ref: string): CommentEntry {
    const wanted = idRef(ref);
    if (wanted === '') throw new UsageError('A comment id is empty: give an id or a prefix of 4+ characters (termpress comment list).');
    const matches = this.index.lookup(wanted);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const described = matches.map((m) => `${m.comment.id} (${shortLine(m.comment.author) || 'anonymous'} on ${m.post.slug})`);
      throw ambiguousRef(wanted, 'comments', described);
    }
    throw commentNotFound(ref);
  }
}

/** The comment of a post that a reply names by id or unique prefix, if there is exactly one. */
export function parentOf(post: Post, ref: string): Comment | undefined {
  const matches = new IdIndex(post.comments, (c) => c.id).lookup(idRef(ref));
  return matches.length === 1 ? matches[0] : undefined;
}

/** A comment id not used by any comment of the blog. */
export function unusedCommentId(posts: readonly Post[]): string {
  return unusedId((id) => posts.some((post) => ruleDigestOf(post).ids.has(id)));
}

/** A new id for which `taken` says no. */
export function unusedId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = newId();
    if (!taken(id)) return id;
  }
}

/**
 * What the comment commands need to know of a post's comments without reading the post: the ids (whole
 * ids, one after another), the known authors (keys of approved comments' name and email, as the rules
 * compare them) and when the newest came in (ISO 8601, or null without comments).
 */
export interface CommentDigest {
  ids: string;
  authors: string[];
  latest: string | null;
}

/** The digest of a post's comments. */
export function digestComments(post: Pick<Post, 'comments'>): CommentDigest {
  let latest: string | null = null;
  let latestMs = -Infinity;
  for (const c of post.comments) {
    const at = Date.parse(c.createdAt);
    if (at > latestMs) [latest, latestMs] = [c.createdAt, at];
  }
  return { ids: post.comments.map((c) => c.id).join(''), authors: [...knownAuthorsOf(post.comments)], latest };
}

/**
 * Whether a digest holds a comment that a reference (from idRef) can name: the whole id, or, for 4+
 * characters, an id it begins. Ids are whole ids of one length, so only their starts are compared.
 */
export function digestNames(digest: Pick<CommentDigest, 'ids'>, wanted: string): boolean {
  if (wanted.length < MIN_PREFIX || wanted.length > ID_LENGTH) return false;
  for (let at = digest.ids.indexOf(wanted); at !== -1; at = digest.ids.indexOf(wanted, at + 1)) {
    if (at % ID_LENGTH === 0) return true;
  }
  return false;
}

/**
 * A test of whether a digest holds a comment that any of these references can name (see digestNames).
 * For many references (a bulk action given thousands of ids) each comment's id and its starts are
 * looked up in a set, rather than every reference searched for in every digest.
 */
export function digestMatcher(refs: readonly string[]): (digest: Pick<CommentDigest, 'ids'>) => boolean {
  const wanted = new Set(refs.filter((ref) => ref.length >= MIN_PREFIX && ref.length <= ID_LENGTH));
  if (wanted.size <= 16) return (digest) => [...wanted].some((ref) => digestNames(digest, ref));
  const lengths = [...new Set([...wanted].map((ref) => ref.length))];
  return (digest) => {
    for (let at = 0; at < digest.ids.length; at += ID_LENGTH) {
      for (const length of lengths) if (wanted.has(digest.ids.slice(at, at + length))) return true;
    }
    return false;
  };
}

/** Each comment id's first position in the list. */
export function positionsById(comments: readonly Comment[]): Map<string, number> {
  const at = new Map<string, number>();
  comments.forEach((c, i) => {
    if (!at.has(c.id)) at.set(c.id, i);
  });
  return at;
}

// ---- New comments ------------------------------------------------------------------------------------

/** Who has an approved comment anywhere, and what came in lately from anyone, for the moderation rules. */
export function decisionContext(posts: readonly Post[], current: Post, settings: ModerationSettings, now: Date): DecisionContext {
  const windowStart = now.getTime() - settings.floodSeconds * 1000;
  // Looked up by email and ip in the posts' digests: a busy blog has thousands of recent comments.
  const floodCandidates = (email: string, ip: string): FloodSample[] => {
    const found: FloodSample[] = [];
    if (!(settings.floodSeconds > 0)) return found;
    for (const post of posts) {
      if (post.id === current.id) continue;
      // Most posts had their last comment long ago: none of theirs can be a flood.
      const digest = ruleDigestOf(post);
      if (digest.latest >= windowStart) found.push(...digest.bySender(email, ip));
    }
    found.push(...ruleDigestOf(current).bySender(email, ip));
    return found;
  };
  const knownAuthors = (name: string, email: string) => {
    const key = authorKey(name, email);
    if (ruleDigestOf(current).knownAuthors.has(key)) return true;
    for (const post of posts) if (post.id !== current.id && ruleDigestOf(post).knownAuthors.has(key)) return true;
    return false;
  };
  return { knownAuthors, floodCandidates };
}

/**
 * decisionContext from the comment digests of the blog's posts, with whole only the posts whose newest
 * comment is in the flood window (inFloodWindow): the same knowledge, without reading every post.
 */
export function digestContext(
  digests: ReadonlyMap<string, CommentDigest>,
  recent: readonly Post[],
  current: Post,
  settings: ModerationSettings,
  now: Date,
): DecisionContext {
  const windowStart = now.getTime() - settings.floodSeconds * 1000;
  const recentComments: FloodSample[] = [];
  if (settings.floodSeconds > 0) {
    for (const post of recent) {
      if (post.id === current.id) continue;
      for (const c of post.comments) if (Date.parse(c.createdAt) >= windowStart) recentComments.push(c);
    }
  }
  const own = knownAuthorsOf(current.comments);
  const knownAuthors = (name: string, email: string): boolean => {
    const key = authorKey(name, email);
    if (own.has(key)) return true;
    for (const [id, digest] of digests) if (id !== current.id && digest.authors.includes(key)) return true;
    return false;
  };
  return { knownAuthors, recentComments };
}

/** Whether a post's newest comment came in the flood window: the posts digestContext needs whole. */
export function inFloodWindow(digest: CommentDigest, settings: ModerationSettings, now: Date): boolean {
  return settings.floodSeconds > 0 && digest.latest !== null && Date.parse(digest.latest) >= now.getTime() - settings.floodSeconds * 1000;
}

/** What the rules look up in a post's comments, gathered once. */
interface RuleDigest {
  ids: ReadonlySet<string>;
  knownAuthors: ReadonlySet<string>;
  /** When its newest comment came (NaN when none has a readable date). */
  latest: number;
  /** Its comments with this email or this ip, as the flood check compares them (see floodKeys). */
  bySender(email: string, ip: string): FloodSample[];
}

/** Comments by the keys of their senders, made on first use: most posts are never asked. */
function senderIndex(comments: readonly Comment[]): RuleDigest['bySender'] {
  let byKey: Map<string, Comment[]> | undefined;
  return (email, ip) => {
    if (byKey === undefined) {
      byKey = new Map();
      const add = (key: string, c: Comment) => {
        const list = byKey!.get(key);
        if (list) list.push(c);
        else byKey!.set(key, [c]);
      };
      for (const c of comments) {
        const keys = floodKeys(c);
        // Emails and ips apart: an ip that reads like an email never matches it.
        if (keys.email !== '') add(`e${keys.email}`, c);
        if (keys.ip !== '') add(`i${keys.ip}`, c);
      }
    }
    const byEmail = email === '' ? undefined : byKey.get(`e${email}`);
    const byIp = ip === '' ? undefined : byKey.get(`i${ip}`);
    return byIp === undefined ? (byEmail ?? []) : byEmail === undefined ? byIp : [...byEmail, ...byIp];
  };
}

// Kept for frozen posts only (the store's shared copies), which cannot change under the digest: a
// comment server judging a burst of comments then looks through each post of the blog once, not once a comment.
const digests = new WeakMap<Post, RuleDigest>();

function ruleDigestOf(post: Post): RuleDigest {
  const known = digests.get(post);
  if (known) return known;
  let latest = NaN;
  for (const c of post.comments) {
    const at = Date.parse(c.createdAt);
    if (!Number.isNaN(at) && (Number.isNaN(latest) || at > latest)) latest = at;
  }
  const digest: RuleDigest = {
    ids: new Set(post.comments.map((c) => c.id)),
    knownAuthors: knownAuthorsOf(post.comments),
    latest,
    bySender: senderIndex(post.comments),
  };
  if (Object.isFrozen(post) && Object.isFrozen(post.comments) && post.comments.every((c) => Object.isFrozen(c))) digests.set(post, digest);
  return digest;
}

/** The rules as they apply to the blog's own people: only validity, the parent and duplicates still count. */
export function staffSettings(settings: ModerationSettings): ModerationSettings {
  return {
    ...settings,
    holdAll: false,
    maxLinks: 0,
    holdWords: [],
    blockWords: [],
    autoApproveKnown: false,
    requireNameEmail: false,
    floodSeconds: 0,
    closeAfterDays: 0,
  };
}

/** Why a comment of the blog's own people is approved. */
export const STAFF_REASON = "written by the blog's people: approved without the rules";

/** A new comment as stored, from its normalised input and the status the rules gave it. */
export function makeComment(input: NewCommentInput, id: string, status: CommentStatus, reasons: string[], now: Date): Comment {
  const stamp = now.toISOString();
  return {
    id,
    parentId: input.parentId,
    author: input.author,
    email: input.email,
    url: input.url,
    ip: input.ip,
    userAgent: input.userAgent,
    body: input.body,
    status,
    createdAt: stamp,
    updatedAt: stamp,
    type: input.type,
    reasons,
  };
}

// ---- Edits by the blog's people ----------------------------------------------------------------------

/** Fields a moderator may edit; what is left out stays as it is. */
export interface CommentChanges {
  author?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
  body?: string | undefined;
}

const EDITABLE: Array<keyof CommentChanges> = ['author', 'email', 'url', 'body'];

/** The first invalid field of an edit as a usage error, or nothing. */
function checkEdit(fields: Record<CommentField, string>): void {
  if (fields.body === '') throw new UsageError('A comment may not be empty: give some text, or trash the comment.');
  const over = fieldOverLimit({ ...fields, parentId: null, type: 'comment' });
  if (over) throw new UsageError(`The ${FIELD_LABELS[over.field]} is too long: ${over.length} characters (limit ${over.limit}).`);
  if (fields.email !== '' && !isValidEmail(fields.email))
    throw new UsageError(`"${shortLine(fields.email)}" is not a valid email address.`);
  if (fields.url !== '' && !isValidUrl(fields.url))
    throw new UsageError(`"${shortLine(fields.url)}" is not a web address: it must start with http:// or https://.`);
}

/**
 * A comment as an edit leaves it (trimmed fields, checked), with the fields that changed; nothing
 * changed is no error. Dating the edit is the caller's, once the edit is known to go ahead.
 */
export function editedComment(comment: Comment, changes: CommentChanges): { next: Comment; changed: Array<keyof CommentChanges> } {
  const next: Comment = { ...comment };
  const changed: Array<keyof CommentChanges> = [];
  for (const key of EDITABLE) {
    const raw = changes[key];
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value === comment[key]) continue;
    next[key] = value;
    changed.push(key);
  }
  if (changed.length > 0) checkEdit(next);
  return { next, changed };
}

/**
 * The fields an edit changes that changed since it began from base, or none. Compared field by field,
 * not by updatedAt: two changes within one tick of the clock (or under a fixed $TERMPRESS_NOW) carry the
 * same time.
 */
export function editConflict(
  current: Comment,
  base: Comment | undefined,
  changed: ReadonlyArray<keyof CommentChanges>,
): Array<keyof CommentChanges> {
  if (base === undefined) return [];
  return changed.filter((key) => current[key] !== base[key]);
}

/** The conflict error of a comment edit, saying where the edited text is kept if it was. */
export function commentConflict(comment: Comment, touched: readonly string[], recoveryPath: string | undefined): ConflictError {
  const kept = recoveryPath === undefined ? '' : ` Your text is kept in ${recoveryPath}.`;
  return new ConflictError(
    `Edit conflict: comment ${comment.id} changed since the edit began (${touched.join(', ')}).${kept} Look at termpress comment show ${comment.id}, then edit again.`,
    recoveryPath,
  );
}

// ---- Deleting ----------------------------------------------------------------------------------------

/**
 * The nearest ancestor of a comment that survives a deletion, or null for the top level: a reply moves
 * up past every deleted comment above it. Memoised, so that long deleted chains cost their length once;
 * a cycle of deleted comments (broken data) ends at the top level.
 */
function survivingParent(parentId: string | null, deleted: ReadonlyMap<string, Comment>, memo: Map<string, string | null>): string | null {
  const climbed: string[] = [];
  const seen = new Set<string>();
  let at = parentId;
  while (at !== null && deleted.has(at)) {
    if (memo.has(at)) {
      at = memo.get(at)!;
      break;
    }
    if (seen.has(at)) {
      at = null;
      break;
    }
    seen.add(at);
    climbed.push(at);
    at = deleted.get(at)!.parentId;
  }
  for (const id of climbed) memo.set(id, at);
  return at;
}

/** The comments left after a deletion, their replies moved up to the nearest ancestor left, as WordPress does. */
export function withoutComments(comments: readonly Comment[], deleted: ReadonlyMap<string, Comment>): Comment[] {
  const memo = new Map<string, string | null>();
  return comments
    .filter((c) => !deleted.has(c.id))
    .map((c) => {
      const parentId = survivingParent(c.parentId, deleted, memo);
      return parentId === c.parentId ? c : { ...c, parentId };
    });
}

// ---- Queries -----------------------------------------------------------------------------------------

/** Which comments a list returns; every filter is optional. */
export interface CommentQuery {
  /** Only this post (an id, a 4+ prefix or a slug). */
  post?: string | undefined;
  /** Default: pending and approved. 'all' also shows spam, trash and the comments of trashed posts. */
  status?: CommentStatus[] | 'all' | undefined;
  /** Case-insensitive: the whole name. */
  author?: string | undefined;
  /** Case-insensitive: the whole email. */
  email?: string | undefined;
  /** Case-insensitive text found in the body, name, email or url. */
  search?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Newest first unless 'oldest'. */
  order?: 'newest' | 'oldest' | undefined;
  limit?: number | undefined;
}

const DEFAULT_LIST_STATUSES: readonly CommentStatus[] = ['pending', 'approved'];

/**
 * Whether a post with these counts of comments by status can hold a comment the query selects (the
 * statuses of commentMatches), so that a listing reads only the posts that can.
 */
export function mayHoldMatches(
  post: Pick<Post, 'status'> & { commentCounts: CommentCounts },
  query: Pick<CommentQuery, 'status'>,
): boolean {
  if (query.status === 'all') return Object.values(post.commentCounts).some((n) => n > 0);
  if (post.status === 'trash') return false;
  return (query.status ?? DEFAULT_LIST_STATUSES).some((status) => post.commentCounts[status] > 0);
}

/** Whether a comment passes the query's filters (the post filter is applied before). */
export function commentMatches(comment: Comment, post: Post, query: CommentQuery): boolean {
  if (query.status !== 'all') {
    // Only 'all' shows the comments of trashed posts.
    if (post.status === 'trash') return false;
    if (!(query.status ?? DEFAULT_LIST_STATUSES).includes(comment.status)) return false;
  }
  if (query.author !== undefined && comment.author.trim().toLowerCase() !== query.author.trim().toLowerCase()) return false;
  if (query.email !== undefined && comment.email.trim().toLowerCase() !== query.email.trim().toLowerCase()) return false;
  if (query.search !== undefined) {
    const needle = query.search.toLowerCase();
    const hay = `${comment.body}\n${comment.author}\n${comment.email}\n${comment.url}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  const when = Date.parse(comment.createdAt);
  if (query.since && when < query.since.getTime()) return false;
  if (query.until && when > query.until.getTime()) return false;
  return true;
}

/** Entries newest first (or oldest first), ties by comment id, cut to the query's limit. */
export function orderComments(entries: readonly CommentEntry[], query: Pick<CommentQuery, 'order' | 'limit'>): CommentEntry[] {
  const direction = query.order === 'oldest' ? 1 : -1;
  // Each date read once, not once per comparison.
  const keyed = entries.map((entry) => ({ entry, time: Date.parse(entry.comment.createdAt) }));
  keyed.sort((a, b) => {
    if (a.time !== b.time) return a.time < b.time ? -direction : direction;
    return a.entry.comment.id < b.entry.comment.id ? -direction : direction;
  });
  const sorted = keyed.map((k) => k.entry);
  return query.limit === undefined ? sorted : sorted.slice(0, query.limit);
}
