/** Turning a WordPress item into a termpress Post, following issue 6's mappings; everything else is skipped by kind. */
import { newId } from '../core/ids.js';
import type { Comment, CommentStatus, CommentType, Post, PostStatus } from '../core/types.js';
import { parsePubDate, parseWxrDate, wxrLocalDay } from './dates.js';
import { decodeHtmlText } from './entities.js';
import { wpItemKey } from '../core/legacy.js';
import { mimeTypeOf } from '../core/mime.js';
import type { MediaRecord } from '../core/media.js';
import { termSlugFrom, type CategoryTree } from '../core/taxonomy.js';
import { metaValue, type ChannelInfo, type RawComment, type RawItem, type RawMeta } from './raw-item.js';
import { importedSlug } from './slug.js';
import { COMMENT_META_KEY, MARKDOWN_META_KEY, POST_META_KEY, readCommentMeta, readPostMeta } from './termpress-meta.js';

/** What mapping needs beyond the item itself. */
export interface MapContext {
  channel: ChannelInfo;
  /** The blog's categories with the file's: a post names a category by its name, or its slug when the name is ambiguous. */
  categories?: CategoryTree | undefined;
  timezone: string;
  now: Date;
  author?: string | undefined;
}

export type MapResult =
  | { kind: 'post'; post: Post; keys: string[]; warnings: string[] }
  | { kind: 'media'; media: MediaRecord; keys: string[] }
  | { kind: 'skip'; skip: string };

/** WordPress's own post types; any other is a plugin's or theme's custom type. */
const CORE_POST_TYPES = new Set([
  'page',
  'attachment',
  'nav_menu_item',
  'revision',
  'custom_css',
  'customize_changeset',
  'oembed_cache',
  'user_request',
  'wp_block',
  'wp_template',
  'wp_template_part',
  'wp_global_styles',
  'wp_navigation',
  'wp_font_family',
  'wp_font_face',
]);

const POST_STATUS: Record<string, PostStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  'auto-draft': 'draft',
  pending: 'pending',
  private: 'draft',
  trash: 'trash',
};

const COMMENT_STATUS: Record<string, CommentStatus> = {
  '1': 'approved',
  approve: 'approved',
  approved: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'trash',
};

/** Meta that only describes WordPress's editing session or what termpress maps itself; not worth keeping. */
const DROPPED_META = new Set([
  '_edit_lock',
  '_edit_last',
  '_wp_trash_meta_status',
  '_wp_trash_meta_time',
  '_wp_desired_post_slug',
  POST_META_KEY,
  MARKDOWN_META_KEY,
]);

const IMPORT_REASONS = ['imported from WordPress'];

function field(fields: Record<string, string>, name: string): string {
  return (fields[name] ?? '').trim();
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

/**
 * The legacy key an item is stored under: its blog and WordPress id, which name one item of one site.
 * A guid is only a hint (content copied between posts keeps it), so it is the key only of an item
 * without an id.
 */
export function itemKey(guid: string, siteUrl: string | undefined, wpId: string): string | undefined {
  if (wpId !== '') return wpItemKey(siteUrl, wpId);
  if (guid !== '') return `wxr:${guid}`;
  return undefined;
}

/** Why an item is not a post, as the report counts it. */
function skipKind(postType: string): string {
  return CORE_POST_TYPES.has(postType) ? postType : `custom:${postType}`;
}

/** Map one item; the warnings name it by title and WordPress id. */
export function mapItem(item: RawItem, context: MapContext): MapResult {
  const { fields } = item;
  const postType = field(fields, 'wp:post_type');
  if (postType === '') return { kind: 'skip', skip: 'partial' };
  if (postType === 'attachment') return mapAttachment(item, context);
  if (postType !== 'post' && postType !== 'page') return { kind: 'skip', skip: skipKind(postType) };
  const page = postType === 'page';

  const wpId = field(fields, 'wp:post_id');
  const guid = field(fields, 'guid');
  const blogUrl = context.channel.blogUrl ?? context.channel.siteUrl;
  const key = itemKey(guid, blogUrl, wpId);
  if (key === undefined) return { kind: 'skip', skip: 'partial' };

  const title = decodeHtmlText(fields['title'] ?? '');
  const label = `${postType} ${wpId === '' ? guid : wpId} "${title}"`;
  const warnings: string[] = [];
  const legacy: Record<string, unknown> = { source: 'wxr', key, guid, wpPostId: wpId, importedAt: context.now.toISOString() };
  if (context.channel.siteUrl !== undefined) legacy['site'] = context.channel.siteUrl;
  if (context.channel.blogUrl !== undefined && context.channel.blogUrl !== context.channel.siteUrl)
    legacy['blogUrl'] = context.channel.blogUrl;
  const link = field(fields, 'link');
  if (link !== '') legacy['link'] = link;

  // Statuses: private posts and password-protected ones must never become public.
  const wpStatus = field(fields, 'wp:status');
  let status = POST_STATUS[wpStatus];
  if (status === undefined) {
    status = 'draft';
    warnings.push(`${label}: unknown status "${wpStatus}", imported as a draft`);
  }
  // Keep the WordPress status where the mapping cannot give it back (private, auto-draft, unknown ones).
  if (!['publish', 'future', 'draft', 'pending', 'trash'].includes(wpStatus)) legacy['wpStatus'] = wpStatus;
  if (wpStatus === 'private') warnings.push(`${label}: private in WordPress, imported as a draft`);
  let previousStatus: PostStatus | undefined;
  // WordPress keeps the status a trashed post had, for its own restore.
  if (status === 'trash') previousStatus = POST_STATUS[(metaValue(item.meta, '_wp_trash_meta_status') ?? '').trim()];
  const password = fields['wp:post_password'] ?? '';
  if (password !== '') {
    legacy['password'] = password;
    if (status === 'published' || status === 'scheduled') {
      status = 'draft';
      warnings.push(`${label}: password-protected, imported as a draft so that it does not become public`);
    }
    if (previousStatus === 'published' || previousStatus === 'scheduled') previousStatus = 'draft';
  }

  // Dates: the GMT fields are exact; the local ones are read in the blog's timezone.
  let date =
    parseWxrDate(fields['wp:post_date_gmt'], 'UTC') ??
    parseWxrDate(fields['wp:post_date'], context.timezone) ??
    parsePubDate(fields['pubDate']);
  if (date === undefined) {
    date = context.now.toISOString();
    warnings.push(`${label}: no readable date, dated at import time`);
  }
  let modified = parseWxrDate(fields['wp:post_modified_gmt'], 'UTC') ?? parseWxrDate(fields['wp:post_modified'], context.timezone) ?? date;
  if (modified < date) modified = date;
  const effective = status === 'trash' ? previousStatus : status;
  let publishedAt = effective === 'published' || effective === 'scheduled' ? date : null;

  // Terms: WXR 1.0 writes categories bare or with domain="category" (often both) and tags with domain="tag".
  const categories: string[] = [];
  const tags: string[] = [];
  const otherTerms: { taxonomy: string; slug: string; name: string }[] = [];
  for (const term of item.terms) {
    const name = decodeHtmlText(term.name).trim();
    if (term.domain === '' || term.domain === 'category') categories.push(categoryEntry(term.nicename, name, context.categories));
    else if (term.domain === 'post_tag' || term.domain === 'tag') tags.push(name);
    else otherTerms.push({ taxonomy: term.domain, slug: term.nicename, name });
  }
  if (otherTerms.length > 0) legacy['terms'] = otherTerms;

  const login = field(fields, 'dc:creator');
  if (login !== '') legacy['authorLogin'] = login;
  const displayName = decodeHtmlText(context.channel.authors.get(login)?.displayName ?? '').trim();
  const author = displayName !== '' ? displayName : login !== '' ? login : (context.author ?? '');

  // A trashed WordPress post has `__trashed` added to its slug and the real one kept in meta.
  let postName = fields['wp:post_name'] ?? '';
  if (status === 'trash' && postName.endsWith('__trashed')) {
    postName = metaValue(item.meta, '_wp_desired_post_slug') ?? postName.slice(0, -'__trashed'.length);
  }

  let format: Post['format'] = 'html';
  let body = fields['content:encoded'] ?? '';
  let createdAt = date;
  let updatedAt = modified;
  const own = readPostMeta(metaValue(item.meta, POST_META_KEY));
  if (own !== undefined) {
    // One of termpress's own exports: restore what WordPress's fields cannot hold.
    legacy['termpressId'] = own.id;
    if (own.key !== undefined) legacy['key'] = own.key;
    ({ createdAt, updatedAt, publishedAt } = own);
    if (own.previousStatus !== undefined) previousStatus = own.previousStatus;
    const markdown = metaValue(item.meta, MARKDOWN_META_KEY);
    if (own.format === 'markdown' && markdown !== undefined) {
      format = 'markdown';
      body = markdown;
    }
  }

  // The day of the address: WordPress's own (its local post date), or what termpress's own export kept.
  const permalinkDay = own !== undefined ? own.permalinkDate : wxrLocalDay(fields['wp:post_date']);

  // Empty private meta (an unset _wp_old_slug ...) says nothing.
  const keptMeta = item.meta.filter((m) => !DROPPED_META.has(m.key) && !(m.key.startsWith('_') && m.value === ''));
  if (keptMeta.length > 0) legacy['meta'] = keptMeta;
  const wpParent = field(fields, 'wp:post_parent');
  if (wpParent !== '' && wpParent !== '0') legacy['wpParentId'] = wpParent;

  const post: Post = {
    id: newId(),
    slug: importedSlug(postName, title, wpId),
    title,
    author,
    status,
    ...(status === 'trash' && previousStatus !== undefined ? { previousStatus } : {}),
    categories: unique(categories),
    tags: unique(tags),
    excerpt: fields['excerpt:encoded'] ?? '',
    body,
    format,
    createdAt,
    updatedAt,
    publishedAt,
    ...(status === 'published' && permalinkDay !== undefined ? { permalinkDate: permalinkDay } : {}),
    commentStatus: ['', 'open'].includes(field(fields, 'wp:comment_status')) ? 'open' : 'closed',
    sticky: !page && field(fields, 'wp:is_sticky') === '1',
    ...(page ? { type: 'page' as const, menuOrder: menuOrder(field(fields, 'wp:menu_order')) } : {}),
    revision: 1,
    comments: mapComments(item.comments, createdAt, context, label, warnings),
    legacy,
  };
  const keys = [key];
  if (own !== undefined) keys.push(`termpress:${own.id}`);
  if (own?.key !== undefined && own.key !== key) keys.push(own.key);
  return { kind: 'post', post, keys, warnings };
}

/** How a post names one of its categories: as the tree does, when the tree knows its slug; else by name. */
function categoryEntry(nicename: string, name: string, tree: CategoryTree | undefined): string {
  const category = tree === undefined || nicename.trim() === '' ? undefined : tree.get(termSlugFrom(nicename));
  return category === undefined ? name : tree!.entryFor(category);
}

/** An attachment as a media record: where the file is, its caption and alt text, and what it is attached to. */
function mapAttachment(item: RawItem, context: MapContext): MapResult {
  const { fields } = item;
  const wpId = field(fields, 'wp:post_id');
  const guid = field(fields, 'guid');
  const blogUrl = context.channel.blogUrl ?? context.channel.siteUrl;
  const key = itemKey(guid, blogUrl, wpId);
  const url = field(fields, 'wp:attachment_url') || guid;
  if (key === undefined || url === '') return { kind: 'skip', skip: 'partial' };
  const date =
    parseWxrDate(fields['wp:post_date_gmt'], 'UTC') ??
    parseWxrDate(fields['wp:post_date'], context.timezone) ??
    parsePubDate(fields['pubDate']) ??
    context.now.toISOString();
  const legacy: Record<string, unknown> = { source: 'wxr', key, wpPostId: wpId, guid, importedAt: context.now.toISOString() };
  if (context.channel.siteUrl !== undefined) legacy['site'] = context.channel.siteUrl;
  if (context.channel.blogUrl !== undefined && context.channel.blogUrl !== context.channel.siteUrl)
    legacy['blogUrl'] = context.channel.blogUrl;
  const wpParent = field(fields, 'wp:post_parent');
  if (wpParent !== '' && wpParent !== '0') legacy['wpParentId'] = wpParent;
  const attached = (metaValue(item.meta, '_wp_attached_file') ?? '').trim();
  if (attached !== '') legacy['attachedFile'] = attached;
  const order = field(fields, 'wp:menu_order');
  if (order !== '' && order !== '0') legacy['menuOrder'] = menuOrder(order);
  const media: MediaRecord = {
    id: newId(),
    file: null,
    url: url.slice(0, 4096),
    title: decodeHtmlText(fields['title'] ?? '')
      .trim()
      .slice(0, 10_000),
    caption: (fields['excerpt:encoded'] ?? '').trim().slice(0, 10_000),
    description: (fields['content:encoded'] ?? '').trim().slice(0, 10_000),
    alt: (metaValue(item.meta, '_wp_attachment_image_alt') ?? '').trim().slice(0, 10_000),
    mimeType: mimeTypeOf(url),
    size: null,
    postId: null,
    createdAt: date,
    legacy,
  };
  return { kind: 'media', media, keys: [key] };
}

/** WordPress's menu_order, within the bounds a page's order is kept in. */
function menuOrder(text: string): number {
  const order = /^-?\d{1,7}$/.test(text) ? Number(text) : 0;
  return Math.max(-1_000_000, Math.min(1_000_000, order));
}

/** Comments in file order, with threads rebuilt from WordPress's comment ids whatever order they come in. */
function mapComments(raw: RawComment[], postDate: string, context: MapContext, label: string, warnings: string[]): Comment[] {
  const ids = new Map<string, string>();
  for (const comment of raw) {
    const wpId = field(comment.fields, 'wp:comment_id');
    if (wpId !== '' && !ids.has(wpId)) ids.set(wpId, newId());
  }
  const used = new Set<string>();
  return raw.map((comment) => {
    const f = comment.fields;
    const wpId = field(f, 'wp:comment_id');
    // A second comment with the same WordPress id must not share the first one's termpress id.
    let id = ids.get(wpId) ?? newId();
    if (used.has(id)) id = newId();
    used.add(id);
    const wpParent = field(f, 'wp:comment_parent');
    let parentId: string | null = null;
    if (wpParent !== '' && wpParent !== '0') {
      parentId = ids.get(wpParent) ?? null;
      if (parentId === null || parentId === id) {
        parentId = null;
        warnings.push(
          `${label}: comment ${wpId} replies to comment ${wpParent}, which is not in the post; imported as a top-level comment`,
        );
      }
    }
    const approved = field(f, 'wp:comment_approved');
    let status = COMMENT_STATUS[approved];
    if (approved === 'post-trashed') {
      // WordPress marks the comments of a trashed post so and keeps their status in meta; termpress hides them instead.
      status = COMMENT_STATUS[metaValue(comment.meta, '_wp_trash_meta_status') ?? ''] ?? 'pending';
    } else if (status === undefined) {
      status = 'pending';
      warnings.push(`${label}: comment ${wpId} has unknown status "${approved}", imported as pending`);
    }
    const wpType = field(f, 'wp:comment_type');
    const type: CommentType = wpType === 'pingback' || wpType === 'trackback' ? wpType : 'comment';
    let createdAt = parseWxrDate(f['wp:comment_date_gmt'], 'UTC') ?? parseWxrDate(f['wp:comment_date'], context.timezone) ?? postDate;
    let updatedAt = createdAt;
    let userAgent = f['wp:comment_agent'] ?? '';
    let reasons = IMPORT_REASONS;
    let previousStatus: CommentStatus | undefined;
    const legacy: Record<string, unknown> = { wpCommentId: wpId };
    if (wpType !== '' && wpType !== type) legacy['wpType'] = wpType;
    const userId = field(f, 'wp:comment_user_id');
    if (userId !== '' && userId !== '0') legacy['wpUserId'] = userId;
    const own = readCommentMeta(metaValue(comment.meta, COMMENT_META_KEY));
    if (own !== undefined) {
      ({ createdAt, updatedAt, userAgent, reasons, previousStatus } = own);
      legacy['termpressId'] = own.id;
    }
    const meta: RawMeta[] = comment.meta.filter((m) => m.key !== COMMENT_META_KEY && m.key !== '_wp_trash_meta_status');
    if (meta.length > 0) legacy['meta'] = meta;
    return {
      id,
      parentId,
      author: decodeHtmlText(f['wp:comment_author'] ?? '').trim(),
      email: field(f, 'wp:comment_author_email'),
      url: field(f, 'wp:comment_author_url'),
      ip: field(f, 'wp:comment_author_IP'),
      userAgent,
      body: f['wp:comment_content'] ?? '',
      status,
      ...(previousStatus !== undefined ? { previousStatus } : {}),
      createdAt,
      updatedAt,
      type,
      reasons: [...reasons],
      legacy,
    };
  });
}
