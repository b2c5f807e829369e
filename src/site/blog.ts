/** The blog's site: every post read through the Blog API, then built. */
import type { Blog } from '../api/blog.js';
import { readAllPosts } from '../api/transfer.js';
import { buildSite } from './build.js';
import type { BuildOptions, BuildReport } from './build.js';

/** Builds the blog's site into outDir (default: the blog's public/ folder). */
export async function buildBlog(
  blog: Blog,
  options: Pick<BuildOptions, 'drafts' | 'clean' | 'onProgress' | 'trustTheme'> & { outDir?: string | undefined } = {},
): Promise<BuildReport> {
  return buildSite({
    // Read afresh: a server rebuilding for hours must see a `termpress config set` made meanwhile.
    settings: await blog.settings({ fresh: true }),
    // Frozen copies kept while their files stay the same: a server's rebuilds parse only what changed.
    posts: await readAllPosts(blog, undefined, { shared: true }),
    taxonomy: await blog.taxonomy(),
    media: await blog.media(),
    likes: await blog.likeCounts(),
    blogDir: blog.dir,
    outDir: options.outDir ?? blog.publicDir,
    now: blog.now(),
    drafts: options.drafts,
    clean: options.clean,
    onProgress: options.onProgress,
    trustTheme: options.trustTheme,
  });
}
