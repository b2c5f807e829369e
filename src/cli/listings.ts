/** How categories, tags and media look in list records and tables (posts and comments: render.ts). */
import type { MediaRecord } from '../core/media.js';
import type { TermListing } from '../core/taxonomy.js';
import type { Column } from './output.js';

/** The table of `category list` and `tag list`; it marks children with a dash per level, as WordPress does. */
export function termColumns(noun: 'categories' | 'tags'): Column<TermListing>[] {
  return [
    { field: 'name', header: 'NAME', value: (t) => `${'— '.repeat(t.depth)}${t.name}` },
    { field: 'slug', header: 'SLUG', value: (t) => t.slug },
    ...(noun === 'categories' ? [{ field: 'path', header: 'ARCHIVE', value: (t: TermListing) => `/category/${t.path}/` }] : []),
    { field: 'count', header: 'POSTS', value: (t) => String(t.count) },
    { field: 'description', header: 'DESCRIPTION', value: (t) => t.description },
  ];
}

/** The table of `media list`: a remote file (imported, not yet downloaded) by its address. */
export const MEDIA_COLUMNS: Column<MediaRecord>[] = [
  { field: 'id', header: 'ID', value: (m) => m.id },
  { field: 'file', header: 'FILE', value: (m) => (m.file === null ? `(remote) ${m.url}` : `media/${m.file}`) },
  { field: 'mimeType', header: 'TYPE', value: (m) => m.mimeType },
  { field: 'size', header: 'BYTES', value: (m) => (m.size === null ? '' : String(m.size)) },
  { field: 'title', header: 'TITLE', value: (m) => m.title },
];
