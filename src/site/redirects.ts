/**
 * Redirects from the addresses posts had under the blog's earlier permalink patterns, so that a change
 * of pattern breaks no link, bookmark or search result. The site is static files, so a redirect is a
 * page at the old address that sends the browser on (meta refresh) and names the new one as canonical.
 */
import type { OldPermalink } from '../core/types.js';
import type { DateFormatter } from './dates.js';
import type { Job } from './output.js';
import { absoluteUrl, postFileNamer, relativeLink } from './paths.js';
import { escapeHtml, stripControls } from './sanitize.js';
import type { ShownPost } from './visibility.js';

/** The redirect pages of a build, and how many posts they lead to. */
export interface Redirects {
  jobs: Job[];
  postsMoved: number;
}

/**
 * A redirect from each address a shown post had under an old pattern (it was dated before that pattern
 * was replaced) to its address now. An old address that a page of this build uses, or that another
 * redirect took first, is left alone; a pattern that cannot be read is skipped.
 */
export function redirectJobs(options: {
  oldPermalinks: readonly OldPermalink[];
  shown: readonly ShownPost[];
  fileOf: ReadonlyMap<string, string>;
  taken: ReadonlySet<string>;
  dates: DateFormatter;
  base: URL;
  language: string;
}): Redirects {
  const { shown, fileOf, taken, base } = options;
  const jobs: Job[] = [];
  const claimed = new Set<string>();
  const moved = new Set<string>();
  for (const old of options.oldPermalinks) {
    let fileName: ReturnType<typeof postFileNamer>;
    try {
      fileName = postFileNamer(old.permalink, options.dates);
    } catch {
      continue;
    }
    const until = Date.parse(old.until);
    for (const item of shown) {
      if (item.preview !== null || !(item.time <= until)) continue;
      const from = fileName(item.post, item.date);
      const to = fileOf.get(item.post.id);
      if (to === undefined || from === to || taken.has(from) || claimed.has(from)) continue;
      claimed.add(from);
      moved.add(item.post.id);
      const title = stripControls(item.post.title);
      jobs.push({
        file: from,
        inputs: ['redirect', from, to, title, base.href, options.language],
        owner: `a redirect to post ${item.post.id} (slug ${item.post.slug})`,
        render: () => redirectPage({ title, link: relativeLink(from, to), canonical: absoluteUrl(base, to), language: options.language }),
      });
    }
  }
  return { jobs, postsMoved: moved.size };
}

function redirectPage(page: { title: string; link: string; canonical: string; language: string }): string {
  const link = escapeHtml(page.link);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(page.language || 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<meta http-equiv="refresh" content="0; url=${link}">`,
    `<link rel="canonical" href="${escapeHtml(page.canonical)}">`,
    '<meta name="robots" content="noindex">',
    '</head>',
    '<body>',
    `<p>This post has moved to <a href="${link}">${escapeHtml(page.canonical)}</a>.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
