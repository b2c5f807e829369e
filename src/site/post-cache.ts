import { join } from 'node:path';
import { SymlinkError } from '../core/errors.js';
import type { Post } from '../core/types.js';
import type { ConfinedFolder } from '../store/confined.js';
import { sha256 } from './hash.js';
import type { RenderedBody } from './markdown.js';

/** The folder, in the blog's private folder, that keeps each post's rendered body and comments between builds. */
export const POST_CACHE = 'site-posts';
const CACHE_VERSION = 1;

/**
 * The digest of everything a post's body renders from (with the renderer and the media, which the
 * cache's key covers): its text, format and excerpt, and what an import carried. A comment, a like or a
 * change of title leaves it as it is, so the pages that show the body but no comments (the feeds) and
 * the rendered body itself are kept through them.
 */
export function contentDigest(post: Pick<Post, 'body' | 'format' | 'excerpt' | 'legacy'>): string {
  return sha256(JSON.stringify([post.format, post.body, post.excerpt, post.legacy ?? null]));
}

/** The key a comment's HTML is kept under: the HTML is made from the comment's text alone. */
export function commentKey(body: string): string {
  return sha256(body);
}

/** A post as the last build rendered it. */
export interface CachedPost {
  /** The contentDigest of the post it was rendered from. */
  digest: string;
  body: RenderedBody;
  /** The HTML of its approved comments then, by commentKey. */
  comments: Map<string, string>;
}

/** The rendered posts kept, read and written one post at a time. */
export interface PostCache {
  /** The posts kept among these ids; one missing, damaged or from another renderer is absent. */
  read(ids: readonly string[]): Promise<Map<string, CachedPost>>;
  /** Keeps these posts in place of what was kept (a file that holds them already is left as it is). */
  write(posts: readonly (readonly [string, CachedPost])[]): Promise<void>;
}

/** How many cache files are read or written at once. */
const BATCH = 32;

/**
 * Rendering one post's page after a comment would otherwise mean loading the Markdown renderer and the
 * sanitiser (most of such a build's time) for a body that did not change: its HTML is kept, and each
 * approved comment's, so that only a new comment is cleaned. One small file per post, so that a build
 * reads and writes only the posts it renders. Kept in .termpress/, which is private to the machine
 * (never in git, never in the site), as the excerpts are: the HTML is shown as it is. `renderKey` names
 * the renderer and what else bodies depend on (the media, the site's address); another key is ignored.
 */
export function postCache(files: ConfinedFolder, dir: string, renderKey: string): PostCache {
  // Ids are checked by the store; a name that is not one plain file name is never looked up.
  const fileOf = (id: string) => (/^[A-Za-z0-9_-]{1,64}$/.test(id) ? join(dir, `${id}.json`) : undefined);
  const readOne = async (id: string): Promise<CachedPost | undefined> => {
    const file = fileOf(id);
    if (file === undefined) return undefined;
    try {
      const text = await files.readText(file);
      return text === null ? undefined : parseEntry(text, renderKey);
    } catch (error) {
      if (error instanceof SymlinkError) throw error;
      // Damaged or unreadable: the post is rendered again.
      return undefined;
    }
  };
  return {
    async read(ids) {
      const kept = new Map<string, CachedPost>();
      for (let start = 0; start < ids.length; start += BATCH) {
        const batch = ids.slice(start, start + BATCH);
        const entries = await Promise.all(batch.map(readOne));
        entries.forEach((entry, k) => entry && kept.set(batch[k]!, entry));
      }
      return kept;
    },
    async write(posts) {
      if (posts.length === 0) return;
      // A cache: failing to keep it costs the next build time, never a wrong page.
      if (!(await files.folder(dir, true).catch(refuseLinks))) return;
      for (let start = 0; start < posts.length; start += BATCH) {
        await Promise.all(
          posts.slice(start, start + BATCH).map(async ([id, post]) => {
            const file = fileOf(id);
            if (file === undefined) return;
            const text = JSON.stringify({
              version: CACHE_VERSION,
              key: renderKey,
              digest: post.digest,
              html: post.body.html,
              excerptHtml: post.body.excerptHtml,
              excerptText: post.body.excerptText,
              comments: Object.fromEntries(post.comments),
            });
            // A clean build renders every post again, mostly to what is kept already.
            if ((await files.readText(file).catch(() => null)) === text) return;
            await files.write(file, text, { fsync: false }).catch(refuseLinks);
          }),
        );
      }
    },
  };
}

function refuseLinks(error: unknown): false {
  if (error instanceof SymlinkError) throw error;
  return false;
}

function parseEntry(text: string, renderKey: string): CachedPost | undefined {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const { version, key, digest, html, excerptHtml, excerptText, comments } = parsed;
  if (version !== CACHE_VERSION || key !== renderKey) return undefined;
  if (typeof digest !== 'string' || typeof html !== 'string' || typeof excerptHtml !== 'string' || typeof excerptText !== 'string')
    return undefined;
  if (typeof comments !== 'object' || comments === null) return undefined;
  const kept = new Map<string, string>();
  for (const [name, value] of Object.entries(comments)) if (typeof value === 'string') kept.set(name, value);
  return { digest, body: { html, excerptHtml, excerptText }, comments: kept };
}
