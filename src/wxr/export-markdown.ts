/** `termpress export --format markdown`: one file per post with YAML front matter, for Hugo, Jekyll and the like. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
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

/** The front matter of a post; fields are the ones `termpress post create --from` reads, plus Hugo's and Jekyll's. */
export function frontMatterOf(post: Post): Record<string, unknown> {
  const data: Record<string, unknown> = {
    title: post.title,
    slug: post.slug,
    date: post.publishedAt ?? post.createdAt,
    lastmod: post.updatedAt,
    draft: post.status !== 'published',
    status: post.status,
    author: post.author,
    categories: post.categories,
    tags: post.tags,
  };
  if (post.excerpt !== '') data['excerpt'] = post.excerpt;
  if (post.sticky) data['sticky'] = true;
  data['commentStatus'] = post.commentStatus;
  const aliases = aliasesOf(post);
  if (aliases.length > 0) data['aliases'] = aliases;
  data['id'] = post.id;
  data['format'] = post.format;
  // Only what a reader could see: the site shows approved comments, and emails and IPs are nobody's business.
  const comments: FrontMatterComment[] = post.comments
    .filter((c) => c.status === 'approved')
    .map((c) => ({
      id: c.id,
      parent: c.parentId,
      author: c.author,
      ...(c.url !== '' ? { url: c.url } : {}),
      date: c.createdAt,
      type: c.type,
      body: c.body,
    }));
  if (comments.length > 0) data['comments'] = comments;
  return data;
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
export async function exportMarkdown(posts: readonly Post[], _settings: BlogSettings, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const taken = new Set<string>();
  const written: string[] = [];
  for (const post of posts) {
    const ext = post.format === 'markdown' ? 'md' : 'html';
    let name = `${baseName(post)}.${ext}`;
    if (taken.has(name.toLowerCase())) name = `${baseName(post)}-${post.id}.${ext}`;
    taken.add(name.toLowerCase());
    const file = path.join(outDir, name);
    const body = post.body.endsWith('\n') ? post.body : `${post.body}\n`;
    await writeFile(file, matter.stringify(body, frontMatterOf(post)));
    written.push(file);
  }
  return written;
}
