/** Slugs of imported posts: WordPress's percent-encoded `post_name` decoded, made safe for a blog folder and URL. */
import slugify from '@sindresorhus/slugify';

/** Percent-decoding that leaves a malformed sequence as it was rather than failing the item. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A termpress slug from a WordPress item: the decoded `post_name` (`%e6%97%a5...` becomes `日...`, so old
 * URLs keep their meaning), else one made from the title, else `post-<id>`. Control and format characters
 * (bidi overrides, zero-width marks) are dropped: in a slug they only serve to disguise one URL as another.
 */
export function importedSlug(postName: string, title: string, wpId: string): string {
  let slug = percentDecode(postName.trim())
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\s/\\?#%]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') slug = slugify(title);
  if (slug === '') slug = `post-${wpId.trim() || 'untitled'}`;
  // Numeric-only slugs would be mistaken for ids and WordPress page numbers.
  if (/^\d+$/.test(slug)) slug = `post-${slug}`;
  return slug;
}
