/** `termpress export --format markdown`: one file per post with YAML front matter, for Hugo, Jekyll and the like. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { documentDate, documentOfPost, writePostDocument } from '../core/post-document.js';
import type { BlogSettings, Post } from '../core/types.js';

/** A published comment as the front matter lists it. */
interface FrontMatterComment {
  id: string;
  parent: string | null;
  author: string;
  url?: string;
  date: string;
  type: string;
  body: string;
}

/** WordPress URLs an imported post had, as Hugo `aliases`, so old links keep working on the new site. */
function aliasesOf(post: Post): string[] {
  const link = post.legacy?.['link'];
  if (typeof link !== 'string') return [];
  try {
    const url = new URL(link);
    return url.search === '' && url.pathname !== '/' ? [decodeURI(url.pathname)] : [];
  } catch {
    return [];
  }
}

/**
 * The keys a post's file adds to its document, for Hugo and Jekyll and for people reading it: `lastmod`,
 * `draft`, `aliases`, `id`, `type` and `weight` for a page, and the approved comments. `post create --from` accepts and ignores them.
 */
export function exportKeysOf(post: Post, timezone: string): Record<string, unknown> {
  const extra: Record<string, unknown> = {
    lastmod: documentDate(new Date(post.updatedAt), timezone, 'exact'),
    draft: post.status !== 'published',
  };
  const aliases = aliasesOf(post);
  if (aliases.length > 0) extra['aliases'] = aliases;
  extra['id'] = post.id;
  // Hugo's and Jekyll's own words for a page and its place in menus.
  if (post.type === 'page') Object.assign(extra, { type: 'page', weight: post.menuOrder ?? 0 });
  // Only what a reader could see: the site shows approved comments, and emails and IPs are nobody's business.
  const comments: FrontMatterComment[] = post.comments
    .filter((c) => c.status === 'approved')
    .map((c) => ({
      id: c.id,
      parent: c.parentId,
      author: c.author,
      ...(c.url !== '' ? { url: c.url } : {}),
      date: documentDate(new Date(c.createdAt), timezone, 'exact'),
      type: c.type,
      body: c.body,
    }));
  if (comments.length > 0) extra['approvedComments'] = comments;
  return extra;
}

/**
 * A post as the file the export writes: the post document `post create --from` reads, with exact dates
 * in the blog's time zone and the export's own keys after it. A draft without a date has an empty one
 * (Hugo leaves drafts out anyway); dating it by its creation would publish it back-dated once read back.
 */
export function markdownFileOf(post: Post, timezone: string): string {
  const doc = documentOfPost(post);
  if (!doc.body.endsWith('\n')) doc.body = `${doc.body}\n`;
  return writePostDocument(doc, { timezone, dates: 'exact', extra: exportKeysOf(post, timezone) });
}

/** A file name for a slug: slugs have no path separators by rule, but an export must not trust that. */
function baseName(post: Post): string {
  const safe = post.slug.replace(/[/\\:*?"<>|\p{Cc}]/gu, '-').replace(/^\.+/, '');
  return safe === '' ? post.id : safe;
}

/**
 * Write one file per post into `outDir`: `<slug>.md` for markdown posts and `<slug>.html` for HTML ones
 * (Hugo and Jekyll read front matter in both, and HTML is kept as written rather than converted lossily).
 * Returns the paths written.
 */
export async function exportMarkdown(posts: readonly Post[], settings: BlogSettings, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const taken = new Set<string>();
  const written: string[] = [];
  for (const post of posts) {
    const ext = post.format === 'markdown' ? 'md' : 'html';
    let name = `${baseName(post)}.${ext}`;
    if (taken.has(name.toLowerCase())) name = `${baseName(post)}-${post.id}.${ext}`;
    taken.add(name.toLowerCase());
    const file = path.join(outDir, name);
    await writeFile(file, markdownFileOf(post, settings.timezone));
    written.push(file);
  }
  return written;
}
