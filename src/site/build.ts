import { join, resolve } from 'node:path';
import { RefusedError, UsageError } from '../core/errors.js';
import { blogFolder } from '../store/confined.js';
import { isPage, type BlogSettings, type Comment, type Post } from '../core/types.js';
import type { Excerpt, SiteContext } from './context.js';
import { createDateFormatter } from './dates.js';
import { sha256 } from './hash.js';
import { excerptCache, EXCERPT_CACHE, type CachedExcerpt } from './excerpt-cache.js';
import type { BuildStamp } from './manifest.js';
import type { RenderedBody } from './markdown.js';
import { writeSite, type Job } from './output.js';
import { assetJobs, feedJobs, pageJobs, sitemapJob } from './pages.js';
import { shownPages, staticPageJobs } from './static-pages.js';
import { MEDIA_FOLDER, mediaJobs } from './media.js';
import { importedRedirects, permalinkRedirects, redirectJobs } from './redirects.js';
import { postFileNamer, siteBase } from './paths.js';
import { groupByDate, groupCategories, groupTerms, withTagDetails, type Term } from './taxonomy.js';
import { CategoryTree, type Taxonomy } from '../core/taxonomy.js';
import type { MediaRecord } from '../core/media.js';
import { createRenderer, loadTheme, type ThemeCode } from './theme.js';
import { DEFAULT_THEME_DIR, isWithin, refuseDangerousOutDir, RENDERER_VERSION } from './stamp.js';
import { MIN_POSTS_FOR_THREADS, renderPool, type RenderedPost } from './render-pool.js';
import { plainCommentHtml } from './html-text.js';
import { commentKey, contentDigest, postCache, POST_CACHE, type CachedPost } from './post-cache.js';
import { memorySource, type PostSource } from './source.js';
import { selectShownPosts } from './visibility.js';

/** What `buildSite` is asked to do. */
export interface BuildOptions {
  settings: BlogSettings;
  /**
   * Every post of the blog, in any status (the build decides what is shown): in full with its comments,
   * or as a source that reads in full only the posts of the pages that are rendered.
   */
  posts: readonly Post[] | PostSource;
  /** The blog's private folder: rendered excerpts are kept there between builds from a PostSource. */
  cacheDir?: string | undefined;
  /** What the whole site is made from (see stamp.ts), kept in the manifest for the next build. */
  stamp?: Pick<BuildStamp, 'key' | 'until'> | undefined;
  /** The blog folder; its `templates/theme/` overrides files of the default theme. */
  blogDir: string;
  outDir: string;
  /** The build's clock (TERMPRESS_NOW or the real one): scheduled posts due by then are shown. */
  now: Date;
  /** Also show drafts, pending and future posts, marked as such, for preview. */
  drafts?: boolean;
  /** The category tree and tags' descriptions (none: every category is top-level). */
  taxonomy?: Taxonomy | undefined;
  /** The blog's media: copied into the site's media/ folder, and the images of galleries. */
  media?: readonly MediaRecord[] | undefined;
  /** How many readers like each post (none when absent). */
  likes?: ReadonlyMap<string, number> | undefined;
  /** Render and write every file afresh, ignoring what the last build left. */
  clean?: boolean;
  onProgress?: (done: number, total: number) => void;
  /**
   * Whether the blog's own theme templates, which are code, may run: `true` for whatever they are now,
   * or the digest of the ones the user trusted (ThemeCode.digest). Without it they are refused.
   */
  trustTheme?: ThemeTrust;
}

/**
 * Whether the blog's own theme may run (see BuildOptions.trustTheme), or how to find out: asked only when
 * the blog has templates of its own, so that a build without them never opens the user's settings.
 */
export type ThemeTrust = true | string | undefined | (() => Promise<true | string | undefined>);

/** What a build did. */
export interface BuildReport {
  outDir: string;
  postsShown: number;
  /** Files (pages, feeds, assets) written because their bytes changed. */
  pagesWritten: number;
  /** Files left as they were: unchanged inputs, or re-rendered to the same bytes. */
  pagesUnchanged: number;
  /** Files rendered this time (the rest were known unchanged from their inputs). */
  pagesRendered: number;
  /** Files of the last build that no page makes any more, removed. */
  filesRemoved: number;
  /** Output paths, "/"-separated and sorted, of the files written and removed. */
  written: string[];
  removed: string[];
  /** Posts whose address changed with the permalink pattern: each old address redirects to the new. */
  postsMoved: number;
  /** Redirect pages from old addresses (see postsMoved), and how many of them this build wrote. */
  redirects: number;
  redirectsWritten: number;
  /** The blog's own theme templates that ran, null when the package's theme was used as it is. */
  themeCode: ThemeCode | null;
}

/** Builds the static website with its feeds and sitemap from the blog's posts into outDir, rewriting only what changed. */
export async function buildSite(options: BuildOptions): Promise<BuildReport> {
  const { settings, now } = options;
  const drafts = options.drafts ?? false;
  const outDir = resolve(options.outDir);
  const blogDir = resolve(options.blogDir);
  refuseDangerousOutDir(blogDir, outDir);
  const blogFiles = blogFolder(blogDir);
  // An output folder inside the blog (public/, a preview) is reached through real folders only: a
  // committed `public -> ~` would otherwise have the build write and remove files in the home folder.
  if (isWithin(blogDir, outDir)) await blogFiles.folder(outDir, true);

  const base = siteBase(settings.url);
  const dates = createDateFormatter(settings.timezone, settings.language);
  const fileName = postFileNamer(settings.permalink, dates);
  const theme = await loadTheme(DEFAULT_THEME_DIR, join(blogDir, 'templates', 'theme'), blogFiles);
  if (theme.code)
    refuseUntrustedTheme(theme.code, typeof options.trustTheme === 'function' ? await options.trustTheme() : options.trustTheme);
  const render = createRenderer(theme);

  const source = isPostList(options.posts) ? memorySource(options.posts) : options.posts;
  const shown = selectShownPosts(
    source.summaries.filter((p) => !isPage(p)),
    now,
    drafts,
  );
  const fileOf = new Map<string, string>();
  for (const item of shown) {
    const { post } = item;
    fileOf.set(post.id, fileName(post, item.date));
  }
  const pages = shownPages(source.summaries, now, drafts);
  for (const [id, file] of pages.files) fileOf.set(id, file);
  const categoryGroups = groupCategories(shown, new CategoryTree(options.taxonomy?.categories ?? []));
  const categories = categoryGroups.terms;
  const tags = withTagDetails(
    groupTerms(shown, (post) => post.tags),
    options.taxonomy?.tags ?? [],
  );
  // Terms are grouped by their lower-cased name, so that is the key every spelling finds them by.
  const byName = (terms: Term[]) => new Map(terms.map((term) => [term.name.trim().toLowerCase(), term]));

  const mediaRecords = options.media ?? [];
  // Anything that changes every page: the program's rendering, the theme, the settings, preview mode.
  // The navigation (the site's pages) is on every page too.
  // So are the media: which addresses have local copies, and the images of galleries.
  const mediaKey = sha256(
    JSON.stringify(mediaRecords.map((m) => [m.id, m.file, m.url, m.caption, m.alt, m.legacy?.['wpPostId'], m.legacy?.['wpParentId']])),
  );
  const globalKey = sha256(JSON.stringify([RENDERER_VERSION, theme.hash, settings, drafts, pages.nav, mediaKey]));
  const renderKey = sha256(JSON.stringify([RENDERER_VERSION, mediaKey, base.href]));
  const { cacheDir } = options;
  const excerptStore = cacheDir === undefined ? undefined : excerptCache(blogFiles, join(cacheDir, EXCERPT_CACHE), renderKey);
  // Written while the pages are: one folder of a file per post, looked at once.
  const postStore =
    cacheDir === undefined ? undefined : postCache(blogFolder(blogDir, { remember: true }), join(cacheDir, POST_CACHE), renderKey);
  let keeping: Promise<void> = Promise.resolve();
  const known = options.clean || excerptStore === undefined ? new Map<string, CachedExcerpt>() : await excerptStore.read();

  // Bodies, comments and excerpts are read and rendered only for the pages that are (see prepare below).
  const posts = new Map<string, Post>();
  const bodies = new Map<string, RenderedBody>();
  const excerpts = new Map<string, Excerpt>();
  const comments = new WeakMap<Comment, string>();
  const needed = <T>(map: Map<string, T>, id: string, what: string): T => {
    const value = map.get(id);
    if (value === undefined) throw new Error(`The ${what} of post ${id} was not read for the page that shows it.`);
    return value;
  };

  // What each shown post's body is made from, for the pages that show it without its comments: kept with
  // its excerpt while the post's file is the same, else read now (a post whose file changed is rendered anyway).
  const listed = [...shown, ...pages.shown].map((item) => item.post.id);
  const digests = new Map<string, string>();
  const unread: string[] = [];
  for (const id of listed) {
    const hit = known.get(id);
    if (hit !== undefined && hit.version === source.version(id)) digests.set(id, hit.digest);
    else unread.push(id);
  }
  const pool = renderPool({ media: mediaRecords, base: base.href });
  // Posts whose files changed since the last build are mostly rendered again (a clean build renders all):
  // the threads load the renderer while this one reads them. Without a cache every post is unread.
  if (options.clean || (excerptStore !== undefined && unread.length >= MIN_POSTS_FOR_THREADS)) pool.start();
  try {
    if (unread.length > 0) {
      for (const post of await source.read(unread)) {
        posts.set(post.id, post);
        digests.set(post.id, contentDigest(post));
      }
    }

    const context: SiteContext = {
      settings,
      base,
      now,
      dates,
      render,
      shown,
      pages: pages.shown,
      pageNav: pages.nav,
      fileOf,
      categories,
      tags,
      years: groupByDate(shown, dates),
      categoryByName: categoryGroups.byEntry,
      tagByName: byName(tags),
      full: (id) => needed(posts, id, 'content'),
      body: (id) => needed(bodies, id, 'body'),
      excerpt: (id) => needed(excerpts, id, 'excerpt'),
      commentHtml: (comment) => {
        const html = comments.get(comment);
        if (html === undefined) throw new Error(`The comment ${comment.id} was not rendered for the page that shows it.`);
        return html;
      },
      likes: (postId) => options.likes?.get(postId) ?? 0,
      version: (id) => source.version(id),
      content: (id) => needed(digests, id, 'content digest'),
    };

    const jobs: Job[] = [
      ...pageJobs(context),
      ...staticPageJobs(context),
      ...feedJobs(context),
      sitemapJob(context),
      ...assetJobs(theme),
      ...(await mediaJobs(mediaRecords, blogFiles, join(blogDir, MEDIA_FOLDER))),
    ];
    refuseCollisions(jobs);
    const redirects = redirectJobs({
      redirects: [
        ...permalinkRedirects({ oldPermalinks: settings.oldPermalinks ?? [], shown, fileOf, dates }),
        ...importedRedirects([...shown, ...pages.shown], fileOf),
      ],
      taken: new Set(jobs.map((job) => job.file)),
      base,
      language: settings.language,
    });
    jobs.push(...redirects.pages.map((page) => page.job), ...redirects.rules);
    const moves = redirects.pages.filter((page) => page.redirect.reason === 'permalink').map((page) => page.job);

    // Posts whose bodies are being rendered while pages are written: a page waits for the posts it shows.
    const pending = new Map<string, Promise<void>>();
    const ready = (job: Job): Promise<void> | undefined => {
      let waits: Promise<void>[] | undefined;
      for (const id of [...(job.posts ?? []), ...(job.excerpts ?? [])]) {
        const wait = pending.get(id);
        if (wait !== undefined) (waits ??= []).push(wait);
      }
      return waits && Promise.all(waits).then(() => undefined);
    };

    const prepare = async (toRender: readonly Job[]) => {
      const full = new Set<string>();
      for (const job of toRender) for (const id of job.posts ?? []) full.add(id);
      for (const job of toRender) {
        for (const id of job.excerpts ?? []) {
          if (full.has(id) || excerpts.has(id)) continue;
          const hit = known.get(id);
          if (hit !== undefined && hit.digest === digests.get(id)) excerpts.set(id, hit);
          else full.add(id);
        }
      }
      const unreadNow = [...full].filter((id) => !posts.has(id));
      for (const post of await source.read(unreadNow)) posts.set(post.id, post);
      const wanted = [...full].flatMap((id) => posts.get(id) ?? []);
      for (const post of wanted) if (!digests.has(post.id)) digests.set(post.id, contentDigest(post));
      const { rendering } = await renderBodies(wanted);
      // Kept once every body is rendered, while the last pages are written; awaited after them (below).
      keeping = rendering.then(async (changed) => {
        if (excerptStore !== undefined) {
          await excerptStore.write(
            listed.map((id) => {
              const digest = digests.get(id) ?? '';
              const kept = known.get(id);
              return [id, source.version(id), digest, excerpts.get(id) ?? (kept?.digest === digest ? kept : undefined)] as const;
            }),
          );
        }
        if (postStore !== undefined) await postStore.write(changed);
      });
      // A failure meanwhile is not left unhandled: the pages waiting for the bodies fail with it.
      keeping.catch(() => undefined);
    };

    /**
     * The bodies and approved comments of these posts: a body kept from an earlier build of the same
     * content is used as it is, and so is each comment's HTML; only what is new is rendered, and the
     * renderer and the sanitiser are loaded only then. Returns once the kept ones are in place, with the
     * rendering of the others under way (see pending): `rendering` gives the posts to keep anew once it is done.
     */
    const renderBodies = async (wanted: readonly Post[]): Promise<{ rendering: Promise<(readonly [string, CachedPost])[]> }> => {
      const kept =
        options.clean || postStore === undefined ? new Map<string, CachedPost>() : await postStore.read(wanted.map((post) => post.id));
      const stale = wanted.filter((post) => kept.get(post.id)?.digest !== digests.get(post.id));
      const changed: (readonly [string, CachedPost])[] = [];
      const markup: { comment: Comment; kept: Map<string, string> }[] = [];
      const finish = (post: Post, made: RenderedPost | undefined) => {
        const cached = kept.get(post.id);
        const body = made?.body ?? cached!.body;
        bodies.set(post.id, body);
        excerpts.set(post.id, { html: body.excerptHtml, text: body.excerptText });
        const html = new Map<string, string>();
        post.comments.forEach((comment, n) => {
          if (comment.status !== 'approved' || comment.type !== 'comment') return;
          const key = commentKey(comment.body);
          const ready = made ? (made.comments[n] ?? '') : (cached?.comments.get(key) ?? html.get(key) ?? plainCommentHtml(comment.body));
          if (ready === null) {
            markup.push({ comment, kept: html });
            return;
          }
          comments.set(comment, ready);
          html.set(key, ready);
        });
        const entry = { digest: digests.get(post.id)!, body, comments: html };
        // A kept post whose comments change is kept again once its new comments are sanitised (below).
        if (made !== undefined || cached === undefined || !sameComments(cached.comments, html) || markup.some((item) => item.kept === html))
          changed.push([post.id, entry]);
      };
      const staleIds = new Set(stale.map((post) => post.id));
      for (const post of wanted) if (!staleIds.has(post.id)) finish(post, undefined);
      if (markup.length > 0) {
        const { sanitizeCommentMarkup } = await import('./sanitize.js');
        for (const { comment, kept: html } of markup) {
          const made = sanitizeCommentMarkup(comment.body);
          comments.set(comment, made);
          html.set(commentKey(comment.body), made);
        }
      }
      if (stale.length === 0) return { rendering: Promise.resolve(changed) };

      const waiters = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
      for (const post of stale) {
        const wait = new Promise<void>((resolve, reject) => waiters.set(post.id, { resolve, reject }));
        // Rejected with the rendering's failure; handled by the page that waits for it, if any does.
        wait.catch(() => undefined);
        pending.set(post.id, wait);
      }
      const rendering = pool
        .render(stale, (k, made) => {
          const post = stale[k]!;
          finish(post, made);
          pending.delete(post.id);
          waiters.get(post.id)!.resolve();
        })
        .then(
          () => changed,
          (error: unknown) => {
            for (const waiter of waiters.values()) waiter.reject(error);
            throw error;
          },
        );
      return { rendering };
    };

    const postsMoved = new Set(redirects.pages.filter((page) => page.redirect.reason === 'permalink').map((page) => page.redirect.post.id))
      .size;
    const stamp = options.stamp && {
      ...options.stamp,
      postsShown: shown.length,
      postsMoved,
      redirects: moves.length,
      themeCode: theme.code,
    };
    // The pages of one post first, in the order their bodies are rendered: they are written while the rest are.
    const ordered = [...jobs.filter((job) => job.posts?.length === 1), ...jobs.filter((job) => job.posts?.length !== 1)];
    const result = await writeSite(outDir, globalKey, ordered, {
      clean: options.clean ?? false,
      onProgress: options.onProgress,
      prepare,
      ready,
      stamp,
    });
    await keeping;
    const written = new Set(result.written);
    return {
      outDir,
      postsShown: shown.length,
      pagesWritten: result.written.length,
      pagesUnchanged: result.unchanged.length,
      pagesRendered: result.rendered,
      filesRemoved: result.removed.length,
      postsMoved,
      redirects: moves.length,
      redirectsWritten: moves.filter((job) => written.has(job.file)).length,
      written: result.written,
      removed: result.removed,
      themeCode: theme.code,
    };
  } finally {
    // Whatever failed, no render thread is left running (it would keep the process alive).
    await pool.close();
  }
}

/** A blog's own templates run only when trusted as they are: a clone's theme is someone else's code. */
function refuseUntrustedTheme(code: ThemeCode, trust: true | string | undefined): void {
  if (trust === true || trust === code.digest) return;
  const files = code.files.map((file) => `templates/theme/${file}`);
  const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
  throw new RefusedError(
    `The blog's own theme templates (${shown}) are JavaScript that runs when the site is built, and ` +
      `${trust === undefined ? 'you have not trusted them on this machine' : 'they changed since you trusted them'}: ` +
      `read them, then build with --trust-theme (or remove them to use the default theme).`,
  );
}

/** Two pages at one path would silently overwrite each other; name both so the user can fix it. */
function refuseCollisions(jobs: readonly Job[]): void {
  const owner = new Map<string, string>();
  for (const job of jobs) {
    const what = job.owner ?? 'a site page';
    const previous = owner.get(job.file);
    if (previous !== undefined) {
      throw new UsageError(
        `${previous} and ${what} would both be written to ${job.file}; change a slug or add :id to the permalink (termpress config set permalink /:year/:month/:day/:id/).`,
      );
    }
    owner.set(job.file, what);
  }
}

/** Whether two posts' kept comments are the same. */
function sameComments(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, html] of b) if (a.get(key) !== html) return false;
  return true;
}

function isPostList(posts: readonly Post[] | PostSource): posts is readonly Post[] {
  return Array.isArray(posts);
}
