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

/**
 * What the moderation rules look up across a whole blog's comments (the known authors, the comment ids
 * in use, who sent what lately), kept from one run of new comments to the next (a comment server's
 * batches) and brought up to date post by post: a post is looked through again only when its comments
 * are another list than the one last looked through, so that judging a comment costs a few look-ups,
 * not a look through every post of the blog. For frozen posts (the store's shared copies): a post's
 * comments are taken to stay as they were when it was indexed.
 */
export class BlogComments {
  // The posts as indexed, by id.
  private readonly posts = new Map<string, Post>();
  // How many of the indexed posts know each author (authorKey), or hold each comment id.
  private readonly authors = new Map<string, number>();
  private readonly ids = new Map<string, number>();
  // The posts with comments from each sender (see senderKeys), by the sender's key.
  private readonly senders = new Map<string, string[]>();

  /** Brings the index to the blog's posts, all of them: a post gone is dropped, a post whose comments changed looked through again. */
  update(posts: readonly Post[]): void {
    for (const post of posts) this.put(post);
    if (this.posts.size === posts.length) return;
    const present = new Set(posts.map((post) => post.id));
    for (const [id, post] of this.posts) if (!present.has(id)) this.drop(post);
  }

  /** Indexes a post's current version (one read on the way, or made with withComment). */
  put(post: Post): void {
    const known = this.posts.get(post.id);
    if (known?.comments === post.comments) {
      this.posts.set(post.id, post);
      return;
    }
    // A comment added (withComment): only what it brings is indexed.
    if (known !== undefined && isOneMore(known.comments, post.comments)) {
      const before = ruleDigestOf(known);
      const added = post.comments[post.comments.length - 1]!;
      this.posts.set(post.id, post);
      for (const key of knownAuthorsOf([added])) if (!before.knownAuthors.has(key)) bump(this.authors, key, 1);
      if (!before.ids.has(added.id)) bump(this.ids, added.id, 1);
      for (const key of senderKeys(added)) {
        if (before.senders.has(key)) continue;
        const list = this.senders.get(key);
        if (list) list.push(post.id);
        else this.senders.set(key, [post.id]);
      }
      return;
    }
    if (known) this.drop(known);
    this.posts.set(post.id, post);
    const digest = ruleDigestOf(post);
    for (const key of digest.knownAuthors) bump(this.authors, key, 1);
    for (const id of digest.ids) bump(this.ids, id, 1);
    for (const key of digest.senders) {
      const list = this.senders.get(key);
      if (list) list.push(post.id);
      else this.senders.set(key, [post.id]);
    }
  }

  private drop(post: Post): void {
    this.posts.delete(post.id);
    const digest = ruleDigestOf(post);
    for (const key of digest.knownAuthors) bump(this.authors, key, -1);
    for (const id of digest.ids) bump(this.ids, id, -1);
    for (const key of digest.senders) {
      const list = this.senders.get(key)?.filter((id) => id !== post.id) ?? [];
      if (list.length > 0) this.senders.set(key, list);
      else this.senders.delete(key);
    }
  }

  /** The rules' context for a new comment on a post of the index: who is known, and what came in lately from anyone. */
  context(current: Post, settings: ModerationSettings, now: Date): DecisionContext {
    this.put(current);
    const windowStart = now.getTime() - settings.floodSeconds * 1000;
    const floodCandidates = (email: string, ip: string): FloodSample[] => {
      const found: FloodSample[] = [];
      const ids = new Set([...(this.senders.get(`e${email}`) ?? []), ...(this.senders.get(`i${ip}`) ?? [])]);
      for (const id of ids) {
        const digest = ruleDigestOf(this.posts.get(id)!);
        // Most posts had their last comment long ago: none of theirs can be a flood.
        if (id === current.id || digest.latest >= windowStart) found.push(...digest.bySender(email, ip));
      }
      return found;
    };
    const knownAuthors = (name: string, email: string) => (this.authors.get(authorKey(name, email)) ?? 0) > 0;
    return { knownAuthors, floodCandidates };
  }

  /** A comment id not used by any comment of the blog. */
  unusedId(): string {
    return unusedId((id) => (this.ids.get(id) ?? 0) > 0);
  }
}

/** Whether a list of comments is another with one more at its end. */
function isOneMore(before: readonly Comment[], after: readonly Comment[]): boolean {
  if (after.length !== before.length + 1) return false;
  for (let i = 0; i < before.length; i++) if (after[i] !== before[i]) return false;
  return true;
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/**
 * The post with one more comment, frozen as the store's shared copies are, its rule digest made from the
 * post's own rather than from all its comments again (a post may have hundreds).
 */
export function withComment(post: Post, comment: Comment): Post {
  const comments: Comment[] = [...post.comments, Object.freeze(comment)];
  Object.freeze(comments);
  const known = Object.isFrozen(post.comments) ? digests.get(post.comments) : undefined;
  if (known) digests.set(comments, digestWith(known, comments, comment));
  return Object.freeze({ ...post, comments });
}

/**
 * The rules' context for a new comment (as BlogComments gives it) from the comment digests of the blog's
 * posts, with whole only the posts whose newest comment is in the flood window (inFloodWindow): the same
 * knowledge, without reading every post (a command that takes one comment).
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
  /** The keys of its comments' senders: their emails and ips as the flood check compares them. */
  senders: ReadonlySet<string>;
  /** Its comments with this email or this ip, as the flood check compares them (see floodKeys). */
  bySender(email: string, ip: string): FloodSample[];
}

/** A comment's senders as keys (see floodKeys): emails and ips apart, so that an ip that reads like an email never matches it. */
function senderKeys(c: FloodSample): string[] {
  const { email, ip } = floodKeys(c);
  const keys: string[] = [];
  if (email !== '') keys.push(`e${email}`);
  if (ip !== '') keys.push(`i${ip}`);
  return keys;
}

/** Comments by the keys of their senders, made on first use: most posts are never asked. */
function senderIndex(comments: readonly Comment[]): RuleDigest['bySender'] {
  let byKey: Map<string, Comment[]> | undefined;
  return (email, ip) => {
    if (byKey === undefined) {
      byKey = new Map();
      for (const c of comments) {
        for (const key of senderKeys(c)) {
          const list = byKey.get(key);
          if (list) list.push(c);
          else byKey.set(key, [c]);
        }
      }
    }
    const byEmail = email === '' ? undefined : byKey.get(`e${email}`);
    const byIp = ip === '' ? undefined : byKey.get(`i${ip}`);
    return byIp === undefined ? (byEmail ?? []) : byEmail === undefined ? byIp : [...byEmail, ...byIp];
  };
}

// By a post's list of comments, and only for a frozen list of frozen comments (the store's shared
// copies), which cannot change under the digest: a post written with comments added and kept as
// written shares its list, and so its digest, with the post the rules judged.
const digests = new WeakMap<readonly Comment[], RuleDigest>();

function ruleDigestOf(post: Post): RuleDigest {
  const known = digests.get(post.comments);
  if (known) return known;
  let latest = NaN;
  const senders = new Set<string>();
  for (const c of post.comments) {
    const at = Date.parse(c.createdAt);
    if (!Number.isNaN(at) && (Number.isNaN(latest) || at > latest)) latest = at;
    for (const key of senderKeys(c)) senders.add(key);
  }
  const digest: RuleDigest = {
    ids: new Set(post.comments.map((c) => c.id)),
    knownAuthors: knownAuthorsOf(post.comments),
    latest,
    senders,
    bySender: senderIndex(post.comments),
  };
  if (Object.isFrozen(post.comments) && post.comments.every((c) => Object.isFrozen(c))) digests.set(post.comments, digest);
  return digest;
}

/** The digest of a post's comments from the digest of all but the last, which is `added`. */
function digestWith(digest: RuleDigest, comments: readonly Comment[], added: Comment): RuleDigest {
  const at = Date.parse(added.createdAt);
  return {
    ids: new Set(digest.ids).add(added.id),
    knownAuthors: new Set([...digest.knownAuthors, ...knownAuthorsOf([added])]),
    latest: Number.isNaN(at) || at <= digest.latest ? digest.latest : at,
    senders: new Set([...digest.senders, ...senderKeys(added)]),
    bySender: senderIndex(comments),
  };
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
