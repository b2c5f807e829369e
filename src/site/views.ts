import type { Comment, Post } from '../core/types.js';
import { threadComments, type CommentNode } from './comments.js';
import { sha256 } from './hash.js';
import { FILES, type SiteContext } from './context.js';
import type { ShownDate } from './dates.js';
import { absoluteUrl, relativeLink, rootedLink } from './paths.js';
import { sanitizeCommentBody, stripControls } from './sanitize.js';
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
  children: CommentView[];
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
  commentsClosed: boolean;
  older: NeighbourView | null;
  newer: NeighbourView | null;
}

const PREVIEW_LABELS: Record<PreviewStatus, string> = { draft: 'Draft', pending: 'Pending review', scheduled: 'Scheduled' };

/** The name shown after "Posted by": the post's author, else the blog's. */
export function authorOf(context: SiteContext, post: Post): string {
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
    const summaryKey = sha256(
      JSON.stringify([post.id, context.postHash(post), item.preview, context.fileOf.get(post.id), pairs(categories), pairs(tags)]),
    );
    termsCache.set(item, (cached = { categories, tags, summaryKey }));
  }
  return cached;
}

/** What a post's summary depends on, for the incremental build's keys. */
export function summaryInputs(context: SiteContext, item: ShownPost): unknown {
  return postTerms(context, item).summaryKey;
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
    excerptHtml: context.body(post).excerptHtml,
    commentCount: post.comments.reduce((n, c) => n + (c.status === 'approved' ? 1 : 0), 0),
    commentsLink: `${postLink}#comments`,
    preview: item.preview,
    previewLabel: item.preview ? PREVIEW_LABELS[item.preview] : '',
  };
}

/** Whether readers can no longer comment: closed on the post, or past the blog's closeAfterDays. */
export function commentsClosed(context: SiteContext, post: Post): boolean {
  if (post.commentStatus === 'closed') return true;
  const days = context.settings.moderation.closeAfterDays;
  if (!days || days <= 0 || !post.publishedAt) return false;
  return Date.parse(post.publishedAt) + days * 86_400_000 <= context.now.getTime();
}

/** A post with its body, comments and neighbours, as its own page shows it. */
export function postView(context: SiteContext, item: ShownPost, older: ShownPost | undefined, newer: ShownPost | undefined, link: Linker): PostView {
  const { post } = item;
  const summary = summaryView(context, item, link);
  const thread = threadComments(post.comments, context.settings.moderation.threadDepth);
  const updated = post.publishedAt && Date.parse(post.updatedAt) > Date.parse(post.publishedAt) + 60_000 ? context.dates.date(post.updatedAt) : null;
  const neighbour = (other: ShownPost | undefined): NeighbourView | null =>
    other ? { title: stripControls(other.post.title).trim() || '(untitled)', link: link(context.fileOf.get(other.post.id)!) } : null;
  return {
    ...summary,
    commentCount: thread.count,
    html: context.body(post).html,
    url: absoluteUrl(context.base, context.fileOf.get(post.id)!),
    updated: updated && updated.display !== summary.date.display ? updated : null,
    comments: thread.roots.map((node) => commentView(context, node)),
    commentsClosed: commentsClosed(context, post),
    older: neighbour(older),
    newer: neighbour(newer),
  };
}

function commentView(context: SiteContext, node: CommentNode): CommentView {
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
    html: sanitizeCommentBody(comment.body),
    children: node.children.map((child) => commentView(context, child)),
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
