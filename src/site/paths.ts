import { posix } from 'node:path';
import { UsageError } from '../core/errors.js';
import { DEFAULT_PERMALINK, permalinkProblem, setCommand, urlProblem } from '../core/setting-rules.js';
import type { PERMALINK_TOKENS } from '../core/setting-rules.js';
import { hasControl } from '../core/text.js';
import type { CalendarParts, DateFormatter } from './dates.js';

/**
 * Output files are named by their path under the output folder with "/" separators
 * ("2024/05/01/hello/index.html"); this module turns them into the links pages carry.
 */

type Token = (typeof PERMALINK_TOKENS)[number];

/** The values a permalink pattern can use. */
export type PermalinkValues = CalendarParts & { slug: string; id: string };

/** A permalink pattern checked once (by the rule `config set` uses too), turned into a function from a post's values to its output file. */
export function compilePermalink(pattern: string): (values: PermalinkValues) => string {
  const problem = permalinkProblem(pattern);
  if (problem) throw new UsageError(`${problem}; set it with: ${setCommand('permalink', DEFAULT_PERMALINK)}`);
  const trimmed = pattern.trim();
  return (values) => {
    const path = trimmed.replace(/:(year|month|day|slug|id)\b/g, (_, token: Token) => safeSegment(values[token], values.id));
    const segments = path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
    const last = segments[segments.length - 1] ?? '';
    // "/:slug.html" names a file; "/:slug/" and "/:slug" name a folder served by its index.
    if (!trimmed.endsWith('/') && last.includes('.')) return segments.join('/');
    return [...segments, 'index.html'].join('/');
  };
}

/** A slug as one path segment; a slug that could climb or split folders falls back to the id. */
function safeSegment(value: string, fallback: string): string {
  const clean = value.trim();
  if (clean === '' || clean === '.' || clean === '..' || /[/\\]/.test(clean) || hasControl(clean)) return fallback;
  return clean;
}

/** The pretty path of an output file as a server shows it: "a/b/index.html" -> "a/b/". */
export function prettyPath(file: string): string {
  return file === 'index.html' ? '' : file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file;
}

/** A path percent-encoded segment by segment, for use in a URL. */
export function encodePath(path: string): string {
  // Most paths need no escape at all: every page's links go through here.
  if (/^[\w.~/-]*$/.test(path)) return path;
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The blog's url as a base for absolute links, always ending with "/". */
export function siteBase(url: string): URL {
  const problem = urlProblem(url);
  if (problem) throw new UsageError(`${problem}; set it with: ${setCommand('url', 'https://example.com/')}`);
  const base = new URL(url);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

/** The absolute URL of an output file, in its pretty form, for feeds, sitemaps and canonical links. */
export function absoluteUrl(base: URL, file: string): string {
  const path = encodePath(prettyPath(file));
  // A plain path (no dot segments, nothing to escape) under a base that ends with "/" (see siteBase) is
  // the two texts joined, as the URL parser would make them: a sitemap asks this of every page.
  if (base.href.endsWith('/') && PLAIN_PATH.test(path) && !path.split('/').some((s) => s === '.' || s === '..')) return base.href + path;
  return new URL(path, base).href;
}

const PLAIN_PATH = /^(?!\/)[\w.~/-]*$/;

/**
 * A link from one output file to another that works on any host, under any sub-folder, and when
 * the site is opened straight from disk (file://), which is why folder links name their index.html.
 */
export function relativeLink(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return encodePath(rel === '' ? posix.basename(to) : rel);
}

/** A link from a page served at any depth (the 404 page) to an output file: rooted at the site's path. */
export function rootedLink(base: URL, to: string): string {
  return base.pathname + encodePath(prettyPath(to));
}

/** What a post's address is made of. */
export type PermalinkPost = { id: string; slug: string; permalinkDate?: string | undefined };

/**
 * Names the output file of a post's page from its permalink pattern and its date: the day fixed when
 * it was first published, else its date (publishedAt, or for a preview its creation time) in the blog's
 * timezone. One rule for the build, its redirects and the comment server's redirects.
 */
export function postFileNamer(pattern: string, dates: DateFormatter): (post: PermalinkPost, date: string) => string {
  const permalink = compilePermalink(pattern);
  return (post, date) => permalink({ ...permalinkDay(post, date, dates), slug: post.slug, id: post.id });
}

function permalinkDay(post: PermalinkPost, date: string, dates: DateFormatter): CalendarParts {
  const pinned = post.permalinkDate === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(post.permalinkDate);
  return pinned ? { year: pinned[1]!, month: pinned[2]!, day: pinned[3]! } : dates.parts(date);
}
