import type { Post } from '../core/types.js';
import { summarize } from '../store/summary.js';
import { sha256 } from './hash.js';
import type { PostMeta } from './visibility.js';

/**
 * The posts a build is made from: every post's summary, known without reading its file, and the whole
 * post read only for the pages that are rendered. So a rebuild after one comment reads that one post.
 */
export interface PostSource {
  /** Every post of the blog, in any status: the build decides what is shown. */
  summaries: readonly PostMeta[];
  /** A text that changes whenever anything in the post (its comments too) does. */
  version(id: string): string;
  /** The posts with these ids in full, in any order. */
  read(ids: readonly string[]): Promise<readonly Post[]>;
}

/** Posts held in memory (a library caller's, a test's) as a source; their versions are hashes of their content. */
export function memorySource(posts: readonly Post[]): PostSource {
  const byId = new Map(posts.map((post) => [post.id, post]));
  const versions = new Map<string, string>();
  return {
    summaries: posts.map(summarize),
    version(id) {
      let version = versions.get(id);
      if (version === undefined) versions.set(id, (version = sha256(JSON.stringify(byId.get(id) ?? null))));
      return version;
    },
    read: (ids) => Promise.resolve(ids.map((id) => byId.get(id)).filter((post): post is Post => post !== undefined)),
  };
}
