/** The comment operations of a blog: add, reply, list, find, edit, moderate and delete, each under the lock. */

import {
  FIELD_LABELS,
  fieldOverLimit,
  isValidEmail,
  isValidUrl,
  normalizeCommentInput,
} from '../core/comment-rules.js';
import type { CommentField } from '../core/comment-rules.js';
import { CommentRefusedError, ConflictError, NotFoundError, RefusedError, TermpressError, UsageError } from '../core/errors.js';
import { ID_ALPHABET, MIN_PREFIX, newId } from '../core/ids.js';
import { decideComment, knownAuthorsOf, withScreening } from '../core/moderation.js';
import type { FloodSample, Screening } from '../core/moderation.js';
import { oneLine } from '../core/text.js';
import { COMMENT_STATUSES } from '../core/types.js';
import type { BlogSettings, Comment, CommentStatus, CommentType, ModerationSettings, Post } from '../core/types.js';
import type { BlogStore, LockTurn } from '../store/store.js';
import type { PostSummary } from '../store/summary.js';

/** What the comment operations need of a Blog: its store, clock, post lookup and locked writes. */
export interface CommentHost {
  readonly store: BlogStore;
  readonly now: () => Date;
  exists(): Promise<boolean>;
  resolvePostId(ref: string): Promise<string>;
  /** Runs a read-modify-write under the blog's lock (creating nothing: comments need an existing blog). */
  write<T>(fn: () => Promise<T>, turn?: LockTurn): Promise<T>;
}

/** A new comment as a reader, a script or a mail hook submits it; missing fields are empty. */
export interface AddCommentInput {
  author?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
  body: string;
  /** The id (or a unique 4+ prefix) of the comment replied to, on the same post. */
  parentId?: string | null | undefined;
  type?: CommentType | undefined;
  /** Written by the blog's own people: approved without the moderation rules (`comment add --approve`). */
  approve?: boolean | undefined;
  /** What a spam service said of it (the comment server asks Akismet before it adds a comment). */
  screening?: Screening | undefined;
}

/** A reply by the blog's author; name and email default to the blog's author. */
export interface ReplyInput {
  body: string;
  author?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
}

/** A comment together with the post it belongs to. */
export interface CommentEntry {
  comment: Comment;
  post: Post;
}

/** The outcome of adding a comment: it was stored, with its status and the reasons of the decision. */
export interface AddCommentResult extends CommentEntry {
  /** The parent approved along with a reply to it (a reply from the queue approves what it answers). */
  approvedParent?: Comment | undefined;
}

/** Which comments `listComments` returns; every filter is optional. */
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

/** The moderation actions on a comment's status. */
export const STATUS_ACTIONS = ['approve', 'unapprove', 'spam', 'unspam', 'trash', 'restore'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** A comment by its whole ids, as listComments gives them: found without looking through the blog. */
export interface CommentKey {
  postId: string;
  commentId: string;
}

/** A comment as a person names it (an id or a unique prefix of 4+ characters), or by its whole ids. */
export type CommentTarget = string | CommentKey;

/** What became of one comment of a bulk action: its result, or the error it met (the others go on). */
export type BulkOutcome<T> = { ok: true; value: T } | { ok: false; error: TermpressError };

export interface BulkOptions<T> {
  /**
   * Told each outcome, with the target's index, as soon as it is known: outcomes come post by post,
   * after each post's write, so not in the order of the targets.
   */
  onOutcome?: ((index: number, outcome: BulkOutcome<T>) => void | Promise<void>) | undefined;
}

export interface DeleteOptions {
  /** Delete comments that are not in spam or trash too. */
  force?: boolean | undefined;
}

/** The outcome of a status change; `changed` is false when the comment already had the status asked for. */
export interface StatusChange extends CommentEntry {
  from: CommentStatus;
  changed: boolean;
}

/** Fields a moderator may edit; what is left out stays as it is. */
export interface CommentChanges {
  author?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
  body?: string | undefined;
}

export interface CommentEditOptions {
  /** The comment as the edit began: a field this edit changes that changed since then is a conflict. */
  base?: Comment | undefined;
  /** Where the edited text is kept when there is a conflict. */
  recoveryText?: string | undefined;
}

export interface CommentEditResult extends CommentEntry {
  /** The fields that changed; empty when nothing did (and nothing was written). */
  changed: Array<keyof CommentChanges>;
}

const EDITABLE: Array<keyof CommentChanges> = ['author', 'email', 'url', 'body'];
const DEFAULT_LIST_STATUSES: readonly CommentStatus[] = ['pending', 'approved'];

/** A stranger's text shortened for a message, with its control characters removed. */
function shown(text: string): string {
  const line = oneLine(text);
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function total(summary: PostSummary): number {
  const c = summary.comments;
  return c.approved + c.pending + c.spam + c.trash;
}

/** Posts that hold comments, read whole; the index's counts spare reading the rest. */
async function postsWithComments(host: CommentHost, only?: string): Promise<Post[]> {
  const summaries = (await host.store.summaries()).filter((s) => total(s) > 0 && (only === undefined || s.id === only));
  const posts: Post[] = [];
  for (const summary of summaries) posts.push(await host.store.readPost(summary.id));
  return posts;
}

/** A whole comment id, or a prefix of one, as typed: lower case, trimmed, a usage error when it cannot be. */
function checkCommentRef(ref: string): string {
  const wanted = ref.trim().toLowerCase();
  if (wanted === '') throw new UsageError('A comment id is empty: give an id or a prefix of 4+ characters (termpress comment list).');
  if (wanted.length < MIN_PREFIX || ![...wanted].every((c) => ID_ALPHABET.includes(c))) {
    // Imported comments may carry ids of other shapes; those must be given whole.
    return ref.trim();
  }
  return wanted;
}

function commentNotFound(ref: string): NotFoundError {
  return new NotFoundError(`No comment "${shown(ref)}": give an id or a unique prefix of 4+ characters (termpress comment list --status all).`);
}

/**
 * The comments of some posts, found by id or unique prefix of 4+ characters without a scan per lookup:
 * a bulk action names thousands of comments, and looking each up in turn would be quadratic.
 */
class CommentFinder {
  /** The first comment with each id, in the order of the posts. */
  private readonly byId = new Map<string, CommentEntry>();
  /** Every comment sorted by id, so that the comments with a prefix sit together. */
  private readonly sorted: CommentEntry[] = [];

  constructor(posts: Post[]) {
    for (const post of posts) {
      for (const comment of post.comments) {
        const entry = { comment, post };
        if (!this.byId.has(comment.id)) this.byId.set(comment.id, entry);
        this.sorted.push(entry);
      }
    }
    this.sorted.sort((a, b) => compareText(a.comment.id, b.comment.id));
  }

  /** The comment a person means; a prefix that names several is a usage error listing them. */
  find(ref: string): CommentEntry {
    const wanted = checkCommentRef(ref);
    const exact = this.byId.get(wanted);
    if (exact) return exact;
    const matches = wanted.length >= MIN_PREFIX ? this.withPrefix(wanted) : [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const list = matches
        .slice(0, 10)
        .map((m) => `${m.comment.id} (${shown(m.comment.author) || 'anonymous'} on ${m.post.slug})`)
        .join(', ');
      throw new UsageError(`"${wanted}" matches ${matches.length} comments: ${list}; give more characters of the id.`);
    }
    throw commentNotFound(ref);
  }

  private withPrefix(prefix: string): CommentEntry[] {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]!.comment.id < prefix) low = middle + 1;
      else high = middle;
    }
    const matches: CommentEntry[] = [];
    for (let i = low; i < this.sorted.length && this.sorted[i]!.comment.id.startsWith(prefix); i++) matches.push(this.sorted[i]!);
    return matches;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One comment with its post, by id or unique prefix: across the blog, or in the one post named. */
export async function getComment(host: CommentHost, ref: string, options: { post?: string | undefined } = {}): Promise<CommentEntry> {
  if (!(await host.exists())) throw new NotFoundError(`No comment "${shown(ref)}": the blog has no posts yet.`);
  const only = options.post === undefined ? undefined : await host.resolvePostId(options.post);
  return new CommentFinder(await postsWithComments(host, only)).find(ref);
}

/** A comment id not used by any comment of the blog. */
function freshId(posts: Post[]): string {
  const taken = new Set<string>();
  for (const post of posts) for (const c of post.comments) taken.add(c.id);
  for (;;) {
    const id = newId();
    if (!taken.has(id)) return id;
  }
}

/** Who has an approved comment anywhere, and what came in lately from anyone, for the rules. */
function blogContext(posts: Post[], current: Post, settings: ModerationSettings, now: Date) {
  const others = posts.filter((p) => p.id !== current.id);
  const windowStart = now.getTime() - settings.floodSeconds * 1000;
  const recentComments: FloodSample[] = [];
  if (settings.floodSeconds > 0) {
    for (const post of others) {
      for (const c of post.comments) if (Date.parse(c.createdAt) >= windowStart) recentComments.push(c);
    }
  }
  const knownAuthors = knownAuthorsOf([...others, current].flatMap((p) => p.comments));
  return { knownAuthors, recentComments };
}

/** The rules as they apply to the blog's own people: only validity, the parent and duplicates still count. */
function staffSettings(settings: ModerationSettings): ModerationSettings {
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

/**
 * Writes a post whose comments changed. The post's revision and updatedAt stay as they are: they date
 * the author's own edits, which the site shows ("updated ..."), the feeds and sitemap date, and
 * `post edit --if-revision` checks. A comment carries its own updatedAt, the one comment edits are
 * checked against.
 */
async function savePost(host: CommentHost, post: Post, comments: Comment[]): Promise<Post> {
  const next: Post = { ...post, comments };
  await host.store.writePost(next);
  return next;
}

interface AddOptions {
  /** Approve a pending parent along with the reply (a reply from the moderation queue). */
  approveParent?: boolean;
}

/**
 * Adds a comment to a post: the moderation rules decide its status (with reasons), or refuse it
 * (RefusedError, nothing stored). `approve` stores it approved without the rules, for the blog's people.
 */
export async function addComment(
  host: CommentHost,
  postRef: string,
  input: AddCommentInput,
  options: AddOptions = {},
): Promise<AddCommentResult> {
  if (!(await host.exists())) throw new NotFoundError(`No post "${shown(postRef)}": the blog has no posts yet.`);
  return host.write(async () => {
    const settings: BlogSettings = await host.store.readSettings();
    const postId = await host.resolvePostId(postRef);
    const posts = await postsWithComments(host);
    const post = posts.find((p) => p.id === postId) ?? (await host.store.readPost(postId));
    const now = host.now();

    let parentId: string | null = null;
    if (input.parentId !== undefined && input.parentId !== null && input.parentId.trim() !== '') {
      parentId = input.parentId.trim();
      // A prefix is welcome when it names a comment of this post; the rules report what does not.
      const found = post.comments.find((c) => c.id === parentId) ?? uniquePrefixMatch(post.comments, parentId);
      if (found) parentId = found.id;
    }
    const normalized = normalizeCommentInput({
      author: input.author ?? '',
      email: input.email ?? '',
      url: input.url ?? '',
      ip: input.ip ?? '',
      userAgent: input.userAgent ?? '',
      body: input.body,
      parentId,
      type: input.type ?? 'comment',
    });

    const staff = input.approve === true;
    const parent = normalized.parentId === null ? undefined : post.comments.find((c) => c.id === normalized.parentId);
    const approveParent = staff && options.approveParent === true && parent?.status === 'pending';
    // The rules see the parent as approved when this reply approves it.
    const judged: Post = staff
      ? {
          ...post,
          commentStatus: 'open',
          comments: approveParent ? post.comments.map((c) => (c === parent ? { ...c, status: 'approved' } : c)) : post.comments,
        }
      : post;
    const rules = staff ? staffSettings(settings.moderation) : settings.moderation;
    const decision = decideComment(normalized, judged, rules, now, staff ? {} : blogContext(posts, post, settings.moderation, now));
    if (decision.outcome === 'refused') throw new CommentRefusedError(`Comment refused: ${decision.reason}`, decision.rule);
    const judgement = staff ? decision : withScreening(decision, input.screening);

    const stamp = now.toISOString();
    const comment: Comment = {
      id: freshId(posts),
      parentId: normalized.parentId,
      author: normalized.author,
      email: normalized.email,
      url: normalized.url,
      ip: normalized.ip,
      userAgent: normalized.userAgent,
      body: normalized.body,
      status: staff ? 'approved' : judgement.status,
      createdAt: stamp,
      updatedAt: stamp,
      type: normalized.type,
      reasons: staff ? ["written by the blog's people: approved without the rules"] : judgement.reasons,
    };
    let approvedParent: Comment | undefined;
    const comments = post.comments.map((c) => {
      if (!approveParent || c !== parent) return c;
      approvedParent = { ...c, status: 'approved', previousStatus: undefined, updatedAt: stamp };
      return approvedParent;
    });
    comments.push(comment);
    const saved = await savePost(host, post, comments);
    return { comment, post: saved, approvedParent };
  });
}

function uniquePrefixMatch(comments: Comment[], prefix: string): Comment | undefined {
  if (prefix.length < MIN_PREFIX) return undefined;
  const matches = comments.filter((c) => c.id.startsWith(prefix.toLowerCase()));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Replies to a comment as the blog's author: approved without the rules, threaded under it. A reply
 * to a pending comment approves that comment too (a reply under a hidden comment would show alone).
 */
export async function replyToComment(
  host: CommentHost,
  ref: string,
  input: ReplyInput,
): Promise<AddCommentResult> {
  return host.write(async () => {
    const { comment, post } = await getComment(host, ref);
    if (comment.status === 'spam' || comment.status === 'trash') {
      throw new RefusedError(`Comment ${comment.id} is ${comment.status}: restore it before replying (termpress comment ${comment.status === 'spam' ? 'unspam' : 'restore'} ${comment.id}).`);
    }
    const settings = await host.store.readSettings();
    return addComment(
      host,
      post.id,
      {
        body: input.body,
        author: input.author ?? (settings.author || post.author),
        email: input.email ?? '',
        url: input.url ?? '',
        parentId: comment.id,
        approve: true,
      },
      { approveParent: true },
    );
  });
}

/** The comment after a moderation action, or a RefusedError when the action does not apply. */
function applyAction(comment: Comment, action: StatusAction): { status: CommentStatus; previousStatus: CommentStatus | undefined } {
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
        throw new RefusedError(`Comment ${comment.id} is ${status}, not approved: use termpress comment ${status === 'spam' ? 'unspam' : 'restore'} ${comment.id}.`);
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

/** A target of a bulk action with where it stands among the targets, once its post is known. */
interface Located {
  index: number;
  /** As the person gave it, for messages. */
  ref: string;
  commentId: string;
}

/** What a bulk action does to one post, worked out in memory from the post as read under the lock. */
interface PostWork<T> {
  /** The post's comments to write, or null when nothing changed (and nothing is written). */
  comments: Comment[] | null;
  /** Per target, in order: why it failed, or its result once the post is saved. */
  results: Array<TermpressError | ((saved: Post) => T)>;
}

/** The targets grouped by post, in the order of each post's first target; targets that name no comment are settled at once. */
async function locateTargets(
  host: CommentHost,
  targets: readonly CommentTarget[],
  fail: (index: number, error: TermpressError) => Promise<void>,
): Promise<Map<string, Located[]>> {
  const byPost = new Map<string, Located[]>();
  // Read once and shared by every target given by id or prefix; a failure to read is every such target's.
  let finder: Promise<CommentFinder | null> | undefined;
  const find = async (ref: string) => {
    finder ??= (async () => ((await host.exists()) ? new CommentFinder(await postsWithComments(host)) : null))();
    const found = await finder;
    if (found === null) throw new NotFoundError(`No comment "${shown(ref)}": the blog has no posts yet.`);
    return found.find(ref);
  };
  for (const [index, target] of targets.entries()) {
    let located: Located & { postId: string };
    if (typeof target === 'string') {
      try {
        const { comment, post } = await find(target);
        located = { index, ref: target, commentId: comment.id, postId: post.id };
      } catch (error) {
        if (!(error instanceof TermpressError)) throw error;
        await fail(index, error);
        continue;
      }
    } else {
      located = { index, ref: target.commentId, ...target };
    }
    const group = byPost.get(located.postId) ?? [];
    group.push(located);
    byPost.set(located.postId, group);
  }
  return byPost;
}

/**
 * Runs a change over many comments, post by post: each post is read, changed and written once, under
 * its own hold of the lock, and processes waiting for the lock get it between posts. Approving
 * 100,000 comments of one post is one write, and a comment on another post is not kept waiting until
 * the run ends. One target's failure is its own; the others go on.
 */
async function changeComments<T>(
  host: CommentHost,
  targets: readonly CommentTarget[],
  work: (post: Post, located: Located[]) => PostWork<T>,
  options: BulkOptions<T>,
): Promise<Array<BulkOutcome<T>>> {
  const outcomes: Array<BulkOutcome<T>> = new Array<BulkOutcome<T>>(targets.length);
  const settle = async (index: number, outcome: BulkOutcome<T>) => {
    outcomes[index] = outcome;
    await options.onOutcome?.(index, outcome);
  };
  const byPost = await locateTargets(host, targets, (index, error) => settle(index, { ok: false, error }));
  let holds = 0;
  for (const [postId, located] of byPost) {
    let results: Array<BulkOutcome<T>>;
    try {
      results = await host.write(
        async () => {
          // Deleted since the targets were found: so are its comments.
          if (!(await host.store.hasPost(postId))) return located.map((l) => ({ ok: false, error: commentNotFound(l.ref) }));
          const post = await host.store.readPost(postId);
          const done = work(post, located);
          const saved = done.comments === null ? post : await savePost(host, post, done.comments);
          return done.results.map((r): BulkOutcome<T> => (r instanceof TermpressError ? { ok: false, error: r } : { ok: true, value: r(saved) }));
        },
        { afterWaiters: holds++ > 0 },
      );
    } catch (error) {
      // The post could not be read or written (a damaged file, the lock not had): every target of it failed.
      if (!(error instanceof TermpressError)) throw error;
      results = located.map(() => ({ ok: false, error }));
    }
    for (const [k, l] of located.entries()) await settle(l.index, results[k]!);
  }
  return outcomes;
}

/** Each comment id's first position in the list. */
function positionsById(comments: readonly Comment[]): Map<string, number> {
  const at = new Map<string, number>();
  comments.forEach((c, i) => {
    if (!at.has(c.id)) at.set(c.id, i);
  });
  return at;
}

/**
 * Approves, unapproves, marks as spam, unspams, trashes or restores comments. Spam and trash keep the
 * status before, so that unspam and restore return to it. Asking for the status a comment has changes
 * nothing. One write per post (see changeComments); an outcome per target, in the targets' order.
 */
export function setCommentStatuses(
  host: CommentHost,
  targets: readonly CommentTarget[],
  action: StatusAction,
  options: BulkOptions<StatusChange> = {},
): Promise<Array<BulkOutcome<StatusChange>>> {
  return changeComments(
    host,
    targets,
    (post, located) => {
      const stamp = host.now().toISOString();
      const comments = [...post.comments];
      const at = positionsById(comments);
      let changed = false;
      const results = located.map((l): PostWork<StatusChange>['results'][number] => {
        const i = at.get(l.commentId);
        if (i === undefined) return commentNotFound(l.ref);
        const comment = comments[i]!;
        const from = comment.status;
        let next: ReturnType<typeof applyAction>;
        try {
          next = applyAction(comment, action);
        } catch (error) {
          if (error instanceof TermpressError) return error;
          throw error;
        }
        if (next.status === from && next.previousStatus === comment.previousStatus) {
          return (saved) => ({ comment, post: saved, from, changed: false });
        }
        // Built without the key rather than deleted from it: a deleted key slows every later use of the object.
        const { previousStatus: _before, ...rest } = comment;
        const updated: Comment = { ...rest, status: next.status, updatedAt: stamp };
        if (next.previousStatus !== undefined) updated.previousStatus = next.previousStatus;
        comments[i] = updated;
        changed = true;
        return (saved) => ({ comment: updated, post: saved, from, changed: next.status !== from });
      });
      return { comments: changed ? comments : null, results };
    },
    options,
  );
}

/** The result of a one-target bulk action, or its error thrown. */
async function single<T>(outcomes: Promise<Array<BulkOutcome<T>>>): Promise<T> {
  const [outcome] = await outcomes;
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.value;
}

/** setCommentStatuses for one comment: its change, or its error thrown. */
export function setCommentStatus(host: CommentHost, target: CommentTarget, action: StatusAction): Promise<StatusChange> {
  return single(setCommentStatuses(host, [target], action));
}

/** The first invalid field of an edit as a usage error, or nothing. */
function checkEdit(fields: Record<CommentField, string>): void {
  if (fields.body === '') throw new UsageError('A comment may not be empty: give some text, or trash the comment.');
  const over = fieldOverLimit({ ...fields, parentId: null, type: 'comment' });
  if (over) throw new UsageError(`The ${FIELD_LABELS[over.field]} is too long: ${over.length} characters (limit ${over.limit}).`);
  if (fields.email !== '' && !isValidEmail(fields.email)) throw new UsageError(`"${shown(fields.email)}" is not a valid email address.`);
  if (fields.url !== '' && !isValidUrl(fields.url)) throw new UsageError(`"${shown(fields.url)}" is not a web address: it must start with http:// or https://.`);
}

/**
 * Changes the name, email, url or body of a comment; only what differs is written. An edit that began
 * from an older version of the comment and changes a field changed since is a conflict, and the edited
 * text is kept under .termpress/recovery/.
 */
export async function editComment(
  host: CommentHost,
  ref: string,
  changes: CommentChanges,
  options: CommentEditOptions = {},
): Promise<CommentEditResult> {
  return host.write(async () => {
    const { comment, post } = await getComment(host, ref);
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
    if (changed.length === 0) return { comment, post, changed };
    checkEdit(next);
    const base = options.base;
    // Compared field by field, not by updatedAt: two changes within one tick of the clock (or under a
    // fixed $TERMPRESS_NOW) carry the same time.
    if (base) {
      const touched = changed.filter((key) => comment[key] !== base[key]);
      if (touched.length > 0) {
        let kept = '';
        let recoveryPath: string | undefined;
        if (options.recoveryText !== undefined) {
          recoveryPath = await host.store.saveRecovery(`comment-${comment.id}.txt`, options.recoveryText);
          kept = ` Your text is kept in ${recoveryPath}.`;
        }
        throw new ConflictError(
          `Edit conflict: comment ${comment.id} changed since the edit began (${touched.join(', ')}).${kept} Look at termpress comment show ${comment.id}, then edit again.`,
          recoveryPath,
        );
      }
    }
    next.updatedAt = host.now().toISOString();
    const saved = await savePost(host, post, post.comments.map((c) => (c.id === comment.id ? next : c)));
    return { comment: next, post: saved, changed };
  });
}

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

/**
 * Deletes comments for good: only from spam or trash unless forced. Their replies move up to the
 * nearest ancestor left, as WordPress does, so that no reply is left pointing at nothing. One write per
 * post (see changeComments); an outcome per target, in the targets' order.
 */
export function deleteComments(
  host: CommentHost,
  targets: readonly CommentTarget[],
  options: DeleteOptions & BulkOptions<CommentEntry> = {},
): Promise<Array<BulkOutcome<CommentEntry>>> {
  return changeComments(
    host,
    targets,
    (post, located) => {
      const at = positionsById(post.comments);
      const deleted = new Map<string, Comment>();
      const results = located.map((l): PostWork<CommentEntry>['results'][number] => {
        const i = at.get(l.commentId);
        if (i === undefined || deleted.has(l.commentId)) return commentNotFound(l.ref);
        const comment = post.comments[i]!;
        if (!options.force && comment.status !== 'spam' && comment.status !== 'trash') {
          return new RefusedError(`Comment ${comment.id} is ${comment.status}: trash it first (termpress comment trash ${comment.id}), or pass --force.`);
        }
        deleted.set(comment.id, comment);
        return (saved) => ({ comment, post: saved });
      });
      if (deleted.size === 0) return { comments: null, results };
      const memo = new Map<string, string | null>();
      const comments = post.comments
        .filter((c) => !deleted.has(c.id))
        .map((c) => {
          const parentId = survivingParent(c.parentId, deleted, memo);
          return parentId === c.parentId ? c : { ...c, parentId };
        });
      return { comments, results };
    },
    options,
  );
}

/** deleteComments for one comment: what was deleted, or its error thrown. */
export function deleteComment(host: CommentHost, target: CommentTarget, options: DeleteOptions = {}): Promise<CommentEntry> {
  return single(deleteComments(host, [target], options));
}

/** Checks a --status value for comments: a comma list of statuses, or all. */
export function parseCommentStatuses(text: string, flag = '--status'): CommentStatus[] | 'all' {
  const words = text.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (words.includes('all')) return 'all';
  const unknown = words.filter((w) => !(COMMENT_STATUSES as readonly string[]).includes(w));
  if (unknown.length || words.length === 0) {
    throw new UsageError(`Unknown comment status "${unknown.join(',') || text}" for ${flag}: use ${COMMENT_STATUSES.join(', ')} or all.`);
  }
  return [...new Set(words)] as CommentStatus[];
}

/** Whether a comment passes the query's filters (the post filter is applied before). */
function matches(comment: Comment, post: Post, query: CommentQuery): boolean {
  if (query.status === 'all') {
    // Everything, including the comments of trashed posts.
  } else {
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

/**
 * The comments the query selects with their posts, newest first (or oldest first); by default pending
 * and approved ones of posts not in the trash.
 */
export async function listComments(host: CommentHost, query: CommentQuery = {}): Promise<CommentEntry[]> {
  if (!(await host.exists())) {
    if (query.post !== undefined) throw new NotFoundError(`No post "${query.post}": the blog has no posts yet.`);
    return [];
  }
  const only = query.post !== undefined ? await host.resolvePostId(query.post) : undefined;
  const entries: CommentEntry[] = [];
  for (const post of await postsWithComments(host, only)) {
    for (const comment of post.comments) if (matches(comment, post, query)) entries.push({ comment, post });
  }
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
