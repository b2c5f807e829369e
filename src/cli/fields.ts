/** The fields of every list command's records: what --fields may name and what csv shows. Declarations and actions share them. */

import { COMMENT_KEY_ORDER, POST_KEY_ORDER } from '../core/types.js';

/** The fields of a post a summary leaves out: its text, its comments and what only its file needs. */
const NOT_SUMMARY = ['previousStatus', 'body', 'type', 'parentId', 'menuOrder', 'comments', 'legacy', 'conflicts'] as const;
type SummaryKey = Exclude<(typeof POST_KEY_ORDER)[number], (typeof NOT_SUMMARY)[number]>;

/** The fields of a post's summary, as list records give them: the file's order, and the comment counts. */
export const POST_SUMMARY_FIELDS = [
  ...POST_KEY_ORDER.filter((key): key is SummaryKey => !(NOT_SUMMARY as readonly string[]).includes(key)),
  'commentCounts',
] as const;
/** The fields --fields may name: the summary's, and the like count (in csv only when asked for, to keep its shape). */
export const POST_LIST_FIELDS = [...POST_SUMMARY_FIELDS, 'likes'] as const;
/** A page's summary has its place in the tree as well. */
export const PAGE_SUMMARY_FIELDS = [...POST_SUMMARY_FIELDS, 'parentId', 'menuOrder'] as const;
export const PAGE_LIST_FIELDS = [...PAGE_SUMMARY_FIELDS, 'likes'] as const;

type RecordKey = Exclude<(typeof COMMENT_KEY_ORDER)[number], 'id' | 'legacy'>;

/** The fields of a comment's record, as list and show output give them: the file's order, with the post's id. */
export const COMMENT_FIELDS = [
  'id',
  'postId',
  ...COMMENT_KEY_ORDER.filter((key): key is RecordKey => key !== 'id' && key !== 'legacy'),
] as const;
/** The columns of a comment list in CSV. */
export const COMMENT_CSV_FIELDS = [
  'id',
  'postId',
  'parentId',
  'status',
  'author',
  'email',
  'url',
  'ip',
  'createdAt',
  'type',
  'body',
] as const;

/** The fields of a category or tag in `category list` and `tag list`. */
export const TERM_FIELDS = ['slug', 'name', 'parent', 'description', 'count', 'path', 'depth', 'stored'] as const;

/** The fields of a media record in `media list`. */
export const MEDIA_FIELDS = ['id', 'file', 'url', 'title', 'caption', 'alt', 'mimeType', 'size', 'postId', 'createdAt'] as const;
