/** The fields of every list command's records: what --fields may name and what csv shows. Declarations and actions share them. */

/** The fields of a post's summary, as list records give them. */
export const POST_SUMMARY_FIELDS = [
  'id',
  'slug',
  'title',
  'author',
  'status',
  'categories',
  'tags',
  'excerpt',
  'format',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'permalinkDate',
  'commentStatus',
  'sticky',
  'revision',
  'commentCounts',
] as const;
/** The fields --fields may name: the summary's, and the like count (in csv only when asked for, to keep its shape). */
export const POST_LIST_FIELDS = [...POST_SUMMARY_FIELDS, 'likes'] as const;
/** A page's summary has its place in the tree as well. */
export const PAGE_SUMMARY_FIELDS = [...POST_SUMMARY_FIELDS, 'parentId', 'menuOrder'] as const;
export const PAGE_LIST_FIELDS = [...PAGE_SUMMARY_FIELDS, 'likes'] as const;

/** The fields of a comment's record, as list and show output give them. */
export const COMMENT_FIELDS = [
  'id',
  'postId',
  'parentId',
  'author',
  'email',
  'url',
  'ip',
  'userAgent',
  'body',
  'status',
  'previousStatus',
  'createdAt',
  'updatedAt',
  'type',
  'reasons',
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
