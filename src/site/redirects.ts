/**
 * Old addresses that keep working: the addresses posts had under the blog's earlier permalink patterns,
 * and the WordPress addresses of imported posts and pages (the item's link, and /?p=<id> or
 * /?page_id=<id>), each leading to its page now, so that no link, bookmark or search result breaks.
 * Three ways, for every kind of host: a page at each old path that sends the browser on (meta refresh)
 * and names the new one as canonical; `_redirects`, the 301 rules Netlify and Cloudflare Pages read; and
 * `nginx-redirects.map`, for a `map` in nginx's configuration. Only the rules can carry a query (?p=).
 */
import { isPage, type OldPermalink, type Post } from '../core/types.js';
import type { DateFormatter } from './dates.js';
import type { Job } from './output.js';
import { absoluteUrl, encodePath, postFileNamer, prettyPath, relativeLink } from './paths.js';
import { escapeHtml, stripControls } from './html-text.js';
import type { ShownPost } from './visibility.js';

/** One old address and the output file it now leads to. */
export interface Redirect {
  /** An output file ("2019/05/hello/index.html"), or a query at the site's root ("?p=10"). */
  from: string;
  to: string;
  post: Pick<Post, 'id' | 'slug' | 'title' | 'type'>;
  /** Why the address moved: a change of permalink pattern, or a move from WordPress. */
  reason: 'permalink' | 'import';
}

/** The files of the redirect rules, beside the site's pages. */
export const REDIRECT_FILES = { netlify: '_redirects', nginx: 'nginx-redirects.map' };

/**
 * The address each shown post had under each old pattern (it was dated before that pattern was
 * replaced), where that differs from its address now; a pattern that cannot be read is skipped.
 */
export function permalinkRedirects(options: {
  oldPermalinks: readonly OldPermalink[];
  shown: readonly ShownPost[];
  fileOf: ReadonlyMap<string, string>;
  dates: DateFormatter;
}): Redirect[] {
  const redirects: Redirect[] = [];
  for (const old of options.oldPermalinks) {
    let fileName: ReturnType<typeof postFileNamer>;
    try {
      fileName = postFileNamer(old.permalink, options.dates);
    } catch {
      continue;
    }
    const until = Date.parse(old.until);
    for (const item of options.shown) {
      if (item.preview !== null || !(item.time <= until)) continue;
      const from = fileName(item.post, item.date);
      const to = options.fileOf.get(item.post.id);
      if (to !== undefined && from !== to) redirects.push({ from, to, post: item.post, reason: 'permalink' });
    }
  }
  return redirects;
}

/**
 * The output file of an old address below its old blog's path, made of plain names, or null when it is
 * not one a site can hold (a query, a hidden or climbing name, a control character).
 */
export function oldAddressFile(link: string, blogUrl: string | undefined): string | null {
  let url: URL;
  let base: URL | undefined;
  try {
    url = new URL(link);
    base = blogUrl ? new URL(blogUrl.endsWith('/') ? blogUrl : `${blogUrl}/`) : undefined;
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') return null;
  let path = url.pathname;
  path = base !== undefined && path.startsWith(base.pathname) ? path.slice(base.pathname.length) : path.replace(/^\/+/, '');
  if (path === '' || path.length > 1024) return null;
  const names: string[] = [];
  for (const part of path.split('/').filter((p) => p !== '')) {
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (name === '' || name.startsWith('.') || /[/\\\p{Cc}\p{Cf}]/u.test(name) || Buffer.byteLength(name, 'utf8') > 255) return null;
    names.push(name);
  }
  if (names.length === 0 || names.length > 12) return null;
  // "/2019/05/hello/" and "/hello" are folders served by their index; "/old.html" is a file.
  const file = !path.endsWith('/') && /\.html?$/i.test(names.at(-1)!);
  return file ? names.join('/') : `${names.join('/')}/index.html`;
}

/** The old addresses of the shown posts and pages that came from WordPress. */
export function importedRedirects(items: readonly ShownPost[], fileOf: ReadonlyMap<string, string>): Redirect[] {
  const redirects: Redirect[] = [];
  for (const item of items) {
    const { post } = item;
    const to = fileOf.get(post.id);
    const legacy = post.legacy ?? {};
    if (item.preview !== null || to === undefined || legacy['source'] !== 'wxr') continue;
    const blogUrl =
      typeof legacy['blogUrl'] === 'string' ? legacy['blogUrl'] : typeof legacy['site'] === 'string' ? legacy['site'] : undefined;
    const from = typeof legacy['link'] === 'string' ? oldAddressFile(legacy['link'], blogUrl) : null;
    if (from !== null && from !== to) redirects.push({ from, to, post, reason: 'import' });
    const wpId = legacy['wpPostId'];
    if (typeof wpId === 'string' && /^\d{1,12}$/.test(wpId))
      redirects.push({ from: `?${isPage(post) ? 'page_id' : 'p'}=${wpId}`, to, post, reason: 'import' });
  }
  return redirects;
}

/** The redirect pages and rules of a build. */
export interface Redirects {
  /** One page per old path, with the redirect it serves. */
  pages: { job: Job; redirect: Redirect }[];
  /** `_redirects` and `nginx-redirects.map`, when there is any redirect. */
  rules: Job[];
}

/**
 * The pages and rules for these redirects. An old address that a page of this build uses (`taken`),
 * or that would put a folder where the site has a file, or that an earlier redirect took first, is
 * left alone.
 */
export function redirectJobs(options: {
  redirects: readonly Redirect[];
  taken: ReadonlySet<string>;
  base: URL;
  language: string;
}): Redirects {
  const { taken, base, language } = options;
  const pages: Redirects['pages'] = [];
  const kept: Redirect[] = [];
  const claimed = new Set<string>();
  for (const redirect of options.redirects) {
    const { from, to } = redirect;
    if (claimed.has(from)) continue;
    if (from.startsWith('?')) {
      claimed.add(from);
      kept.push(redirect);
      continue;
    }
    const parts = from.split('/');
    if (taken.has(from) || parts.slice(0, -1).some((_, i) => taken.has(parts.slice(0, i + 1).join('/')))) continue;
    claimed.add(from);
    kept.push(redirect);
    const title = stripControls(redirect.post.title);
    const noun = isPage(redirect.post) ? 'page' : 'post';
    pages.push({
      redirect,
      job: {
        file: from,
        inputs: ['redirect', from, to, title, base.href, language],
        owner: `a redirect to ${noun} ${redirect.post.id} (slug ${redirect.post.slug})`,
        render: () => redirectPage({ title, noun, link: relativeLink(from, to), canonical: absoluteUrl(base, to), language }),
      },
    });
  }
  return { pages, rules: kept.length === 0 ? [] : ruleJobs(kept, base) };
}

/** `_redirects` and the nginx map, with every redirect kept: the hosts that read them send a 301. */
function ruleJobs(redirects: readonly Redirect[], base: URL): Job[] {
  const root = base.pathname;
  const path = (file: string) => root + encodePath(prettyPath(file));
  const netlify = redirects.map((r) =>
    r.from.startsWith('?') ? `${root} ${r.from.slice(1)} ${path(r.to)} 301!` : `${path(r.from)} ${path(r.to)} 301!`,
  );
  const nginx = redirects.map((r) => `${nginxString(r.from.startsWith('?') ? root + r.from : path(r.from))} ${nginxString(path(r.to))};`);
  const inputs = ['redirect-rules', netlify];
  return [
    {
      file: REDIRECT_FILES.netlify,
      inputs,
      render: () =>
        `# Old addresses and where they moved (Netlify, Cloudflare Pages), written by termpress build.\n${netlify.join('\n')}\n`,
    },
    {
      file: REDIRECT_FILES.nginx,
      inputs,
      render: () =>
        '# Old addresses and where they moved, written by termpress build. In nginx, inside http {}:\n' +
        '#   map $request_uri $termpress_redirect { default ""; include /path/to/nginx-redirects.map; }\n' +
        "# and inside the site's server {}:\n#   if ($termpress_redirect) { return 301 $termpress_redirect; }\n" +
        `${nginx.join('\n')}\n`,
    },
  ];
}

/** A string nginx reads as itself: quoted, with quotes, backslashes and variables escaped. */
function nginxString(text: string): string {
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

function redirectPage(page: { title: string; noun: string; link: string; canonical: string; language: string }): string {
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
    `<p>This ${page.noun} has moved to <a href="${link}">${escapeHtml(page.canonical)}</a>.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
