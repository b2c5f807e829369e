/** An item as read from a WXR file, before any mapping: both the strict and the forgiving reader produce it. */

/** A `<category domain nicename>` on an item: categories, tags, post formats and custom taxonomies alike. */
export interface RawTerm {
  /** `category`, `post_tag`, `tag` (WXR 1.0), `post_format`, a custom taxonomy, or '' for the WXR 1.0 bare style. */
  domain: string;
  nicename: string;
  name: string;
}

export interface RawMeta {
  key: string;
  value: string;
}

export interface RawComment {
  /** Child elements by canonical name, e.g. `wp:comment_id`. */
  fields: Record<string, string>;
  meta: RawMeta[];
}

export interface RawItem {
  /** Child elements by canonical name: `title`, `guid`, `dc:creator`, `content:encoded`, `wp:post_type` ... */
  fields: Record<string, string>;
  terms: RawTerm[];
  meta: RawMeta[];
  comments: RawComment[];
}

/** A `wp:author` of the channel. */
export interface RawAuthor {
  login: string;
  displayName: string;
  email: string;
}

/** A `wp:category`, `wp:tag` or `wp:term` of the channel: its fields by canonical name. */
export interface RawChannelTerm {
  kind: 'category' | 'tag' | 'term';
  fields: Record<string, string>;
}

/** What the channel says about the export as a whole. */
export interface ChannelInfo {
  wxrVersion?: string;
  siteUrl?: string;
  /** `wp:base_blog_url`: the blog itself, which differs from the site in a multisite network. */
  blogUrl?: string;
  /** The site's title, description, address and language (`<title>`, `<description>`, `<link>`, `<language>`), as WordPress escaped them. */
  title?: string;
  description?: string;
  link?: string;
  language?: string;
  authors: Map<string, RawAuthor>;
  /** The categories, tags and other terms the channel defines, in file order. */
  terms: RawChannelTerm[];
}

/** A fresh, empty item. */
export function emptyItem(): RawItem {
  return { fields: {}, terms: [], meta: [], comments: [] };
}

/** The value of a meta key, if the item or comment carries it. */
export function metaValue(meta: readonly RawMeta[], key: string): string | undefined {
  return meta.find((m) => m.key === key)?.value;
}

/** A WXR version is `<digits>.<digits>`, as WordPress's own parsers require. */
export function isWxrVersion(version: string | undefined): version is string {
  return version !== undefined && /^\d+\.\d+$/.test(version.trim());
}
