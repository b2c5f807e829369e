/** The domain types of a blog: posts, comments and settings (schemaVersion 1). */

export const SCHEMA_VERSION = 1;

export const POST_STATUSES = ['draft', 'pending', 'scheduled', 'published', 'trash'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const COMMENT_STATUSES = ['pending', 'approved', 'spam', 'trash'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const COMMENT_TYPES = ['comment', 'pingback', 'trackback'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];

export type PostFormat = 'markdown' | 'html';

/** A post is dated and listed; a page ("About", "Contact") stands outside time, at /<slug>/ under its parent. */
export const POST_TYPES = ['post', 'page'] as const;
export type PostType = (typeof POST_TYPES)[number];
export type CommentOpenness = 'open' | 'closed';

export interface Comment {
  id: string;
  parentId: string | null;
  author: string;
  email: string;
  url: string;
  ip: string;
  userAgent: string;
  body: string;
  status: CommentStatus;
  /** The status before spam or trash, so that unspam and restore can return to it. */
  previousStatus?: CommentStatus | undefined;
  createdAt: string;
  updatedAt: string;
  type: CommentType;
  reasons: string[];
  legacy?: Record<string, unknown> | undefined;
}

export interface Post {
  id: string;
  slug: string;
  title: string;
  author: string;
  status: PostStatus;
  /** The status before trash, so that restore can return to it. */
  previousStatus?: PostStatus | undefined;
  categories: string[];
  tags: string[];
  excerpt: string;
  body: string;
  format: PostFormat;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /**
   * The day (YYYY-MM-DD) the permalink's :year/:month/:day use, fixed when the post is first published,
   * so that a later change of the blog's timezone (or of the post's date) never moves its address.
   */
  permalinkDate?: string | undefined;
  commentStatus: CommentOpenness;
  sticky: boolean;
  /** Absent for a post; 'page' for a page. */
  type?: PostType | undefined;
  /** A page's parent page (its id), or null for a top-level one. */
  parentId?: string | null | undefined;
  /** Where a page stands in the site's navigation: lower first, then by title. */
  menuOrder?: number | undefined;
  revision: number;
  comments: Comment[];
  legacy?: Record<string, unknown> | undefined;
  /** What a git merge found changed on both sides, until `post resolve` ends it. */
  conflicts?: MergeConflict[] | undefined;
}

/**
 * A field a merge found changed differently on both sides. The file keeps one side's value; the other
 * side's, and the common ancestor's (absent when there was none), are kept here by field name. A field
 * that a side did not have is absent from its record.
 */
export interface MergeConflict {
  field: string;
  theirs: Record<string, unknown>;
  base?: Record<string, unknown> | undefined;
}

/** Whether a post is a page. */
export function isPage(post: Pick<Post, 'type'>): boolean {
  return post.type === 'page';
}

export interface ModerationSettings {
  holdAll: boolean;
  maxLinks: number;
  holdWords: string[];
  blockWords: string[];
  autoApproveKnown: boolean;
  requireNameEmail: boolean;
  floodSeconds: number;
  /** Days after publication when comments close; 0 keeps them open. */
  closeAfterDays: number;
  threadDepth: number;
  /** An Akismet API key: when set, termpress serve asks Akismet about each reader's comment ("" : off). */
  akismetKey: string;
  /** The Akismet (or compatible) service, ending with "/". */
  akismetUrl: string;
}

/** How readers' comments reach the blog. */
export interface CommentsSettings {
  /**
   * The absolute URL of the comment server's endpoint folder when the site is hosted elsewhere
   * (e.g. https://comments.example.com/_termpress/); empty: the site's own /_termpress/.
   */
  endpoint: string;
}

/** Who is told of comments that wait for moderation, and how. */
export interface NotifySettings {
  /** The moderator's email address ("" : no email). */
  email: string;
  /** The sender of those emails ("" : the moderator's own address). */
  from: string;
  /**
   * The mail server, as smtp://user:password@host:587 or smtps://... ("" : the user setting smtp, so
   * that a password need not be in the blog's files).
   */
  smtp: string;
  /** An http(s) address that gets a JSON POST for each held comment ("" : none). */
  webhook: string;
}

export interface BlogSettings {
  schemaVersion: number;
  title: string;
  description: string;
  url: string;
  language: string;
  timezone: string;
  author: string;
  permalink: string;
  postsPerPage: number;
  moderation: ModerationSettings;
  comments: CommentsSettings;
  notify: NotifySettings;
  /** Settings a merge found changed differently on both sides, until `config resolve` ends it. */
  conflicts?: MergeConflict[] | undefined;
  /**
   * The permalink patterns the blog had before, each with when it was replaced: `build` writes a
   * redirect from every address a post had under them. Kept by `config set permalink`, never set by hand.
   */
  oldPermalinks?: OldPermalink[] | undefined;
}

/** A permalink pattern the blog had until a moment (ISO 8601). */
export interface OldPermalink {
  permalink: string;
  until: string;
}

export const DEFAULT_MODERATION: ModerationSettings = {
  holdAll: false,
  maxLinks: 2,
  holdWords: [],
  blockWords: [],
  autoApproveKnown: true,
  requireNameEmail: true,
  floodSeconds: 15,
  closeAfterDays: 0,
  threadDepth: 5,
  akismetKey: '',
  akismetUrl: 'https://rest.akismet.com/',
};

/** Settings of a new blog, before the user's own values. */
export function defaultSettings(): BlogSettings {
  return {
    schemaVersion: SCHEMA_VERSION,
    title: 'My termpress blog',
    description: '',
    url: 'http://localhost:4000/',
    language: 'en',
    timezone: 'UTC',
    author: '',
    permalink: '/:year/:month/:day/:slug/',
    postsPerPage: 10,
    moderation: { ...DEFAULT_MODERATION },
    comments: { endpoint: '' },
    notify: { email: '', from: '', smtp: '', webhook: '' },
  };
}

/** The counts of a post's comments by status, as list output shows them. */
export type CommentCounts = Record<CommentStatus, number>;

/** The order of a comment's fields in files and records: the store writes them so, lists show them so. */
export const COMMENT_KEY_ORDER = [
  'id',
  'parentId',
  'author',
  'email',
  'url',
  'ip',
  'userAgent',
  'body',
  'status',
  'previousStatus',
  'createdAt',
  'updatedAt',
  'type',
  'reasons',
  'legacy',
] as const satisfies ReadonlyArray<keyof Comment>;

/** The order of a post's fields in its file; a post's summary keeps the same order. */
export const POST_KEY_ORDER = [
  'id',
  'slug',
  'title',
  'author',
  'status',
  'previousStatus',
  'categories',
  'tags',
  'excerpt',
  'body',
  'format',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'permalinkDate',
  'commentStatus',
  'sticky',
  'type',
  'parentId',
  'menuOrder',
  'revision',
  'comments',
  'legacy',
  'conflicts',
] as const satisfies ReadonlyArray<keyof Post>;
