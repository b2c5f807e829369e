/** Slugs of imported posts: WordPress's percent-encoded `post_name` decoded, made safe for a blog folder and URL. */
import slugify from '@sindresorhus/slugify';
import { MAX_SLUG_BYTES } from '../core/limits.js';
import { fitBytes, safeSlug, storedSlugProblem } from '../core/slug.js';
import { detached } from './detached.js';

/** Percent-decoding that leaves a malformed sequence as it was rather than failing the item. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A candidate cut to the slug limit, without the hyphens the cut may leave at its end. */
function fitted(slug: string): string {
  return fitBytes(slug, MAX_SLUG_BYTES).replace(/-+$/, '');
}

// slugify compiles its 2,000 replacement patterns anew on every call (about a millisecond), and an import
// asks for each title twice: when it checks the file, then when it imports it.
const titleSlugs = new Map<string, string>();
const MAX_TITLE_SLUGS = 50_000;

/** The slug made from a title, as slugify makes it and cut to the limit. */
function titleSlug(title: string): string {
  let slug = titleSlugs.get(title);
  if (slug === undefined) {
    slug = fitted(slugify(title));
    if (titleSlugs.size >= MAX_TITLE_SLUGS) titleSlugs.clear();
    // The title is cut from a chunk of the file, which the key must not keep alive.
    titleSlugs.set(detached(title), slug);
  }
  return slug;
}

/**
 * A termpress slug from a WordPress item: the decoded `post_name` (`%e6%97%a5...` becomes `日...`, so old
 * URLs keep their meaning) made safe by safeSlug, else one made from the title, else `post-<id>`; the
 * result always passes the stored-slug check.
 */
export function importedSlug(postName: string, title: string, wpId: string): string {
  let slug = safeSlug(percentDecode(postName.trim()));
  if (slug === '') slug = titleSlug(title);
  if (slug === '')
    slug = `post-${
      wpId
        .trim()
        .replace(/[^0-9a-z]+/gi, '')
        .slice(0, 20)
        .toLowerCase() || 'untitled'
    }`;
  // Numeric-only slugs would be mistaken for ids and WordPress page numbers.
  if (/^\d+$/.test(slug)) slug = `post-${slug}`;
  return storedSlugProblem(slug) === null ? slug : 'post';
}
