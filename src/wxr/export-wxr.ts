/** `termpress export --format wxr`: a WXR 1.2 file that WordPress's importer reads and termpress imports back whole. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import slugify from '@sindresorhus/slugify';
import type { MediaRecord } from '../core/media.js';
import { pageParents } from '../core/pages.js';
import { postDate } from '../core/posts.js';
import { CategoryTree, emptyTaxonomy, type Taxonomy } from '../core/taxonomy.js';
import { isPage, type BlogSettings, type Comment, type CommentStatus, type Post, type PostStatus } from '../core/types.js';
import { formatPubDate, formatWxrDate } from './dates.js';
import { escapeHtmlText } from './entities.js';
import { COMMENT_META_KEY, MARKDOWN_META_KEY, POST_META_KEY, type TermpressCommentMeta, type TermpressPostMeta } from './termpress-meta.js';
import { cdata, escapeXml } from './xml-text.js';

/** Options of `exportWxr`. */
export interface WxrExportOptions {
  /** Renders a markdown post to the HTML WordPress shows; defaults to markdown-it with HTML allowed. */
  renderMarkdown?: (markdown: string) => string | Promise<string>;
  /** The blog's category tree and tag details, written as the channel's terms. */
  taxonomy?: Taxonomy;
  /** The blog's media, written as attachments. */
  media?: readonly MediaRecord[];
}

const WP_STATUS: Record<PostStatus, string> = {
  published: 'publish',
  scheduled: 'future',
  draft: 'draft',
  pending: 'pending',
  trash: 'trash',
};

const WP_APPROVED: Record<CommentStatus, string> = { approved: '1', pending: '0', spam: 'spam', trash: 'trash' };

interface Names {
  /** name -> unique slug */
  slugs: Map<string, string>;
  taken: Set<string>;
}

/** A slug for a name, unique among the others of its kind (two names may slugify alike). */
function claim(names: Names, name: string, preferred: string | undefined, fallback: string): string {
  const known = names.slugs.get(name);
  if (known !== undefined) return known;
  let base = preferred !== undefined && preferred !== '' ? preferred : slugify(name);
  if (base === '') base = fallback;
  let slug = base;
  for (let n = 2; names.taken.has(slug); n += 1) slug = `${base}-${n}`;
  names.taken.add(slug);
  names.slugs.set(name, slug);
  return slug;
}

function newNames(): Names {
  return { slugs: new Map(), taken: new Set() };
}

/** WordPress ids: the ones an import kept where still unique, fresh numbers above them for the rest. */
class IdAllocator {
  private readonly used = new Set<number>();
  private next = 1;

  constructor(preferred: Iterable<unknown>) {
    for (const value of preferred) {
      const id = Number(value);
      if (Number.isSafeInteger(id) && id > 0) this.next = Math.max(this.next, id + 1);
    }
  }

  take(preferred: unknown): number {
    const id = Number(preferred);
    if (typeof preferred === 'string' && Number.isSafeInteger(id) && id > 0 && !this.used.has(id)) {
      this.used.add(id);
      return id;
    }
    while (this.used.has(this.next)) this.next += 1;
    this.used.add(this.next);
    return this.next;
  }
}

function legacyString(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

function legacyMeta(record: Record<string, unknown> | undefined): { key: string; value: string }[] {
  const meta = record?.['meta'];
  if (!Array.isArray(meta)) return [];
  return meta.filter((m): m is { key: string; value: string } => typeof m?.key === 'string' && typeof m?.value === 'string');
}

function metaXml(tag: 'wp:postmeta' | 'wp:commentmeta', key: string, value: string, indent: string): string {
  return `${indent}<${tag}>\n${indent}\t<wp:meta_key>${cdata(key)}</wp:meta_key>\n${indent}\t<wp:meta_value>${cdata(value)}</wp:meta_value>\n${indent}</${tag}>\n`;
}

async function defaultRenderer(): Promise<(markdown: string) => string> {
  const { default: MarkdownIt } = await import('markdown-it');
  const md = new MarkdownIt({ html: true });
  return (markdown) => md.render(markdown);
}

/** Write text, waiting when the stream asks for it, so a large export does not pile up in memory. */
async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Write the posts as a WXR 1.2 file: channel, authors, categories, tags, then one item per post with its
 * comments. What WordPress has no field for (termpress ids, exact times, markdown sources, moderation
 * reasons) travels in `_termpress` meta, which WordPress keeps and termpress reads back.
 */
export async function exportWxr(
  posts: readonly Post[],
  settings: BlogSettings,
  out: Writable,
  options: WxrExportOptions = {},
): Promise<void> {
  const zone = settings.timezone;
  const siteUrl = settings.url;
  const render = options.renderMarkdown ?? (posts.some((p) => p.format === 'markdown') ? await defaultRenderer() : (text: string) => text);

  const taxonomy = options.taxonomy ?? emptyTaxonomy();
  const media = options.media ?? [];
  const tree = new CategoryTree(taxonomy.categories);
  const authors = newNames();
  const categories = newNames();
  const tags = newNames();
  // The tree's categories keep their slugs; a name a post uses that the tree does not know gets one of its own.
  for (const category of taxonomy.categories) categories.taken.add(category.slug);
  for (const tag of taxonomy.tags) claim(tags, tag.name, tag.slug, 'tag');
  for (const post of posts) {
    claim(authors, post.author, legacyString(post.legacy, 'authorLogin'), 'author');
    for (const name of post.categories) if (tree.resolve(name) === undefined) claim(categories, name, undefined, 'category');
    for (const name of post.tags) claim(tags, name, undefined, 'tag');
  }
  const categoryOf = (entry: string): { slug: string; name: string } => {
    const category = tree.resolve(entry);
    return category ?? { slug: categories.slugs.get(entry) ?? '', name: entry };
  };
  const postIds = new IdAllocator([...posts.map((p) => p.legacy?.['wpPostId']), ...media.map((m) => m.legacy?.['wpPostId'])]);
  const wpIdOf = new Map(posts.map((post) => [post.id, postIds.take(post.legacy?.['wpPostId'])]));
  const parents = pageParents(posts.filter(isPage));
  const commentIds = new IdAllocator(posts.flatMap((p) => p.comments.map((c) => c.legacy?.['wpCommentId'])));

  let head = '<?xml version="1.0" encoding="UTF-8" ?>\n';
  head += '<!-- This is a WordPress eXtended RSS file generated by termpress as an export of your blog. -->\n';
  head += '<!-- Import it in WordPress with Tools > Import > WordPress, or in termpress with termpress import. -->\n';
  head += '<rss version="2.0"\n\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n';
  head += '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n';
  head += '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n<channel>\n';
  head += `\t<title>${escapeXml(settings.title)}</title>\n\t<link>${escapeXml(siteUrl)}</link>\n`;
  head += `\t<description>${escapeXml(settings.description)}</description>\n\t<language>${escapeXml(settings.language)}</language>\n`;
  head += `\t<wp:wxr_version>1.2</wp:wxr_version>\n\t<wp:base_site_url>${escapeXml(siteUrl)}</wp:base_site_url>\n`;
  head += `\t<wp:base_blog_url>${escapeXml(siteUrl)}</wp:base_blog_url>\n\n`;
  let authorId = 0;
  for (const [name, login] of authors.slugs) {
    authorId += 1;
    head += `\t<wp:author><wp:author_id>${authorId}</wp:author_id><wp:author_login>${cdata(login)}</wp:author_login>`;
    head += `<wp:author_email>${cdata('')}</wp:author_email><wp:author_display_name>${cdata(escapeHtmlText(name))}</wp:author_display_name>`;
    head += `<wp:author_first_name>${cdata('')}</wp:author_first_name><wp:author_last_name>${cdata('')}</wp:author_last_name></wp:author>\n`;
  }
  let termId = 0;
  const categoryXml = (slug: string, parent: string, name: string, description: string) =>
    `\t<wp:category><wp:term_id>${(termId += 1)}</wp:term_id><wp:category_nicename>${cdata(encodeURIComponent(slug).toLowerCase())}</wp:category_nicename>` +
    `<wp:category_parent>${cdata(encodeURIComponent(parent).toLowerCase())}</wp:category_parent><wp:cat_name>${cdata(escapeHtmlText(name))}</wp:cat_name>` +
    (description === '' ? '' : `<wp:category_description>${cdata(description)}</wp:category_description>`) +
    '</wp:category>\n';
  // Parents before their children, as WordPress's importer needs them.
  const written = new Set<string>();
  for (const category of taxonomy.categories) {
    for (const step of tree.chain(category)) {
      if (written.has(step.slug)) continue;
      written.add(step.slug);
      const parent = tree.parentOf(step);
      head += categoryXml(step.slug, parent !== undefined && written.has(parent.slug) ? parent.slug : '', step.name, step.description);
    }
  }
  for (const [name, nicename] of categories.slugs) head += categoryXml(nicename, '', name, '');
  const tagDescriptions = new Map(taxonomy.tags.map((tag) => [tag.slug, tag.description]));
  for (const [name, slug] of tags.slugs) {
    const description = tagDescriptions.get(slug) ?? '';
    head += `\t<wp:tag><wp:term_id>${(termId += 1)}</wp:term_id><wp:tag_slug>${cdata(encodeURIComponent(slug).toLowerCase())}</wp:tag_slug>`;
    head += `<wp:tag_name>${cdata(escapeHtmlText(name))}</wp:tag_name>${description === '' ? '' : `<wp:tag_description>${cdata(description)}</wp:tag_description>`}</wp:tag>\n`;
  }
  head += '\n\t<generator>termpress</generator>\n\n';
  await put(out, head);

  for (const post of posts) {
    const wpId = wpIdOf.get(post.id)!;
    const parent = isPage(post) ? parents.get(post.id) : null;
    const date = postDate(post);
    const guid = legacyString(post.legacy, 'guid') || `${siteUrl.replace(/\/?$/, '/')}?termpress=${post.id}`;
    const link = legacyString(post.legacy, 'link') ?? guid;
    const comment = post.commentStatus === 'open' ? 'open' : 'closed';
    const html = post.format === 'markdown' ? await render(post.body) : post.body;
    let item = '\t<item>\n';
    item += `\t\t<title>${cdata(escapeHtmlText(post.title))}</title>\n\t\t<link>${escapeXml(link)}</link>\n`;
    item += `\t\t<pubDate>${formatPubDate(date)}</pubDate>\n`;
    item += `\t\t<dc:creator>${cdata(authors.slugs.get(post.author) ?? '')}</dc:creator>\n`;
    item += `\t\t<guid isPermaLink="false">${escapeXml(guid)}</guid>\n\t\t<description></description>\n`;
    item += `\t\t<content:encoded>${cdata(html)}</content:encoded>\n\t\t<excerpt:encoded>${cdata(post.excerpt)}</excerpt:encoded>\n`;
    item += `\t\t<wp:post_id>${wpId}</wp:post_id>\n`;
    item += `\t\t<wp:post_date>${cdata(formatWxrDate(date, zone))}</wp:post_date>\n`;
    item += `\t\t<wp:post_date_gmt>${cdata(formatWxrDate(date, 'UTC'))}</wp:post_date_gmt>\n`;
    item += `\t\t<wp:post_modified>${cdata(formatWxrDate(post.updatedAt, zone))}</wp:post_modified>\n`;
    item += `\t\t<wp:post_modified_gmt>${cdata(formatWxrDate(post.updatedAt, 'UTC'))}</wp:post_modified_gmt>\n`;
    item += `\t\t<wp:comment_status>${cdata(comment)}</wp:comment_status>\n\t\t<wp:ping_status>${cdata(comment)}</wp:ping_status>\n`;
    // WordPress stores non-ASCII slugs percent-encoded; the importer decodes them again.
    item += `\t\t<wp:post_name>${cdata(encodeURIComponent(post.slug).toLowerCase())}</wp:post_name>\n`;
    item += `\t\t<wp:status>${cdata(WP_STATUS[post.status])}</wp:status>\n`;
    item += `\t\t<wp:post_parent>${parent ? wpIdOf.get(parent.id)! : 0}</wp:post_parent>\n\t\t<wp:menu_order>${post.menuOrder ?? 0}</wp:menu_order>\n`;
    item += `\t\t<wp:post_type>${cdata(post.type ?? 'post')}</wp:post_type>\n`;
    item += `\t\t<wp:post_password>${cdata(legacyString(post.legacy, 'password') ?? '')}</wp:post_password>\n`;
    item += `\t\t<wp:is_sticky>${post.sticky ? 1 : 0}</wp:is_sticky>\n`;
    for (const entry of post.categories) {
      const category = categoryOf(entry);
      item += `\t\t<category domain="category" nicename="${escapeXml(encodeURIComponent(category.slug).toLowerCase())}">${cdata(escapeHtmlText(category.name))}</category>\n`;
    }
    for (const name of post.tags) {
      item += `\t\t<category domain="post_tag" nicename="${escapeXml(tags.slugs.get(name) ?? '')}">${cdata(escapeHtmlText(name))}</category>\n`;
    }
    const terms = post.legacy?.['terms'];
    if (Array.isArray(terms)) {
      for (const term of terms as { taxonomy?: unknown; slug?: unknown; name?: unknown }[]) {
        if (typeof term.taxonomy !== 'string' || typeof term.name !== 'string') continue;
        const slug = typeof term.slug === 'string' ? term.slug : slugify(term.name);
        item += `\t\t<category domain="${escapeXml(term.taxonomy)}" nicename="${escapeXml(slug)}">${cdata(escapeHtmlText(term.name))}</category>\n`;
      }
    }
    for (const meta of legacyMeta(post.legacy)) item += metaXml('wp:postmeta', meta.key, meta.value, '\t\t');
    if (post.status === 'trash' && post.previousStatus !== undefined) {
      // WordPress's own record of a trashed post's status, so that restoring it there works too.
      item += metaXml('wp:postmeta', '_wp_trash_meta_status', WP_STATUS[post.previousStatus], '\t\t');
    }
    const own: TermpressPostMeta = {
      id: post.id,
      createdAt: post.createdAt,
      updatedAt: post.updatedAt,
      publishedAt: post.publishedAt,
      ...(post.permalinkDate !== undefined ? { permalinkDate: post.permalinkDate } : {}),
      format: post.format,
      ...(post.previousStatus !== undefined ? { previousStatus: post.previousStatus } : {}),
      ...(legacyString(post.legacy, 'key')?.startsWith('wxr:') ? { key: legacyString(post.legacy, 'key') } : {}),
    };
    item += metaXml('wp:postmeta', POST_META_KEY, JSON.stringify(own), '\t\t');
    if (post.format === 'markdown') item += metaXml('wp:postmeta', MARKDOWN_META_KEY, post.body, '\t\t');
    item += commentsXml(post.comments, commentIds, zone);
    item += '\t</item>\n';
    await put(out, item);
  }
  const byWpPost = new Map(
    posts.flatMap((post) => (typeof post.legacy?.['wpPostId'] === 'string' ? [[post.legacy['wpPostId'], post] as const] : [])),
  );
  for (const record of media) {
    const owner =
      record.postId !== null ? posts.find((p) => p.id === record.postId) : byWpPost.get(String(record.legacy?.['wpParentId'] ?? ''));
    await put(out, attachmentXml(record, postIds.take(record.legacy?.['wpPostId']), owner ? wpIdOf.get(owner.id)! : 0, siteUrl, zone));
  }
  await put(out, '</channel>\n</rss>\n');
}

/** A media record as a WordPress attachment: its local copy's address on the site when there is one, else where it came from. */
function attachmentXml(record: MediaRecord, wpId: number, parent: number, siteUrl: string, zone: string): string {
  const base = siteUrl.replace(/\/?$/, '/');
  const url = record.file !== null ? new URL(`media/${record.file.split('/').map(encodeURIComponent).join('/')}`, base).href : record.url;
  const guid = legacyString(record.legacy, 'guid') || url;
  let item = '\t<item>\n';
  item += `\t\t<title>${cdata(escapeHtmlText(record.title))}</title>\n\t\t<link>${escapeXml(url)}</link>\n`;
  item += `\t\t<pubDate>${formatPubDate(record.createdAt)}</pubDate>\n\t\t<dc:creator>${cdata('')}</dc:creator>\n`;
  item += `\t\t<guid isPermaLink="false">${escapeXml(guid)}</guid>\n\t\t<description></description>\n`;
  item += `\t\t<content:encoded>${cdata(record.description)}</content:encoded>\n\t\t<excerpt:encoded>${cdata(record.caption)}</excerpt:encoded>\n`;
  item += `\t\t<wp:post_id>${wpId}</wp:post_id>\n`;
  item += `\t\t<wp:post_date>${cdata(formatWxrDate(record.createdAt, zone))}</wp:post_date>\n`;
  item += `\t\t<wp:post_date_gmt>${cdata(formatWxrDate(record.createdAt, 'UTC'))}</wp:post_date_gmt>\n`;
  item += `\t\t<wp:comment_status>${cdata('closed')}</wp:comment_status>\n\t\t<wp:ping_status>${cdata('closed')}</wp:ping_status>\n`;
  item += `\t\t<wp:post_name>${cdata(encodeURIComponent(slugify(record.title) || `media-${wpId}`))}</wp:post_name>\n`;
  item += `\t\t<wp:status>${cdata('inherit')}</wp:status>\n\t\t<wp:post_parent>${parent}</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n`;
  item += `\t\t<wp:post_type>${cdata('attachment')}</wp:post_type>\n\t\t<wp:post_password>${cdata('')}</wp:post_password>\n\t\t<wp:is_sticky>0</wp:is_sticky>\n`;
  item += `\t\t<wp:attachment_url>${cdata(url)}</wp:attachment_url>\n`;
  const attached = legacyString(record.legacy, 'attachedFile') ?? record.file;
  if (attached) item += metaXml('wp:postmeta', '_wp_attached_file', attached, '\t\t');
  if (record.alt !== '') item += metaXml('wp:postmeta', '_wp_attachment_image_alt', record.alt, '\t\t');
  item += '\t</item>\n';
  return item;
}

function commentsXml(comments: readonly Comment[], ids: IdAllocator, zone: string): string {
  const wpIds = new Map<string, number>();
  for (const comment of comments) wpIds.set(comment.id, ids.take(comment.legacy?.['wpCommentId']));
  let xml = '';
  for (const comment of comments) {
    const own: TermpressCommentMeta = {
      id: comment.id,
      createdAt: comment.createdAt,
      updatedAt: comment.updatedAt,
      userAgent: comment.userAgent,
      reasons: comment.reasons,
      ...(comment.previousStatus !== undefined ? { previousStatus: comment.previousStatus } : {}),
    };
    xml += '\t\t<wp:comment>\n';
    xml += `\t\t\t<wp:comment_id>${wpIds.get(comment.id) ?? 0}</wp:comment_id>\n`;
    xml += `\t\t\t<wp:comment_author>${cdata(escapeHtmlText(comment.author))}</wp:comment_author>\n`;
    xml += `\t\t\t<wp:comment_author_email>${cdata(comment.email)}</wp:comment_author_email>\n`;
    xml += `\t\t\t<wp:comment_author_url>${cdata(comment.url)}</wp:comment_author_url>\n`;
    xml += `\t\t\t<wp:comment_author_IP>${cdata(comment.ip)}</wp:comment_author_IP>\n`;
    xml += `\t\t\t<wp:comment_date>${cdata(formatWxrDate(comment.createdAt, zone))}</wp:comment_date>\n`;
    xml += `\t\t\t<wp:comment_date_gmt>${cdata(formatWxrDate(comment.createdAt, 'UTC'))}</wp:comment_date_gmt>\n`;
    xml += `\t\t\t<wp:comment_content>${cdata(comment.body)}</wp:comment_content>\n`;
    xml += `\t\t\t<wp:comment_approved>${cdata(WP_APPROVED[comment.status])}</wp:comment_approved>\n`;
    xml += `\t\t\t<wp:comment_type>${cdata(comment.type)}</wp:comment_type>\n`;
    xml += `\t\t\t<wp:comment_parent>${comment.parentId === null ? 0 : (wpIds.get(comment.parentId) ?? 0)}</wp:comment_parent>\n`;
    xml += `\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n`;
    for (const meta of legacyMeta(comment.legacy)) xml += metaXml('wp:commentmeta', meta.key, meta.value, '\t\t\t');
    xml += metaXml('wp:commentmeta', COMMENT_META_KEY, JSON.stringify(own), '\t\t\t');
    xml += '\t\t</wp:comment>\n';
  }
  return xml;
}
