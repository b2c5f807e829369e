import slugify from '@sindresorhus/slugify';
import { UsageError } from './errors.js';
import { MAX_SLUG_BYTES } from './limits.js';

/** How long a slug made from a title may be: short enough for a readable address. */
const TITLE_SLUG_LENGTH = 80;
const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words of letters and digits, each capitalised or not, between single spaces or hyphens. */
const PLAIN_TEXT = /^[A-Z]?[a-z0-9]+(?:[ -][A-Z]?[a-z0-9]+)*$/;

/** The last texts slugified, with their slugs. */
const slugified = new Map<string, string>();

/**
 * Text as slugify makes it a slug (ASCII transliteration, lowercase, hyphens). slugify builds its 2,000
 * replacement patterns anew on every call (some milliseconds the first time), so plain words ("Hello
 * world 2", "tag-32"), which it only lower-cases and joins by hyphens, are made so here, and the
 * slug of a text is kept: a command asks for the same title's slug more than once.
 */
export function slugifyText(text: string): string {
  let slug = slugified.get(text);
  if (slug === undefined) {
    slug = PLAIN_TEXT.test(text) ? text.toLowerCase().replace(/ /g, '-') : slugify(text);
    if (slugified.size >= 10_000) slugified.clear();
    slugified.set(text, slug);
  }
  return slug;
}

/** A slug made from a title: ASCII transliteration, lowercase, hyphens; never empty or numeric-only. */
export function slugFromTitle(title: string): string {
  let slug = slugifyText(title).slice(0, TITLE_SLUG_LENGTH).replace(/-+$/, '');
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
 * whitespace, slashes, `?`, `#` and `%` made hyphens; dots that could climb out of a folder reduced; cut to
 * the slug limit. Empty when nothing is left.
 */
export function safeSlug(text: string): string {
  const slug = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[\s/\\?#%]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return fitBytes(slug, MAX_SLUG_BYTES).replace(/-+$/, '');
}

/**
 * Why a slug cannot be stored, or null when it can. Imported slugs keep WordPress's letters of any
 * script, so this is looser than what a person may type (slugProblem), but a slug is a folder of the
 * built site and a part of its addresses: it never climbs, splits or hides a path.
 */
export function storedSlugProblem(slug: string): string | null {
  if (slug === '') return 'a slug may not be empty';
  if (/[/\\]/.test(slug) || slug.includes('..')) return 'a slug may not contain path separators';
  if (/^\d+$/.test(slug)) return 'a slug may not be numeric only';
  if (slug.startsWith('.')) return 'a slug may not start with a dot';
  if (/[\p{Cc}\p{Cf}]/u.test(slug)) return 'a slug may not hold control or format characters';
  if (Buffer.byteLength(slug, 'utf8') > MAX_SLUG_BYTES) return `a slug may have at most ${MAX_SLUG_BYTES} bytes`;
  return null;
}

/** Why a slug typed by a person cannot be used, or null when it can. */
export function slugProblem(slug: string): string | null {
  const problem = storedSlugProblem(slug);
  if (problem) return problem;
  if (!SLUG_SHAPE.test(slug)) return 'a slug may hold only lowercase letters, digits and single hyphens';
  return null;
}

/** Checks a slug typed by a person, throwing a usage error that says how to fix it. */
export function assertValidSlug(slug: string): string {
  const problem = slugProblem(slug);
  if (problem) throw new UsageError(`Invalid slug "${slug}": ${problem}; try --slug ${slugFromTitle(slug)}.`);
  return slug;
}

/** Text cut to at most max bytes of UTF-8, never inside a character. */
export function fitBytes(text: string, max: number): string {
  if (text.length * 3 <= max || Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let size = 0;
  for (const char of text) {
    size += Buffer.byteLength(char, 'utf8');
    if (size > max) break;
    out += char;
  }
  return out;
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
    const candidate = `${fitBytes(slug, MAX_SLUG_BYTES - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}
