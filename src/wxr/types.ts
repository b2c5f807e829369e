/** The contracts of WordPress import and export: the storage an import writes to, its options and its report. */
import type { MediaRecord } from '../core/media.js';
import type { Taxonomy, TaxonomyMerge } from '../core/taxonomy.js';
import type { CommentStatus, Post, PostStatus } from '../core/types.js';
import type { Like } from '../core/likes.js';

/** What an import needs from a blog; the Blog API implements it and the CLI passes it in. */
export interface ImportTarget {
  /** legacy keys already in the blog, e.g. `wxr:<guid>` or `wxr:<site-url>#<post_id>`: re-imports skip these */
  existingLegacyKeys(): Promise<Set<string>>;
  /**
   * stores fully formed posts (ids minted, comments included); the Blog makes slugs unique under its lock and writes
   * atomically. `last` marks the import's final call (its posts may be none): what a store keeps for the end is saved then.
   */
  addPosts(posts: Post[], options?: { last?: boolean }): Promise<void>;
  /** The blog's category tree and tag details. */
  taxonomy(): Promise<Taxonomy>;
  /** Lays the file's terms over the blog's (see mergeTaxonomy) and stores the result. */
  addTaxonomy(taxonomy: Taxonomy): Promise<TaxonomyMerge>;
  /** legacy keys of the media records already in the blog. */
  existingMediaKeys(): Promise<Set<string>>;
  /** ids of the media records already in the blog (a backup's records keep theirs). */
  existingMediaIds(): Promise<Set<string>>;
  /** stores media records (ids minted). */
  addMedia(media: MediaRecord[]): Promise<void>;
  /** stores the likes a JSON backup carried for a post it imported (merged with any the post has) */
  addLikes?(postId: string, likes: Like[]): Promise<void>;
}

/** Options shared by both importers. */
export interface BaseImportOptions {
  /** Report what would happen without calling `addPosts`. */
  dryRun?: boolean;
  /** The clock: stamped as `legacy.importedAt` and used for items that carry no date at all. */
  now: Date;
  /** Bytes processed so far out of the total; both passes over the file count, so the total is twice its size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Options of `importWxr`. */
export interface WxrImportOptions extends BaseImportOptions {
  /** The blog's IANA timezone: WXR local dates (`post_date`) are read in it when no GMT date is given. */
  timezone: string;
  /** Recover what can be read from a file that is not well-formed XML, instead of refusing it. */
  lenient?: boolean;
  /** The author of posts whose item names none (no `dc:creator`). */
  author?: string;
}

/** Options of `importJson`. */
export type JsonImportOptions = BaseImportOptions;

/** Where a file stopped being well-formed XML. */
export interface XmlFault {
  line: number;
  column: number;
  message: string;
}

/** The site an export describes: its channel's title, description, address (`<link>`) and language. */
export interface WxrChannel {
  title?: string | undefined;
  description?: string | undefined;
  link?: string | undefined;
  language?: string | undefined;
}

/** What an import did (or, with dryRun, would do). */
export interface ImportReport {
  file: string;
  format: 'wxr' | 'json';
  dryRun: boolean;
  /** The WXR version the file declares (WXR only). */
  wxrVersion?: string;
  /** The WordPress site the file came from (`wp:base_site_url`, WXR only). */
  site?: string;
  /** What the export says of the site as a whole, as plain text (WXR only): an import into a blog without posts takes it. */
  channel?: WxrChannel;
  /** Items (WXR) or posts (JSON) read from the file. */
  items: number;
  /** Posts and pages added to the blog (or that would be, with dryRun). */
  imported: number;
  posts: Record<PostStatus, number>;
  pages: Record<PostStatus, number>;
  comments: Record<CommentStatus, number>;
  /** Terms the file defines: added to the blog, or already there (same slug). */
  categories: { imported: number; present: number };
  tags: { imported: number; present: number };
  /** Attachments: media records added, or already in the blog. */
  media: { imported: number; present: number };
  /** Items not imported, by kind: `attachment` (without media records), `nav_menu_item`, `custom:<post_type>`, `present`, `duplicate`, `partial`, `invalid` (--lenient only). */
  skipped: Record<string, number>;
  warnings: string[];
  /** Set when --lenient read a file that is not well-formed: where the strict parser stopped. */
  recoveredFrom?: XmlFault;
  /** The blog settings a JSON backup carried, not yet validated, for the caller to apply if it wishes (JSON only). */
  settings?: Record<string, unknown>;
}

/** The legacy keys a stored post answers to; `ImportTarget.existingLegacyKeys` is their union over the blog. */
export { legacyKeysOf as legacyKeysOfPost } from '../core/legacy.js';
