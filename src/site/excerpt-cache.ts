import { SymlinkError } from '../core/errors.js';
import type { ConfinedFolder } from '../store/confined.js';
import type { Excerpt } from './context.js';

/** The file, in the blog's private folder, that keeps the posts' rendered excerpts between builds. */
export const EXCERPT_CACHE = 'site-excerpts.json';
const CACHE_VERSION = 2;

/**
 * An excerpt as the last build rendered it, with the version of the post's file then and the digest of
 * what its body renders from (see contentDigest): the digest stands for the post's content on every page
 * that does not show comments, and is known without reading the post while its file stays the same.
 */
export interface CachedExcerpt extends Excerpt {
  version: string;
  digest: string;
}

/** The excerpts of the last build, read and written as a whole. */
export interface ExcerptCache {
  /** The excerpts kept, by post id; none when the file is missing, damaged, or from another renderer. */
  read(): Promise<Map<string, CachedExcerpt>>;
  /** Keeps these excerpts (post id, its version, its digest, the excerpt) in place of what was kept, if they differ. */
  write(entries: readonly (readonly [string, string, string, Excerpt | undefined])[]): Promise<void>;
}

/**
 * The list pages show the excerpts of posts whose own pages are not rendered, and rendering one means
 * reading and rendering the whole body: the excerpts are kept so that a rebuild after one comment reads
 * one post, not the ten of each list it appears in. Kept in .termpress/ beside the blog's secret: that
 * folder is private to the machine (never in git, never in the site), which matters since the excerpts
 * are HTML that pages show as it is. `renderKey` names the renderer and what else bodies depend on (the
 * media); a cache of another key is ignored.
 */
export function excerptCache(files: ConfinedFolder, file: string, renderKey: string): ExcerptCache {
  let text: string | null | undefined;
  const load = async (): Promise<string | null> => {
    if (text === undefined) {
      text = await files.readText(file).catch((error: unknown) => {
        if (error instanceof SymlinkError) throw error;
        return null;
      });
    }
    return text;
  };
  return {
    async read() {
      const kept = new Map<string, CachedExcerpt>();
      try {
        const parsed = JSON.parse((await load()) ?? '') as { version?: unknown; key?: unknown; posts?: unknown };
        if (parsed.version !== CACHE_VERSION || parsed.key !== renderKey || typeof parsed.posts !== 'object' || parsed.posts === null)
          return kept;
        for (const [id, entry] of Object.entries(parsed.posts)) {
          if (!Array.isArray(entry) || entry.length !== 4 || !entry.every((part) => typeof part === 'string')) continue;
          const [version, digest, html, excerptText] = entry as [string, string, string, string];
          kept.set(id, { version, digest, html, text: excerptText });
        }
      } catch {
        // Missing or damaged: the excerpts are rendered again.
      }
      return kept;
    },
    async write(entries) {
      const posts: Record<string, [string, string, string, string]> = {};
      for (const [id, version, digest, excerpt] of entries)
        if (excerpt !== undefined) posts[id] = [version, digest, excerpt.html, excerpt.text];
      const next = JSON.stringify({ version: CACHE_VERSION, key: renderKey, posts });
      if (next === (await load())) return;
      // A cache: failing to keep it costs the next build time, never a wrong page.
      await files.write(file, next, { fsync: false }).catch((error: unknown) => {
        if (error instanceof SymlinkError) throw error;
      });
      text = next;
    },
  };
}
