/** `termpress export --format json`: every post and comment with every field, the backup `importJson` reads back. */
import { Readable } from 'node:stream';
import { escapeJsonControls } from '../core/text.js';
import type { BlogSettings, Post } from '../core/types.js';
import { JSON_FORMAT, JSON_SCHEMA_VERSION } from './json-schema.js';

async function* lines(posts: Iterable<Post> | AsyncIterable<Post>, settings: BlogSettings): AsyncGenerator<string> {
  // One post per line keeps the file valid JSON and lets the importer stream it without a JSON stream parser.
  // Controls and bidi overrides are written as \u escapes: the same text to a parser, nothing raw for a terminal.
  yield `${escapeJsonControls(JSON.stringify({ format: JSON_FORMAT, schemaVersion: JSON_SCHEMA_VERSION, settings })).slice(0, -1)},"posts":[\n`;
  let first = true;
  for await (const post of posts) {
    yield `${first ? '' : ',\n'}${escapeJsonControls(JSON.stringify(post))}`;
    first = false;
  }
  yield `${first ? '' : '\n'}]}\n`;
}

/** The JSON backup of a blog as a text stream; posts may come from an async iterable so a large blog is never held whole. */
export function exportJson(posts: Iterable<Post> | AsyncIterable<Post>, settings: BlogSettings): Readable {
  return Readable.from(lines(posts, settings), { objectMode: false });
}
