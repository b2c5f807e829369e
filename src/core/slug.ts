import slugify from '@sindresorhus/slugify';
import { UsageError } from './errors.js';

const MAX_SLUG_LENGTH = 80;
const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A slug made from a title: ASCII transliteration, lowercase, hyphens; never empty or numeric-only. */
export function slugFromTitle(title: string): string {
  let slug = slugify(title).slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
  // Titles in scripts without a transliteration still need a usable slug.
  if (slug === '') slug = 'post';
  // A numeric slug would read as an id or a date in permalinks.
  if (/^\d+$/.test(slug)) slug = `post-${slug}`;
  return slug;
}

/**
 * A slug that came from another system (a WordPress export, a backup) made safe for a blog folder and a URL,
 * keeping its letters in any script so old URLs keep their meaning: control and format characters (bidi
 * overrides, zero-width marks) dropped, since in a slug they only serve to disguise one URL as another;
 * whitespace, slashes, `?`, `#` and `%` made hyphens. Empty when nothing is left.
 */
export function safeSlug(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\s/\\?#%]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Why a slug typed by a person cannot be used, or null when it can. */
export function slugProblem(slug: string): string | null {
  if (slug === '') return 'a slug may not be empty';
  if (/[/\\]/.test(slug) || slug.includes('..')) return 'a slug may not contain path separators';
  if (/^\d+$/.test(slug)) return 'a slug may not be numeric only';
  if (slug.length > MAX_SLUG_LENGTH) return `a slug may have at most ${MAX_SLUG_LENGTH} characters`;
  if (!SLUG_SHAPE.test(slug)) return 'a slug may hold only lowercase letters, digits and single hyphens';
  return null;
}

/** Checks a slug typed by a person, throwing a usage error that says how to fix it. */
export function assertValidSlug(slug: string): string {
  const problem = slugProblem(slug);
  if (problem) throw new UsageError(`Invalid slug "${slug}": ${problem}; try --slug ${slugFromTitle(slug)}.`);
  return slug;
}

/**
 * The first of slug, slug-2, slug-3 ... that is not taken. A taken slug that already ends in a number
 * keeps it ("top-10" becomes "top-10-2", not "top-2"), and the slug is shortened to make room for the
 * suffix, so the result is always a valid slug.
 */
export function uniqueSlug(slug: string, taken: (candidate: string) => boolean): string {
  if (!taken(slug)) return slug;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${slug.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}
