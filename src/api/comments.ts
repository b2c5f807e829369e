/** The comment operations of a blog: add, reply, list, find, edit, moderate and delete, each under the lock. */

import { normalizeCommentInput } from '../core/comment-rules.js';
import {
  BlogComments,
  CommentFinder,
  STAFF_REASON,
  applyStatusAction,
  assertRepliable,
  commentConflict,
  commentMatches,
  commentNotFound,
  deletionProblem,
  digestContext,
  digestMatcher,
  digestNames,
  editConflict,
  editedComment,
  inFloodWindow,
  makeComment,
  mayHoldMatches,
  orderComments,
  parentOf,
  positionsById,
  staffSettings,
  unusedId,
  withComment,
  withStatus,
  withoutComments,
} from '../core/comments.js';
import type { CommentChanges, CommentDigest, CommentEntry, CommentQuery, StatusAction } from '../core/comments.js';
import { CommentRefusedError, NotFoundError, TermpressError, UsageError } from '../core/errors.js';
import { idRef, isId } from '../core/ids.js';
import { decideComment, withScreening } from '../core/moderation.js';
import type { DecisionContext, Screening } from '../core/moderation.js';
import { shortLine } from '../core/text.js';
import type { BlogSettings, Comment, CommentStatus, CommentType, ModerationSettings, Post } from '../core/types.js';
import type { BlogStore, LockTurn } from '../store/store.js';
import type { KeptText } from './recovery.js';
import type { PostSummary } from '../store/summary.js';

export { STATUS_ACTIONS, STATUS_ACTION_SPECS, parseCommentStatuses } from '../core/comments.js';
export type { CommentChanges, CommentEntry, CommentQuery, StatusAction } from '../core/comments.js';

/** What the comment operations need of a Blog: its store, clock, post lookup and locked writes. */
export interface CommentHost {
  readonly store: BlogStore;
  readonly now: () => Date;
  /** The blog's settings as the file holds them now (read again only when the file changed). */
  settings(): Promise<BlogSettings>;
  exists(): Promise<boolean>;
  resolvePostId(ref: string): Promise<string>;
  keepText(kept: KeptText, text: string): Promise<string>;
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

/** The outcome of adding a comment: it was stored, with its status and the reasons of the decision. */
export interface AddCommentResult extends CommentEntry {
  /** The parent approved along with a reply to it (a reply from the queue approves what it answers). */
  approvedParent?: Comment | undefined;
}

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
  /** Work out every outcome, and write nothing (nor take the lock). */
  dryRun?: boolean | undefined;
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

function total(summary: PostSummary): number {
  const c = summary.commentCounts;
  return c.approved + c.pending + c.spam + c.trash;
}

/**
 * Posts that hold comments (of the statuses a query selects, when one is given), read whole; the
 * index's counts spare reading the rest. `shared`: the store's frozen copies, parsed once while their
 * files stay the same, for reading only.
 */
async function postsWithComments(host: CommentHost, only?: string, shared = false, query?: CommentQuery): Promise<Post[]> {
  const holds = (s: PostSummary) => (query === undefined ? total(s) > 0 : mayHoldMatches(s, query));
  const summaries = (await host.store.summaries()).filter((s) => holds(s) && (only === undefined || s.id === only));
  if (shared) return host.store.readPostsShared(summaries.map((s) => s.id));
  const posts: Post[] = [];
  for (const summary of summaries) posts.push(await host.store.readPost(summary.id));
  return posts;
}

/**
 * The posts that may hold the comments these references (ids or prefixes) name, read whole, in the order
 * of the post files: the comment digests say which, so that a lookup reads a post or two, not every post
 * with comments. A finder over them finds what it would find over every post.
 */
async function postsNaming(host: CommentHost, refs: readonly string[], only?: string): Promise<Post[]> {
  const names = digestMatcher(refs.map(idRef));
  const posts: Post[] = [];
  for (const [id, digest] of await host.store.commentDigests()) {
    if ((only === undefined || id === only) && names(digest)) posts.push(await host.store.readPost(id));
  }
  return posts;
}

/** The rules' context for a new comment on a post: the known authors and recent comments of the whole blog. */
async function blogContext(
  host: CommentHost,
  digests: ReadonlyMap<string, CommentDigest>,
  post: Post,
  settings: ModerationSettings,
  now: Date,
): Promise<DecisionContext> {
  const recent: Post[] = [];
  for (const [id, digest] of digests)
    if (id !== post.id && inFloodWindow(digest, settings, now)) recent.push(await host.store.readPost(id));
  return digestContext(digests, recent, post, settings, now);
}

/** One comment with its post, by id or unique prefix: across the blog, or in the one post named. */
export async function getComment(host: CommentHost, ref: string, options: { post?: string | undefined } = {}): Promise<CommentEntry> {
  if (!(await host.exists())) throw new NotFoundError(`No comment "${shortLine(ref)}": the blog has no posts yet.`);
  const only = options.post === undefined ? undefined : await host.resolvePostId(options.post);
  return new CommentFinder(await postsNaming(host, [ref], only)).find(ref);
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
  if (!(await host.exists())) throw new NotFoundError(`No post "${shortLine(postRef)}": the blog has no posts yet.`);
  return host.write(async () => {
    const settings: BlogSettings = await host.store.readSettings();
    const postId = await host.resolvePostId(postRef);
    // The rest of the blog as the rules need it (known authors, a flood across the blog, ids in use)
    // comes from the comment digests: only the posts with a comment in the flood window are read.
    const digests = await host.store.commentDigests();
    const post = await host.store.readPost(postId);
    const now = host.now();

    const normalized = normalizedInput(post, input);

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
    const decision = decideComment(
      normalized,
      judged,
      rules,
      now,
      staff ? {} : await blogContext(host, digests, post, settings.moderation, now),
    );
    if (decision.outcome === 'refused') throw new CommentRefusedError(`Comment refused: ${decision.reason}`, decision.rule);
    const judgement = staff ? decision : withScreening(decision, input.screening);

    const taken = (id: string) => post.comments.some((c) => c.id === id) || [...digests.values()].some((digest) => digestNames(digest, id));
    const comment = makeComment(
      normalized,
      unusedId(taken),
      staff ? 'approved' : judgement.status,
      staff ? [STAFF_REASON] : judgement.reasons,
      now,
    );
    let approvedParent: Comment | undefined;
    const comments = post.comments.map((c) => {
      if (!approveParent || c !== parent) return c;
      approvedParent = withStatus(c, { status: 'approved', previousStatus: undefined }, comment.createdAt);
      return approvedParent;
    });
    comments.push(comment);
    const saved = await savePost(host, post, comments);
    return { comment, post: saved, approvedParent };
  });
}

// What the rules gathered from a blog's comments, by store: each batch of a server brings it up to date
// from the posts that changed since the last, rather than looking through every post again.
const blogComments = new WeakMap<BlogStore, BlogComments>();

function blogCommentsOf(store: BlogStore): BlogComments {
  let found = blogComments.get(store);
  if (!found) blogComments.set(store, (found = new BlogComments()));
  return found;
}

/** A post frozen with its list of comments and each comment, as the store's shared copies are. */
function freezePost(post: Post): Post {
  for (const comment of post.comments) Object.freeze(comment);
  Object.freeze(post.comments);
  return Object.freeze(post);
}

export interface ReaderCommentOptions {
  /** Told the outcomes as soon as the comments are on disk, before the lock is let go (a server answers its readers then). */
  onStored?: ((outcomes: ReadonlyArray<BulkOutcome<AddCommentResult>>) => void) | undefined;
  /** Keep the blog's lock for the next batch, until a process waits for it or the Blog's letGoOfLock is called. */
  keepLock?: boolean | undefined;
}

/** One reader's comment of a batch: the post it is for and what they sent. */
export interface ReaderComment {
  postRef: string;
  input: AddCommentInput;
}

/**
 * Adds many readers' comments at once, as addComment adds each (the same rules, in the order given,
 * each seeing those before it: a duplicate or a flood within the batch is refused as it would be one
 * by one), under one hold of the lock and with one write per post. A comment server takes a burst of
 * comments this way in the time of one: each write waits for the disk, and the disk is the limit.
 * The blog's own people's comments (`approve`) are for addComment. An outcome per comment, in order.
 * `onStored` is told the outcomes as soon as the comments are on disk, before the lock is let go: a
 * server answers its readers then.
 */
export async function addReaderComments(
  host: CommentHost,
  items: readonly ReaderComment[],
  options: ReaderCommentOptions = {},
): Promise<Array<BulkOutcome<AddCommentResult>>> {
  if (!(await host.exists()))
    return items.map((item) => ({
      ok: false,
      error: new NotFoundError(`No post "${shortLine(item.postRef)}": the blog has no posts yet.`),
    }));
  try {
    return await host.write(
      async () => {
        const settings: BlogSettings = await host.settings();
        const rules = settings.moderation;
        // The posts as this batch leaves them: the store's shared copies (parsed once while their files
        // stay the same), replaced by new objects as comments are added.
        // The posts commented on are looked at on disk whatever a watch of the folder says: they are written.
        const posts = await host.store.readAllPostsShared({ fresh: items.map((item) => idRef(item.postRef)).filter(isId) });
        const at = new Map(posts.map((p, i) => [p.id, i]));
        const blog = blogCommentsOf(host.store);
        blog.update(posts);
        const changed = new Map<string, { before: Post; after: Post }>();
        const outcomes: Array<BulkOutcome<AddCommentResult> | { pending: { postId: string; comment: Comment } }> = [];
        for (const { postRef, input } of items) {
          try {
            if (input.approve === true)
              throw new UsageError("A reader's comment cannot approve itself: add the blog's own comments with addComment.");
            // A whole id of a post just read names it (as resolvePostId would say), without asking the disk again.
            const wholeId = idRef(postRef);
            const postId = isId(wholeId) && at.has(wholeId) ? wholeId : await host.resolvePostId(postRef);
            let post = changed.get(postId)?.after ?? posts[at.get(postId) ?? -1];
            if (!post) {
              // Not among the posts kept (a blog of more than the store keeps): frozen like them, for the index.
              post = freezePost(await host.store.readPost(postId));
              at.set(postId, posts.push(post) - 1);
            }
            const now = host.now();
            const normalized = normalizedInput(post, input);
            const decision = decideComment(normalized, post, rules, now, blog.context(post, rules, now));
            if (decision.outcome === 'refused') throw new CommentRefusedError(`Comment refused: ${decision.reason}`, decision.rule);
            const judgement = withScreening(decision, input.screening);
            const comment = makeComment(normalized, blog.unusedId(), judgement.status, judgement.reasons, now);
            const after = withComment(post, comment);
            blog.put(after);
            changed.set(postId, { before: changed.get(postId)?.before ?? post, after });
            posts[at.get(postId)!] = after;
            outcomes.push({ pending: { postId, comment } });
          } catch (error) {
            if (!(error instanceof TermpressError)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
        // Every post of the batch written at once (see writePosts): each comment is answered once its
        // post is on disk, before the index (a cache) is brought up to date.
        const toSave = [...changed.values()].map(({ before, after }): Post => ({ ...before, comments: after.comments }));
        const failures = await host.store.writePosts(toSave, { indexLater: true });
        const saved = new Map<string, Post | TermpressError>(toSave.map((post, i) => [post.id, failures[i] ?? post]));
        const stored = outcomes.map((outcome): BulkOutcome<AddCommentResult> => {
          if (!('pending' in outcome)) return outcome;
          const post = saved.get(outcome.pending.postId)!;
          return post instanceof TermpressError
            ? { ok: false, error: post }
            : { ok: true, value: { comment: outcome.pending.comment, post } };
        });
        options.onStored?.(stored);
        return stored;
      },
      // A server takes a burst of comments after another: processes waiting for the lock (a comment
      // approved in another terminal) are let in first, and the server may keep it between bursts.
      { afterWaiters: true, keep: options.keepLock === true },
    );
  } catch (error) {
    // The lock not had, the settings unreadable: every comment of the batch met it.
    if (!(error instanceof TermpressError)) throw error;
    return items.map(() => ({ ok: false, error }));
  }
}

/**
 * Replies to a comment as the blog's author: approved without the rules, threaded under it. A reply
 * to a pending comment approves that comment too (a reply under a hidden comment would show alone).
 */
export async function replyToComment(host: CommentHost, ref: string, input: ReplyInput): Promise<AddCommentResult> {
  return host.write(async () => {
    const { comment, post } = await getComment(host, ref);
    assertRepliable(comment);
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
  const refs = targets.filter((t): t is string => typeof t === 'string');
  let finder: Promise<CommentFinder | null> | undefined;
  const find = async (ref: string) => {
    finder ??= (async () => ((await host.exists()) ? new CommentFinder(await postsNaming(host, refs)) : null))();
    const found = await finder;
    if (found === null) throw new NotFoundError(`No comment "${shortLine(ref)}": the blog has no posts yet.`);
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
      const onePost = async (): Promise<Array<BulkOutcome<T>>> => {
        // Deleted since the targets were found: so are its comments.
        if (!(await host.store.hasPost(postId))) return located.map((l) => ({ ok: false, error: commentNotFound(l.ref) }));
        const post = await host.store.readPost(postId);
        const done = work(post, located);
        const saved =
          done.comments === null ? post : options.dryRun ? { ...post, comments: done.comments } : await savePost(host, post, done.comments);
        return done.results.map((r): BulkOutcome<T> =>
          r instanceof TermpressError ? { ok: false, error: r } : { ok: true, value: r(saved) },
        );
      };
      results = options.dryRun ? await onePost() : await host.write(onePost, { afterWaiters: holds++ > 0 });
    } catch (error) {
      // The post could not be read or written (a damaged file, the lock not had): every target of it failed.
      if (!(error instanceof TermpressError)) throw error;
      results = located.map(() => ({ ok: false, error }));
    }
    for (const [k, l] of located.entries()) await settle(l.index, results[k]!);
  }
  return outcomes;
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
        let next: ReturnType<typeof applyStatusAction>;
        try {
          next = applyStatusAction(comment, action);
        } catch (error) {
          if (error instanceof TermpressError) return error;
          throw error;
        }
        if (next.status === from && next.previousStatus === comment.previousStatus) {
          return (saved) => ({ comment, post: saved, from, changed: false });
        }
        const updated = withStatus(comment, next, stamp);
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
    const { next, changed } = editedComment(comment, changes);
    if (changed.length === 0) return { comment, post, changed };
    const touched = editConflict(comment, options.base, changed);
    if (touched.length > 0) {
      const kept = options.recoveryText === undefined ? undefined : await host.keepText({ comment: comment.id }, options.recoveryText);
      throw commentConflict(comment, touched, kept);
    }
    next.updatedAt = host.now().toISOString();
    const saved = await savePost(
      host,
      post,
      post.comments.map((c) => (c.id === comment.id ? next : c)),
    );
    return { comment: next, post: saved, changed };
  });
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
        const refused = deletionProblem(comment, options.force ?? false);
        if (refused) return refused;
        deleted.set(comment.id, comment);
        return (saved) => ({ comment, post: saved });
      });
      return { comments: deleted.size === 0 ? null : withoutComments(post.comments, deleted), results };
    },
    options,
  );
}

/** deleteComments for one comment: what was deleted, or its error thrown. */
export function deleteComment(host: CommentHost, target: CommentTarget, options: DeleteOptions = {}): Promise<CommentEntry> {
  return single(deleteComments(host, [target], options));
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
  for (const post of await postsWithComments(host, only, false, query)) {
    for (const comment of post.comments) if (commentMatches(comment, post, query)) entries.push({ comment, post });
  }
  return orderComments(entries, query);
}

/** A new comment's fields as the rules read them; a parent prefix is welcome when it names a comment of this post (the rules report what does not). */
function normalizedInput(post: Post, input: AddCommentInput): ReturnType<typeof normalizeCommentInput> {
  const parent = input.parentId?.trim();
  return normalizeCommentInput({
    author: input.author ?? '',
    email: input.email ?? '',
    url: input.url ?? '',
    ip: input.ip ?? '',
    userAgent: input.userAgent ?? '',
    body: input.body,
    parentId: parent ? (parentOf(post, parent)?.id ?? parent) : null,
    type: input.type ?? 'comment',
  });
}
