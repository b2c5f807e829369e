import { likesText } from '../core/likes.js';
import type { Comment, Post } from '../core/types.js';
import { threadComments, type CommentNode } from './comments.js';
import { sha256 } from './hash.js';
import { FILES, type SiteContext } from './context.js';
import type { ShownDate } from './dates.js';
import { absoluteUrl, relativeLink, rootedLink } from './paths.js';
import { stripControls } from './html-text.js';
import type { Term } from './taxonomy.js';
import type { PreviewStatus, ShownPost } from './visibility.js';

/** Turns an output file into the link a given page should carry to it. */
export type Linker = (to: string) => string;

/** Links relative to the page at `from`, or rooted at the site's path for the 404 page, which a host serves at any address. */
export function linkerFor(context: SiteContext, from: string): Linker {
  return from === FILES.notFound ? (to) => rootedLink(context.base, to) : (to) => relativeLink(from, to);
}

/** A category or tag as a page shows it. */
export interface TermLink {
  name: string;
  link: string;
}

/** A post as lists show it. */
export interface PostSummaryView {
  id: string;
  title: string;
  link: string;
  author: string;
  date: ShownDate;
  categories: TermLink[];
  tags: TermLink[];
  excerptHtml: string;
  commentCount: number;
  commentsLink: string;
  preview: PreviewStatus | null;
  previewLabel: string;
}

/** An approved comment as the post page shows it. */
export interface CommentView {
  id: string;
  anchor: string;
  number: number;
  depth: number;
  type: Comment['type'];
  author: string;
  /** Only http(s) addresses survive; anything else shows the name without a link. */
  authorUrl: string | null;
  date: ShownDate;
  html: string;
  /** Where a reader answers this comment (a page of the comment server), or null past the thread's depth or when comments are closed. */
  replyLink: string | null;
  children: CommentView[];
}

/** A pingback or trackback as the post page lists it: the linking page's title and address. */
export interface PingView {
  id: string;
  anchor: string;
  type: Comment['type'];
  title: string;
  url: string | null;
  date: ShownDate;
}

/** The "Leave a Reply" form of a post whose comments are open. */
export interface RespondView {
  /** Where the form posts: the site's own comment server, or comments.endpoint. */
  action: string;
  postId: string;
  /** Name and email are required (moderation.requireNameEmail). */
  requireNameEmail: boolean;
}

/** The Like button and its line. */
export interface LikesView {
  action: string;
  postId: string;
  count: number;
  /** "Be the first to like this.", "1 blogger likes this.", "5 bloggers like this." */
  text: string;
}

/** A neighbouring post in the older/newer links. */
export interface NeighbourView {
  title: string;
  link: string;
}

/** A post as its own page shows it. */
export interface PostView extends PostSummaryView {
  html: string;
  url: string;
  updated: ShownDate | null;
  comments: CommentView[];
  /** Approved pingbacks and trackbacks: the pages that linked here. */
  pings: PingView[];
  commentsClosed: boolean;
  /** The form, or null when comments are closed or the page is a preview. */
  respond: RespondView | null;
  /** The Like button, or null on a preview. */
  likes: LikesView | null;
  older: NeighbourView | null;
  newer: NeighbourView | null;
}

const PREVIEW_LABELS: Record<PreviewStatus, string> = { draft: 'Draft', pending: 'Pending review', scheduled: 'Scheduled' };

/** The name shown after "Posted by": the post's author, else the blog's. */
export function authorOf(context: SiteContext, post: Pick<Post, 'author'>): string {
  return stripControls(post.author).trim() || stripControls(context.settings.author).trim();
}

/** The terms of a post's categories or tags, in the post's order, without duplicates. */
function termsOf(names: readonly string[], byName: Map<string, Term>): Term[] {
  const terms = new Set<Term>();
  for (const name of names) {
    const term = byName.get(name.trim().toLowerCase());
    if (term) terms.add(term);
  }
  return [...terms];
}

interface PostTerms {
  categories: Term[];
  tags: Term[];
  /** What a post's summary depends on, hashed: the same on every page that lists the post. */
  summaryKey: string;
}

// A post is listed on the page of each of its terms: what those pages share is worked out once per
// post, so that a post with n tags costs n pages, not n pages of n tags each.
const termsCache = new WeakMap<ShownPost, PostTerms>();

function postTerms(context: SiteContext, item: ShownPost): PostTerms {
  let cached = termsCache.get(item);
  if (cached === undefined) {
    const { post } = item;
    const categories = termsOf(post.categories, context.categoryByName);
    const tags = termsOf(post.tags, context.tagByName);
    const pairs = (list: Term[]) => list.map((t) => [t.name, t.slug]);
    // A list shows how many comments are approved, not what they say: other comment activity leaves it be.
    const { commentCounts, ...fields } = post;
    const summaryKey = sha256(
      JSON.stringify([
        fields,
        context.content(post.id),
        commentCounts.approved,
        item.preview,
        context.fileOf.get(post.id),
        pairs(categories),
        pairs(tags),
      ]),
    );
    termsCache.set(item, (cached = { categories, tags, summaryKey }));
  }
  return cached;
}

/** What a post's summary depends on, for the incremental build's keys: all but its comments, of which only the count. */
export function summaryInputs(context: SiteContext, item: ShownPost): unknown {
  return postTerms(context, item).summaryKey;
}

/** What a post's own page depends on besides its neighbours: everything in the post, its comments too. */
export function postInputs(context: SiteContext, item: ShownPost): unknown {
  return [summaryInputs(context, item), context.version(item.post.id)];
}

/** A post as lists show it, with links from the page at `link`'s origin. */
export function summaryView(context: SiteContext, item: ShownPost, link: Linker): PostSummaryView {
  const { post } = item;
  const file = context.fileOf.get(post.id)!;
  const postLink = link(file);
  const terms = postTerms(context, item);
  let tags: TermLink[] | undefined;
  return {
    id: post.id,
    title: stripControls(post.title).trim() || '(untitled)',
    link: postLink,
    author: authorOf(context, post),
    date: context.dates.date(item.date),
    categories: terms.categories.map((t) => ({ name: t.name, link: link(FILES.category(t)) })),
    // Made only for a theme that shows them: the default list pages do not, and a post's tags would
    // otherwise be linked on the page of every one of its tags.
    get tags() {
      return (tags ??= terms.tags.map((t) => ({ name: t.name, link: link(FILES.tag(t)) })));
    },
    excerptHtml: context.excerpt(post.id).html,
    commentCount: post.commentCounts.approved,
    commentsLink: `${postLink}#comments`,
    preview: item.preview,
    previewLabel: item.preview ? PREVIEW_LABELS[item.preview] : '',
  };
}

/** Whether readers can no longer comment: closed on the post, or past the blog's closeAfterDays. */
export function commentsClosed(context: SiteContext, post: Pick<Post, 'commentStatus' | 'publishedAt'>): boolean {
  if (post.commentStatus === 'closed') return true;
  const days = context.settings.moderation.closeAfterDays;
  if (!days || days <= 0 || !post.publishedAt) return false;
  return Date.parse(post.publishedAt) + days * 86_400_000 <= context.now.getTime();
}

/** A post with its body, comments and neighbours, as its own page shows it; the post must be one of its job's `posts`. */
export function postView(
  context: SiteContext,
  item: ShownPost,
  older: ShownPost | undefined,
  newer: ShownPost | undefined,
  link: Linker,
): PostView {
  const post = context.full(item.post.id);
  const summary = summaryView(context, item, link);
  const threadDepth = context.settings.moderation.threadDepth;
  // Pingbacks and trackbacks are listed apart from the conversation, as WordPress themes do.
  const thread = threadComments(
    post.comments.filter((c) => c.type === 'comment'),
    threadDepth,
  );
  const pings = post.comments.filter((c) => c.type !== 'comment' && c.status === 'approved');
  const closed = commentsClosed(context, post);
  const endpoint = (name: 'comment' | 'like' | 'reply') => endpointLink(context, link, name);
  const live = item.preview === null;
  const reply = (node: CommentNode) =>
    live && !closed && node.depth < threadDepth ? `${endpoint('reply')}?post=${post.id}&to=${encodeURIComponent(node.comment.id)}` : null;
  const updated =
    post.publishedAt && Date.parse(post.updatedAt) > Date.parse(post.publishedAt) + 60_000 ? context.dates.date(post.updatedAt) : null;
  const neighbour = (other: ShownPost | undefined): NeighbourView | null =>
    other ? { title: stripControls(other.post.title).trim() || '(untitled)', link: link(context.fileOf.get(other.post.id)!) } : null;
  return {
    ...summary,
    commentCount: thread.count,
    html: context.body(post.id).html,
    url: absoluteUrl(context.base, context.fileOf.get(post.id)!),
    updated: updated && updated.display !== summary.date.display ? updated : null,
    comments: thread.roots.map((node) => commentView(context, node, reply)),
    pings: pings.map((comment) => ({
      id: comment.id,
      anchor: `comment-${comment.id}`,
      type: comment.type,
      title: stripControls(comment.author).trim() || webUrl(comment.url) || 'A link',
      url: webUrl(comment.url),
      date: context.dates.date(comment.createdAt),
    })),
    commentsClosed: closed,
    respond:
      live && !closed
        ? { action: endpoint('comment'), postId: post.id, requireNameEmail: context.settings.moderation.requireNameEmail }
        : null,
    likes: live
      ? { action: endpoint('like'), postId: post.id, count: context.likes(post.id), text: likesText(context.likes(post.id)) }
      : null,
    older: neighbour(older),
    newer: neighbour(newer),
  };
}

/**
 * The address of a comment server endpoint from a page: comments.endpoint when the site is hosted
 * elsewhere, else beside the site's own files, relative so that it works under any sub-folder.
 */
export function endpointLink(context: SiteContext, link: Linker, name: 'comment' | 'like' | 'reply'): string {
  const configured = context.settings.comments?.endpoint;
  return configured ? new URL(name, configured).href : link(FILES.endpoint(name));
}

function commentView(context: SiteContext, node: CommentNode, reply: (node: CommentNode) => string | null): CommentView {
  const { comment } = node;
  return {
    id: comment.id,
    anchor: `comment-${comment.id}`,
    number: node.number,
    depth: node.depth,
    type: comment.type,
    author: stripControls(comment.author).trim() || 'Anonymous',
    authorUrl: webUrl(comment.url),
    date: context.dates.dateTime(comment.createdAt),
    html: context.commentHtml(comment),
    replyLink: reply(node),
    children: node.children.map((child) => commentView(context, child, reply)),
  };
}

/** A commenter's website if it is an http(s) address, normalised; anything else is dropped. */
function webUrl(text: string): string | null {
  const trimmed = stripControls(text).trim();
  if (trimmed === '') return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `http://${trimmed}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
