/**
 * Old addresses that keep working: for each imported post and page, its WordPress address (the item's
 * link, and /?p=<id> or /?page_id=<id>) leads to its new page. Three ways, for every kind of host: a
 * small HTML page at each old path (meta refresh and a canonical link), `_redirects` (the rules Netlify
 * and Cloudflare Pages read, 301s), and `nginx-redirects.map` for a `map` in nginx's configuration.
 * Any move of a page (an import, a changed permalink) is a redirect of this kind.
 */
import { isPage, type Post } from '../core/types.js';
import type { SiteContext } from './context.js';
import type { Job } from './output.js';
import { absoluteUrl, encodePath, prettyPath } from './paths.js';
import { escapeHtml } from './sanitize.js';

/** One old address and the output file it now leads to. */
export interface Redirect {
  /** The old path under the site, "/"-separated, without a leading "/" ("2019/05/hello/"), or a query ("?p=10"). */
  from: string;
  to: string;
}

export const REDIRECT_FILES = { netlify: '_redirects', nginx: 'nginx-redirects.map' };

/** The path of an old address below its old blog's path, made of plain names; null when it is not one a site can hold. */
export function oldPath(link: string, blogUrl: string | undefined): string | null {
  let url: URL;
  let base: URL | undefined;
  try {
    url = new URL(link);
    base = blogUrl ? new URL(blogUrl.endsWith('/') ? blogUrl : `${blogUrl}/`) : undefined;
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.search !== '' || url.hash !== '') return null;
  let path = url.pathname;
  if (base !== undefined && path.startsWith(base.pathname)) path = path.slice(base.pathname.length);
  else path = path.replace(/^\/+/, '');
  if (path === '' || path.length > 1024) return null;
  const folder = path.endsWith('/');
  const parts = path.split('/').filter((part) => part !== '');
  const names: string[] = [];
  for (const part of parts) {
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (name === '' || name.startsWith('.') || /[\\\p{Cc}\p{Cf}]/u.test(name) || Buffer.byteLength(name, 'utf8') > 255) return null;
    names.push(name);
  }
  if (names.length === 0 || names.length > 12) return null;
  return names.join('/') + (folder || !/\.[a-z0-9]{1,5}$/i.test(names.at(-1)!) ? '/' : '');
}

/** The old addresses of the shown posts and pages that came from WordPress. */
export function importedRedirects(context: SiteContext): Redirect[] {
  const redirects: Redirect[] = [];
  for (const item of [...context.shown, ...context.pages]) {
    if (item.preview !== null) continue;
    const { post } = item;
    const to = context.fileOf.get(post.id);
    const legacy = post.legacy ?? {};
    if (to === undefined || legacy['source'] !== 'wxr') continue;
    const blogUrl = typeof legacy['blogUrl'] === 'string' ? legacy['blogUrl'] : typeof legacy['site'] === 'string' ? legacy['site'] : undefined;
    const link = typeof legacy['link'] === 'string' ? oldPath(legacy['link'], blogUrl) : null;
    if (link !== null) redirects.push({ from: link, to });
    const wpId = legacy['wpPostId'];
    if (typeof wpId === 'string' && /^\d{1,12}$/.test(wpId)) redirects.push({ from: `?${queryOf(post)}=${wpId}`, to });
  }
  return redirects;
}

function queryOf(post: Post): 'p' | 'page_id' {
  return isPage(post) ? 'page_id' : 'p';
}

/**
 * The redirect pages and rule files. An old path that is a page of the new site (the same permalink,
 * or another page's) is that page, never overwritten; one that would put a folder where the site has
 * a file is left out too. The first redirect of a path wins.
 */
export function redirectJobs(context: SiteContext, redirects: readonly Redirect[], siteFiles: ReadonlySet<string>): Job[] {
  const jobs: Job[] = [];
  const rules: Redirect[] = [];
  const seen = new Set<string>();
  for (const redirect of redirects) {
    if (seen.has(redirect.from)) continue;
    seen.add(redirect.from);
    if (redirect.from.startsWith('?')) {
      rules.push(redirect);
      continue;
    }
    const file = redirect.from.endsWith('/') ? `${redirect.from}index.html` : redirect.from;
    if (file === redirect.to || siteFiles.has(file)) continue;
    const parts = file.split('/');
    if (parts.slice(0, -1).some((_, i) => siteFiles.has(parts.slice(0, i + 1).join('/')))) continue;
    rules.push(redirect);
    const target = absoluteUrl(context.base, redirect.to);
    jobs.push({ file, owner: `the old address /${redirect.from}`, inputs: ['redirect', target, context.settings.language], render: () => redirectPage(target, context.settings.language) });
  }
  if (rules.length === 0) return jobs;
  const path = (to: string) => context.base.pathname + encodePath(prettyPath(to));
  const from = (redirect: Redirect) => (redirect.from.startsWith('?') ? context.base.pathname + redirect.from : context.base.pathname + encodePath(redirect.from));
  const netlify = rules.map((r) => (r.from.startsWith('?') ? `${context.base.pathname} ${r.from.slice(1)} ${path(r.to)} 301!` : `${from(r)} ${path(r.to)} 301!`));
  const nginx = rules.map((r) => `${nginxString(from(r))} ${nginxString(path(r.to))};`);
  const inputs = ['redirect-rules', rules, context.base.pathname];
  jobs.push({
    file: REDIRECT_FILES.netlify,
    inputs,
    render: () => `# Old WordPress addresses and their new pages (Netlify, Cloudflare Pages). Written by termpress build.\n${netlify.join('\n')}\n`,
  });
  jobs.push({
    file: REDIRECT_FILES.nginx,
    inputs,
    render: () =>
      '# Old WordPress addresses and their new pages, written by termpress build. In nginx, inside http {}:\n' +
      '#   map $request_uri $termpress_redirect { default ""; include /path/to/nginx-redirects.map; }\n' +
      '# and inside the site\'s server {}:\n#   if ($termpress_redirect) { return 301 $termpress_redirect; }\n' +
      `${nginx.join('\n')}\n`,
  });
  return jobs;
}

/** A string nginx reads as itself: quoted, with quotes, backslashes and variables escaped. */
function nginxString(text: string): string {
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** The page at an old address: it sends the reader (and search engines, by its canonical link) to the new one. */
function redirectPage(target: string, language: string): string {
  const href = escapeHtml(target);
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(language || 'en')}">\n<head>\n<meta charset="utf-8">\n<title>Moved</title>\n` +
    `<link rel="canonical" href="${href}">\n<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url=${href}">\n` +
    `</head>\n<body>\n<p>This page has moved to <a href="${href}">${href}</a>.</p>\n</body>\n</html>\n`
  );
}

