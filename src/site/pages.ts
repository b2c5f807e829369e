import { FILES, type NavPage, type SiteContext } from './context.js';
import type { FeedChannel, FeedEntry } from './feeds.js';
import type { Job } from './output.js';
import { absoluteUrl } from './paths.js';
import { stripControls } from './html-text.js';
import { renderSitemap } from './sitemap.js';
import type { Theme } from './theme.js';
import { authorOf, commentsClosed, linkerFor, postInputs, postView, summaryInputs, summaryView, type Linker } from './views.js';
import type { ShownPost } from './visibility.js';

/** How many of the newest posts the feeds carry, in full. */
export const FEED_SIZE = 20;

/** What kind of page a template is rendering, so one list template can serve every archive. */
export type PageKind = 'home' | 'post' | 'page' | 'category' | 'tag' | 'year' | 'month' | 'archives' | '404';

/** The data every template gets besides its page's own. */
export function common(
  context: SiteContext,
  file: string,
  kind: PageKind,
  title: string,
  extra: { description?: string; noindex?: boolean } = {},
) {
  const link = linkerFor(context, file);
  const { settings } = context;
  return {
    link,
    site: {
      title: stripControls(settings.title),
      description: stripControls(settings.description),
      language: settings.language || 'en',
      url: context.base.href,
    },
    page: {
      kind,
      file,
      title,
      description: extra.description ?? stripControls(settings.description),
      canonical: kind === '404' ? '' : absoluteUrl(context.base, file),
      noindex: extra.noindex ?? false,
    },
    nav: { home: link(FILES.home), archives: link(FILES.archives), pages: navLinks(context.pageNav, link) },
    feeds: {
      rss: absoluteUrl(context.base, FILES.rss),
      atom: absoluteUrl(context.base, FILES.atom),
      json: absoluteUrl(context.base, FILES.json),
    },
  };
}

/** The site's pages as the navigation links them from one page. */
function navLinks(pages: readonly NavPage[], link: Linker): { title: string; link: string; children: unknown[] }[] {
  return pages.map((page) => ({ title: stripControls(page.title), link: link(page.file), children: navLinks(page.children, link) }));
}

/** Every HTML page of the site: posts, paginated lists, the archive index and the 404 page. */
export function pageJobs(context: SiteContext): Job[] {
  const jobs: Job[] = [];
  const { shown } = context;

  // Sticky posts lead the home page, as in WordPress; every other list is by date.
  const home = [...shown.filter((s) => s.post.sticky), ...shown.filter((s) => !s.post.sticky)];
  jobs.push(...listJobs(context, 'home', FILES.home, '', home));
  for (const term of context.categories)
    jobs.push(...listJobs(context, 'category', FILES.category(term), `Category: ${term.label}`, term.posts, term.description));
  for (const term of context.tags)
    jobs.push(...listJobs(context, 'tag', FILES.tag(term), `Tag: ${term.label}`, term.posts, term.description));
  for (const year of context.years) {
    jobs.push(...listJobs(context, 'year', FILES.year(year), `Archives: ${year.year}`, year.posts));
    for (const month of year.months) jobs.push(...listJobs(context, 'month', FILES.month(month), `Archives: ${month.name}`, month.posts));
  }

  shown.forEach((item, index) => {
    const file = context.fileOf.get(item.post.id)!;
    const older = shown[index + 1];
    const newer = shown[index - 1];
    const neighbour = (other: ShownPost | undefined) => (other ? [other.post.title, context.fileOf.get(other.post.id)] : null);
    jobs.push({
      file,
      owner: `post ${item.post.id} (slug ${item.post.slug})`,
      inputs: [
        'post',
        postInputs(context, item),
        neighbour(older),
        neighbour(newer),
        commentsClosed(context, item.post),
        context.likes(item.post.id),
      ],
      posts: [item.post.id],
      render: () => {
        const link = linkerFor(context, file);
        const post = postView(context, item, older, newer, link);
        const data = common(context, file, 'post', post.title, {
          description: context.excerpt(item.post.id).text,
          noindex: item.preview !== null,
        });
        return context.render('post', { ...data, post });
      },
    });
  });

  const archives = archivesInputs(context);
  jobs.push({
    file: FILES.archives,
    inputs: ['archives', archives],
    render: () => {
      const link = linkerFor(context, FILES.archives);
      const term = (kind: 'category' | 'tag') => (t: SiteContext['categories'][number]) => ({
        name: t.label,
        count: t.posts.length,
        link: link(kind === 'category' ? FILES.category(t) : FILES.tag(t)),
      });
      return context.render('archives', {
        ...common(context, FILES.archives, 'archives', 'Archives'),
        categories: context.categories.map(term('category')),
        tags: context.tags.map(term('tag')),
        years: context.years.map((y) => ({
          year: y.year,
          count: y.posts.length,
          link: link(FILES.year(y)),
          months: y.months.map((m) => ({ name: m.name, count: m.posts.length, link: link(FILES.month(m)) })),
        })),
      });
    },
  });

  jobs.push({
    file: FILES.notFound,
    inputs: ['404'],
    render: () => context.render('404', common(context, FILES.notFound, '404', 'Page not found', { noindex: true })),
  });
  return jobs;
}

/** The pages of one paginated list: postsPerPage posts each, newest first, at least one page. */
function listJobs(
  context: SiteContext,
  kind: PageKind,
  first: string,
  heading: string,
  posts: readonly ShownPost[],
  description = '',
): Job[] {
  const perPage = Math.max(1, Math.floor(context.settings.postsPerPage) || 10);
  const total = Math.max(1, Math.ceil(posts.length / perPage));
  const jobs: Job[] = [];
  for (let n = 1; n <= total; n++) {
    const file = FILES.page(first, n);
    const slice = posts.slice((n - 1) * perPage, n * perPage);
    const newer = n > 1 ? FILES.page(first, n - 1) : null;
    const older = n < total ? FILES.page(first, n + 1) : null;
    const title = kind === 'home' ? (n === 1 ? '' : `Page ${n}`) : n === 1 ? heading : `${heading} (page ${n})`;
    jobs.push({
      file,
      inputs: ['list', kind, heading, description, n, total, slice.map((item) => summaryInputs(context, item))],
      excerpts: slice.map((item) => item.post.id),
      render: async () => {
        const link: Linker = linkerFor(context, file);
        // A term's description is HTML from the taxonomy: the sanitiser is loaded for the pages that show one.
        const sanitiser = description === '' ? undefined : await import('./sanitize.js');
        return context.render('list', {
          ...common(context, file, kind, title, {
            noindex: slice.some((s) => s.preview !== null),
            ...(sanitiser ? { description: sanitiser.htmlToText(description) } : {}),
          }),
          heading: kind === 'home' ? stripControls(context.settings.title) : heading,
          description: sanitiser ? sanitiser.sanitizePostHtml(description) : '',
          posts: slice.map((item) => summaryView(context, item, link)),
          pagination: { current: n, total, newer: newer && link(newer), older: older && link(older) },
        });
      },
    });
  }
  return jobs;
}

function archivesInputs(context: SiteContext): unknown {
  return [
    context.categories.map((t) => [t.label, t.path, t.posts.length]),
    context.tags.map((t) => [t.label, t.path, t.posts.length]),
    context.years.map((y) => [y.year, y.posts.length, y.months.map((m) => [m.month, m.posts.length])]),
  ];
}

/** RSS, Atom and JSON feeds of the newest published posts; previews never reach a feed. */
export function feedJobs(context: SiteContext): Job[] {
  const posts = context.shown.filter((s) => s.preview === null).slice(0, FEED_SIZE);
  // Feeds carry no comments: an item is made from the post's fields and content alone.
  const inputs = [
    'feeds',
    posts.map((item) => {
      const { commentCounts: _counts, ...fields } = item.post;
      return [fields, context.content(item.post.id), item.date, context.fileOf.get(item.post.id)];
    }),
  ];
  let cache: { channel: FeedChannel; entries: FeedEntry[] } | undefined;
  // The three feeds share their entries; whichever renders first makes them.
  const feed = () => (cache ??= feedData(context, posts));
  const ids = posts.map((item) => item.post.id);
  // The feed library (and its XML writer) is loaded only by a build that writes a feed.
  const feeds = () => import('./feeds.js');
  return [
    { file: FILES.rss, inputs, posts: ids, render: async () => (await feeds()).renderRss(feed().channel, feed().entries) },
    { file: FILES.atom, inputs, posts: ids, render: async () => (await feeds()).renderAtom(feed().channel, feed().entries) },
    { file: FILES.json, inputs, posts: ids, render: async () => (await feeds()).renderJsonFeed(feed().channel, feed().entries) },
  ];
}

function feedData(context: SiteContext, posts: readonly ShownPost[]): { channel: FeedChannel; entries: FeedEntry[] } {
  const { settings, base } = context;
  const host = base.hostname;
  const entries = posts.map((item): FeedEntry => {
    const { post } = item;
    const url = absoluteUrl(base, context.fileOf.get(post.id)!);
    const body = context.body(post.id);
    const guid = typeof post.legacy?.['guid'] === 'string' && post.legacy['guid'] !== '' ? post.legacy['guid'] : null;
    const published = new Date(item.date);
    const updated = new Date(Math.max(Date.parse(post.updatedAt) || 0, published.getTime()));
    return {
      // A tag: URI (RFC 4151) from the creation date never changes when the permalink pattern does.
      id: stripControls(guid ?? `tag:${host},${post.createdAt.slice(0, 10)}:${post.id}`),
      title: stripControls(post.title).trim() || '(untitled)',
      url,
      published,
      updated,
      author: authorOf(context, post),
      categories: [...post.categories, ...post.tags].map((name) => stripControls(name).trim()).filter((name) => name !== ''),
      summaryHtml: absolutise(body.excerptHtml, url),
      summaryText: body.excerptText,
      contentHtml: absolutise(body.html, url),
    };
  });
  const newest = entries.reduce((max, e) => Math.max(max, e.updated.getTime()), 0);
  return {
    channel: {
      title: stripControls(settings.title),
      description: stripControls(settings.description),
      language: settings.language || 'en',
      author: stripControls(settings.author).trim(),
      home: base.href,
      rss: absoluteUrl(base, FILES.rss),
      atom: absoluteUrl(base, FILES.atom),
      json: absoluteUrl(base, FILES.json),
      updated: new Date(newest),
    },
    entries,
  };
}

/**
 * Links and media in a body resolved against the post's address, since a feed reader has no page
 * to resolve relative ones against. The HTML is the sanitiser's output: tags are real tags and
 * every attribute is double-quoted.
 */
function absolutise(html: string, pageUrl: string): string {
  return html.replace(/<[a-z][^>]*>/gi, (tag) =>
    tag.replace(/\s(href|src|poster|cite)="([^"]*)"/gi, (whole, name: string, value: string) => {
      try {
        const resolved = new URL(value.replace(/&amp;/g, '&'), pageUrl).href;
        return ` ${name}="${resolved.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
      } catch {
        return whole;
      }
    }),
  );
}

/** The sitemap of public pages: home, posts with their last change, category, tag and date archives. */
export function sitemapJob(context: SiteContext): Job {
  const posts = context.shown.filter((s) => s.preview === null);
  const files = [
    FILES.home,
    ...posts.map((s) => context.fileOf.get(s.post.id)!),
    ...context.pages.filter((s) => s.preview === null).map((s) => context.fileOf.get(s.post.id)!),
    FILES.archives,
    ...context.categories.filter((t) => t.posts.some((s) => s.preview === null)).map(FILES.category),
    ...context.tags.filter((t) => t.posts.some((s) => s.preview === null)).map(FILES.tag),
    ...context.years
      .filter((y) => y.posts.some((s) => s.preview === null))
      .flatMap((y) => [FILES.year(y), ...y.months.filter((m) => m.posts.some((s) => s.preview === null)).map(FILES.month)]),
  ];
  const lastmod = new Map(
    [...posts, ...context.pages.filter((s) => s.preview === null)].map((s) => [
      context.fileOf.get(s.post.id)!,
      new Date(Math.max(Date.parse(s.post.updatedAt) || 0, s.time)).toISOString(),
    ]),
  );
  const entries = files.map((file) => ({ url: absoluteUrl(context.base, file), lastmod: lastmod.get(file) }));
  return { file: FILES.sitemap, inputs: ['sitemap', entries], render: () => renderSitemap(entries) };
}

/** The theme's own files (styles, images), copied as they are. */
export function assetJobs(theme: Theme): Job[] {
  return [...theme.assets].map(([file, bytes]) => ({ file, inputs: ['asset'], render: () => bytes }));
}
