/** The contracts of WordPress import and export: the storage an import writes to, its options and its report. */
import type { CommentStatus, PostStatus } from '../core/types.js';

/** What an import needs from a blog: the Blog API's import target (see importTarget), or a test's. */
export type { ImportTarget } from '../api/transfer.js';

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
