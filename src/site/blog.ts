/** The blog's site: its posts read through the Blog API, then built. */
import { resolve } from 'node:path';
import type { Blog } from '../api/blog.js';
import { readPostCatalog } from '../api/transfer.js';
import type { BuildOptions, BuildReport } from './build.js';
import { siteStamp, unchangedSite } from './stamp.js';

/**
 * Builds the blog's site into outDir (default: the blog's public/ folder). When nothing the site is made
 * from changed since the last build (see stamp.ts) it stops there, having read no post; otherwise only
 * the posts of the pages to render are read.
 */
export async function buildBlog(
  blog: Blog,
  options: Pick<BuildOptions, 'drafts' | 'clean' | 'onProgress' | 'trustTheme'> & { outDir?: string | undefined } = {},
): Promise<BuildReport> {
  // Read afresh: a server rebuilding for hours must see a `termpress config set` made meanwhile.
  const settings = await blog.settings({ fresh: true });
  const catalog = await readPostCatalog(blog);
  const outDir = resolve(options.outDir ?? blog.publicDir);
  const now = blog.now();
  const drafts = options.drafts ?? false;
  const stamp = siteStamp({ settings, posts: catalog.posts, blogDir: blog.dir, drafts, now });
  if (!options.clean) {
    const unchanged = await unchangedSite({ outDir, blogDir: blog.dir, stamp, now, trustTheme: options.trustTheme });
    if (unchanged !== null) {
      options.onProgress?.(unchanged.pages.length, unchanged.pages.length);
      return {
        outDir,
        postsShown: unchanged.postsShown,
        pagesWritten: 0,
        pagesUnchanged: unchanged.pages.length,
        pagesRendered: 0,
        filesRemoved: 0,
        written: [],
        removed: [],
        postsMoved: unchanged.postsMoved,
        redirects: unchanged.redirects,
        redirectsWritten: 0,
        themeCode: unchanged.themeCode,
      };
    }
  }
  const versions = new Map(catalog.posts.map(({ summary, version }) => [summary.id, version]));
  const { buildSite } = await import('./build.js');
  return buildSite({
    settings,
    // The server's rebuilds read frozen copies kept while their files stay the same (see readPostsShared).
    posts: { summaries: catalog.posts.map((entry) => entry.summary), version: (id) => versions.get(id) ?? '', read: catalog.read },
    cacheDir: blog.privateDir,
    stamp,
    taxonomy: await blog.taxonomy(),
    media: await blog.media(),
    likes: await blog.likeCounts(),
    blogDir: blog.dir,
    outDir,
    now,
    drafts,
    clean: options.clean,
    onProgress: options.onProgress,
    trustTheme: options.trustTheme,
  });
}
