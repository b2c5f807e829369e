import { legacyKeysOf } from '../core/legacy.js';
import { cleanPostText, pinPermalinkDate } from '../core/posts.js';
import { safeSlug, uniqueSlug } from '../core/slug.js';
import type { MediaRecord } from '../core/media.js';
import type { Taxonomy, TaxonomyMerge } from '../core/taxonomy.js';
import type { Post } from '../core/types.js';
import type { Like } from '../core/likes.js';
import type { PostSummary } from '../store/summary.js';
import type { Blog } from './blog.js';

/** Every post of the blog, whole (body and comments), in a stable order: for builds and exports. */
export async function readAllPosts(
  blog: Blog,
  keep: (summary: PostSummary) => boolean = () => true,
  options: { shared?: boolean } = {},
): Promise<Post[]> {
  if (!(await blog.exists())) return [];
  const summaries = (await blog.store.summaries()).filter(keep).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // shared: the store's frozen copies (see readPostsShared), for a reader that changes nothing, such as a build.
  if (options.shared) return blog.store.readPostsShared(summaries.map((s) => s.id));
  const posts: Post[] = [];
  for (const summary of summaries) posts.push(await blog.store.readPost(summary.id));
  return posts;
}

/** Every post of the blog as its summary and the version of its file, and a reader of posts in full. */
export interface PostCatalog {
  posts: { summary: PostSummary; version: string }[];
  /** The posts with these ids, as readAllPosts's shared copies (frozen: copy before changing). */
  read(ids: readonly string[]): Promise<Post[]>;
}

/**
 * The blog's posts without reading their files: the index's summaries with each file's version (its size and
 * modification time), for a reader such as a build that reads in full only the posts that changed.
 */
export async function readPostCatalog(blog: Blog): Promise<PostCatalog> {
  const exists = await blog.exists();
  return {
    posts: exists ? await blog.store.versionedSummaries() : [],
    read: (ids) => (exists && ids.length > 0 ? blog.store.readPostsShared(ids) : Promise.resolve([])),
  };
}

/**
 * What an import needs from a blog (importTarget gives the Blog's: posts stored under the lock, slugs made
 * unique, nothing already present twice); the CLI passes it to the importers in wxr/.
 */
export interface ImportTarget {
  /** legacy keys already in the blog, e.g. `wxr:<guid>` or `wxr:<site-url>#<post_id>`: re-imports skip these */
  existingLegacyKeys(): Promise<Set<string>>;
  /**
   * stores fully formed posts (ids minted, comments included); the Blog makes slugs unique under its lock and writes
   * atomically. `last` marks the import's final call (its posts may be none): what a store keeps for the end is saved then.
   */
  addPosts(posts: Post[], options?: { last?: boolean }): Promise<void>;
  /** The blog's category tree and tag details. */
  taxonomy(): Promise<Taxonomy>;
  /** Lays the file's terms over the blog's (see mergeTaxonomy) and stores the result. */
  addTaxonomy(taxonomy: Taxonomy): Promise<TaxonomyMerge>;
  /** legacy keys of the media records already in the blog. */
  existingMediaKeys(): Promise<Set<string>>;
  /** ids of the media records already in the blog (a backup's records keep theirs). */
  existingMediaIds(): Promise<Set<string>>;
  /** stores media records (ids minted). */
  addMedia(media: MediaRecord[]): Promise<void>;
  /** stores the likes a JSON backup carried for a post it imported (merged with any the post has) */
  addLikes?(postId: string, likes: Like[]): Promise<void>;
}

/** The blog as an import target. */
export function importTarget(blog: Blog): ImportTarget & { addLikes: NonNullable<ImportTarget['addLikes']> } {
  let holds = 0;
  return {
    async existingLegacyKeys() {
      if (!(await blog.exists())) return new Set();
      return new Set((await blog.store.summaries()).flatMap(legacyKeysOf));
    },
    async addPosts(posts, options = {}) {
      // Each batch is one hold of the lock: a writer that waits meanwhile goes first (see letWaitersIn).
      await blog.writeLocked(
        async () => {
          const { timezone } = await blog.store.readSettings();
          const summaries = await blog.store.bulkSummaries();
          const slugs = new Set(summaries.map((s) => s.slug));
          const ids = new Set(summaries.map((s) => s.id));
          const fresh: Post[] = [];
          for (const imported of posts) {
            // An id already in the blog means the same post; the importer skips those by legacy key.
            if (ids.has(imported.id)) continue;
            // Whatever wrote the file, what is stored is cleaned as a post typed here would be.
            // A published post's address is fixed from now on, in the timezone the blog has as it comes in.
            const post = pinPermalinkDate(cleanPostText(imported), timezone);
            const slug = uniqueSlug(safeSlug(post.slug) || `post-${post.id}`, (s) => slugs.has(s));
            slugs.add(slug);
            ids.add(post.id);
            fresh.push({ ...post, slug });
          }
          await blog.store.writeBatch(fresh, { saveIndex: options.last === true });
        },
        { afterWaiters: holds++ > 0 },
      );
    },
    taxonomy: () => blog.taxonomy(),
    addTaxonomy: (taxonomy) => blog.mergeTaxonomy(taxonomy),
    async existingMediaKeys() {
      return new Set((await blog.media()).flatMap(legacyKeysOf));
    },
    async existingMediaIds() {
      return new Set((await blog.media()).map((record) => record.id));
    },
    addMedia: (media) => blog.addMedia(media),
    addLikes: (postId, likes) => blog.restoreLikes(postId, likes),
  };
}
