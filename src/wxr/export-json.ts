/** `termpress export --format json`: every post and comment with every field, the backup `importJson` reads back. */
import { Readable } from 'node:stream';
import { escapeJsonControls } from '../core/text.js';
import type { BlogSettings, Post } from '../core/types.js';
import type { Like } from '../core/likes.js';
import { JSON_FORMAT, JSON_SCHEMA_VERSION } from './json-schema.js';

async function* lines(posts: Iterable<Post> | AsyncIterable<Post>, settings: BlogSettings, likes: ReadonlyMap<string, Like[]>): AsyncGenerator<string> {
  // One post per line keeps the file valid JSON and lets the importer stream it without a JSON stream parser.
  // Controls and bidi overrides are written as \u escapes: the same text to a parser, nothing raw for a terminal.
  yield `${escapeJsonControls(JSON.stringify({ format: JSON_FORMAT, schemaVersion: JSON_SCHEMA_VERSION, settings })).slice(0, -1)},"posts":[\n`;
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
export function exportJson(posts: Iterable<Post> | AsyncIterable<Post>, settings: BlogSettings, likes: ReadonlyMap<string, Like[]> = new Map()): Readable {
  return Readable.from(lines(posts, settings, likes), { objectMode: false });
}
