import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RefusedError, UsageError } from '../core/errors.js';
import { blogFolder } from '../store/confined.js';
import { isPage, type BlogSettings, type Post } from '../core/types.js';
import type { SiteContext } from './context.js';
import { createDateFormatter } from './dates.js';
import { sha256 } from './hash.js';
import { createBodyRenderer, type RenderedBody } from './markdown.js';
import { writeSite, type Job } from './output.js';
import { assetJobs, feedJobs, pageJobs, sitemapJob } from './pages.js';
import { shownPages, staticPageJobs } from './static-pages.js';
import { MEDIA_FOLDER, mediaJobs, siteMedia } from './media.js';
import { importedRedirects, permalinkRedirects, redirectJobs } from './redirects.js';
import { postFileNamer, siteBase } from './paths.js';
import { groupByDate, groupCategories, groupTerms, withTagDetails, type Term } from './taxonomy.js';
import { CategoryTree, type Taxonomy } from '../core/taxonomy.js';
import type { MediaRecord } from '../core/media.js';
import { createRenderer, DEFAULT_THEME_DIR, loadTheme, type ThemeCode } from './theme.js';
import { selectShownPosts } from './visibility.js';

/** What `buildSite` is asked to do. */
export interface BuildOptions {
  settings: BlogSettings;
  /** Every post of the blog with its comments, in any status: the build decides what is shown. */
  posts: Post[];
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
  trustTheme?: true | string | undefined;
}

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

/** Bumped whenever the build's output changes for the same blog and theme, so that old pages are rebuilt. */
const RENDERER_VERSION = 'termpress-site-2';

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
  if (theme.code) refuseUntrustedTheme(theme.code, options.trustTheme);
  const render = createRenderer(theme);

  const shown = selectShownPosts(options.posts.filter((p) => !isPage(p)), now, drafts);
  const fileOf = new Map<string, string>();
  for (const item of shown) {
    const { post } = item;
    fileOf.set(post.id, fileName(post, item.date));
  }
  const pages = shownPages(options.posts, now, drafts);
  for (const [id, file] of pages.files) fileOf.set(id, file);
  const categoryGroups = groupCategories(shown, new CategoryTree(options.taxonomy?.categories ?? []));
  const categories = categoryGroups.terms;
  const tags = withTagDetails(groupTerms(shown, (post) => post.tags), options.taxonomy?.tags ?? []);
  // Terms are grouped by their lower-cased name, so that is the key every spelling finds them by.
  const byName = (terms: Term[]) => new Map(terms.map((term) => [term.name.trim().toLowerCase(), term]));

  const mediaRecords = options.media ?? [];
  const renderBody = createBodyRenderer(siteMedia(mediaRecords, base));
  const bodies = new Map<string, RenderedBody>();
  const hashes = new Map<string, string>();
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
    body: (post) => {
      let body = bodies.get(post.id);
      if (!body) bodies.set(post.id, (body = renderBody(post)));
      return body;
    },
    likes: (postId) => options.likes?.get(postId) ?? 0,
    postHash: (post) => {
      let hash = hashes.get(post.id);
      if (!hash) hashes.set(post.id, (hash = sha256(JSON.stringify(post))));
      return hash;
    },
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

  // Anything that changes every page: the program's rendering, the theme, the settings, preview mode.
  // The navigation (the site's pages) is on every page too.
  // So are the media: which addresses have local copies, and the images of galleries.
  const mediaKey = sha256(JSON.stringify(mediaRecords.map((m) => [m.id, m.file, m.url, m.caption, m.alt, m.legacy?.['wpPostId'], m.legacy?.['wpParentId']])));
  const globalKey = sha256(JSON.stringify([RENDERER_VERSION, theme.hash, settings, drafts, pages.nav, mediaKey]));
  const result = await writeSite(outDir, globalKey, jobs, { clean: options.clean ?? false, onProgress: options.onProgress });
  const written = new Set(result.written);
  return {
    outDir,
    postsShown: shown.length,
    pagesWritten: result.written.length,
    pagesUnchanged: result.unchanged.length,
    pagesRendered: result.rendered,
    filesRemoved: result.removed.length,
    postsMoved: new Set(redirects.pages.filter((page) => page.redirect.reason === 'permalink').map((page) => page.redirect.post.id)).size,
    redirects: moves.length,
    redirectsWritten: moves.filter((job) => written.has(job.file)).length,
    written: result.written,
    removed: result.removed,
    themeCode: theme.code,
  };
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

/** Whether path is folder or lies inside it, by their names. */
function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Building into the blog folder itself (or a folder holding it) would mix pages with posts. */
function refuseDangerousOutDir(blogDir: string, outDir: string): void {
  if (isWithin(outDir, blogDir)) {
    throw new UsageError(`The output folder ${outDir} holds the blog folder ${blogDir}; choose another with --out.`);
  }
  for (const reserved of ['posts', '.termpress', 'templates', MEDIA_FOLDER]) {
    if (isWithin(join(blogDir, reserved), outDir)) {
      throw new UsageError(`The output folder ${outDir} is inside the blog's ${reserved}/ folder; choose another with --out.`);
    }
  }
}
