/**
 * `termpress export --format json`: every post and page with its comments and likes, the settings, the
 * category tree and the media records: the backup `importJson` reads back.
 */
import { Readable } from 'node:stream';
import { escapeJsonControls } from '../core/text.js';
import type { BlogSettings, Post } from '../core/types.js';
import type { Like } from '../core/likes.js';
import type { MediaRecord } from '../core/media.js';
import type { Taxonomy } from '../core/taxonomy.js';
import { JSON_FORMAT, JSON_SCHEMA_VERSION } from './json-schema.js';

/** What a backup carries beside the posts: the category tree and tags' details, the media records (their files are in media/). */
export interface BlogParts {
  taxonomy?: Taxonomy | undefined;
  media?: readonly MediaRecord[] | undefined;
}

async function* lines(
  posts: Iterable<Post> | AsyncIterable<Post>,
  settings: BlogSettings,
  likes: ReadonlyMap<string, Like[]>,
  parts: BlogParts,
): AsyncGenerator<string> {
  // One post per line keeps the file valid JSON and lets the importer stream it without a JSON stream parser.
  // Controls and bidi overrides are written as \u escapes: the same text to a parser, nothing raw for a terminal.
  const { taxonomy, media } = parts;
  const header = {
    format: JSON_FORMAT,
    schemaVersion: JSON_SCHEMA_VERSION,
    settings,
    ...(taxonomy && (taxonomy.categories.length > 0 || taxonomy.tags.length > 0) ? { taxonomy } : {}),
    ...(media && media.length > 0 ? { media } : {}),
  };
  yield `${escapeJsonControls(JSON.stringify(header)).slice(0, -1)},"posts":[\n`;
  let first = true;
  for await (const post of posts) {
    // A post's likes ride with it (readers as keyed hashes): they are kept beside the post, not in it.
    const liked = likes.get(post.id);
    yield `${first ? '' : ',\n'}${escapeJsonControls(JSON.stringify(liked?.length ? { ...post, likes: liked } : post))}`;
    first = false;
  }
  yield `${first ? '' : '\n'}]}\n`;
}

/** The JSON backup of a blog as a text stream; posts may come from an async iterable so a large blog is never held whole. */
export function exportJson(
  posts: Iterable<Post> | AsyncIterable<Post>,
  settings: BlogSettings,
  likes: ReadonlyMap<string, Like[]> = new Map(),
  parts: BlogParts = {},
): Readable {
  return Readable.from(lines(posts, settings, likes, parts), { objectMode: false });
}
