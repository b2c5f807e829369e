/** Import into and export out of a blog: the WXR and JSON readers and writers over the Blog API. */
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { Blog } from '../api/blog.js';
import { withSetting } from '../api/settings.js';
import { importTarget, readAllPosts } from '../api/transfer.js';
import { UsageError } from '../core/errors.js';
import { defaultSettings, type BlogSettings, type PostStatus } from '../core/types.js';
import { ConfinedFolder } from '../store/confined.js';
import { exportJson } from './export-json.js';
import { exportMarkdown } from './export-markdown.js';
import { exportWxr } from './export-wxr.js';
import { importJson } from './import-json.js';
import { importWxr } from './import-wxr.js';
import { downloadMedia, type MediaDownloadOptions } from './media-download.js';
import { warn } from './report.js';
import type { ImportReport, WxrChannel } from './types.js';

export interface ImportFileOptions {
  /** Default: json for a .json file, else wxr. */
  format?: 'wxr' | 'json' | undefined;
  dryRun?: boolean | undefined;
  lenient?: boolean | undefined;
  /** The author of posts whose export names none; default: the blog's author. */
  author?: string | undefined;
  /** Download the files of media records that have no local copy (WordPress attachments) into media/. */
  media?: boolean | undefined;
  /** How downloads are made (timeouts, size cap, concurrency). */
  download?: Omit<MediaDownloadOptions, 'onProgress'> | undefined;
  onProgress?: (done: number, total: number) => void;
  onDownload?: (done: number, total: number) => void;
}

/** What an import of a file into a blog did. */
export interface BlogImportReport extends ImportReport {
  /** A JSON backup restored into a blog without posts brings its settings back too. */
  settingsRestored: boolean;
  /** What --media downloaded, when it was given (and this was not a dry run). */
  downloads?: { downloaded: number; failed: number };
  /** The blog's media records without a local copy: files the site still takes from their old address. */
  remoteMedia: number;
  /** The settings a WordPress export gave a blog without posts (with dryRun: would give). */
  settingsTaken: string[];
  /** The blog imported into, as it is after the import (with dryRun: would be). */
  blog: { title: string; url: string };
}

/** Which setting each field of a WordPress channel fills. */
const CHANNEL_SETTINGS = [
  ['title', 'title'],
  ['description', 'description'],
  ['link', 'url'],
  ['language', 'language'],
] as const;

/**
 * The settings a WordPress export gives a blog without posts: the channel's title, description, address
 * and language, each only where the blog still has the default (a value a person chose at init stays).
 * A value the setting cannot take is left out, with a warning.
 */
function settingsFromChannel(current: BlogSettings, channel: WxrChannel, report: ImportReport): Record<string, string> {
  const defaults = defaultSettings();
  const values: Record<string, string> = {};
  for (const [field, key] of CHANNEL_SETTINGS) {
    const value = channel[field];
    if (value === undefined || value === '' || current[key] !== defaults[key] || value === current[key]) continue;
    try {
      withSetting(current, key, value);
      values[key] = value;
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      warn(report, `the export's ${field} was not taken as the blog's ${key}: ${error.message}`);
    }
  }
  return values;
}

/** Imports a WordPress export or a termpress JSON backup into the blog. */
export async function importIntoBlog(blog: Blog, file: string, options: ImportFileOptions = {}): Promise<BlogImportReport> {
  const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'wxr');
  if (format === 'json' && options.lenient) throw new UsageError('--lenient is for WXR files; drop it for a JSON backup.');
  const settings = await blog.settings();
  const empty = (await blog.listPosts({ status: ['draft', 'pending', 'scheduled', 'published', 'trash'] })).length === 0;
  const common = { dryRun: options.dryRun, now: blog.now(), onProgress: options.onProgress };
  const target = importTarget(blog);
  const report =
    format === 'json'
      ? await importJson(file, target, common)
      : await importWxr(file, target, {
          ...common,
          timezone: settings.timezone,
          lenient: options.lenient,
          author: options.author ?? (settings.author || undefined),
        });
  // So that `import backup.json` into a new blog gives the same blog back; a blog with posts keeps its own.
  const settingsRestored = format === 'json' && report.settings !== undefined && empty && !options.dryRun;
  // The backup's posts were read as this schema; its settings must not name another (the file's own header was checked).
  const restored = settingsRestored ? await blog.restoreSettings(report.settings!) : undefined;
  // A WordPress export into a blog without posts names the site, as a backup does.
  const taken = format === 'wxr' && report.channel !== undefined && empty ? settingsFromChannel(settings, report.channel, report) : {};
  const settingsTaken = Object.keys(taken);
  let after: BlogSettings = restored ?? settings;
  if (settingsTaken.length > 0) after = options.dryRun ? { ...settings, ...taken } : await blog.setSettings(taken);
  let downloads: BlogImportReport['downloads'];
  if (options.media && !options.dryRun && (await blog.exists())) {
    const done = await downloadMedia(blog, { ...options.download, onProgress: options.onDownload });
    downloads = { downloaded: done.downloaded, failed: done.failed };
    for (const message of done.warnings) warn(report, message);
  }
  const remote = (await blog.media()).filter((m) => m.file === null).length;
  return {
    ...report,
    settingsRestored,
    settingsTaken,
    blog: { title: after.title, url: after.url },
    ...(downloads ? { downloads } : {}),
    remoteMedia: options.dryRun ? remote + report.media.imported : remote,
  };
}

export type ExportFormat = 'wxr' | 'json' | 'markdown';

/**
 * Exports the blog's posts with these statuses: wxr and json to `file` (written atomically) or else to
 * `stream`; markdown as one file per post into the folder `file`. Returns how many posts went out.
 */
export async function exportBlog(
  blog: Blog,
  options: { format: ExportFormat; statuses: PostStatus[]; file?: string | undefined; stream: Writable },
): Promise<number> {
  const { format, file } = options;
  if (format === 'markdown' && file === undefined) throw new UsageError('Markdown export writes one file per post: pass --out <folder>.');
  const settings = await blog.settings();
  const posts = await readAllPosts(blog, (p) => options.statuses.includes(p.status));
  if (format === 'markdown') return (await exportMarkdown(posts, settings, file!)).length;
  const produce = async (stream: NodeJS.WritableStream) => {
    if (format === 'wxr') {
      await exportWxr(posts, settings, stream as Writable, { taxonomy: await blog.taxonomy(), media: await blog.media() });
    } else {
      const { pipeline } = await import('node:stream/promises');
      const parts = { taxonomy: await blog.taxonomy(), media: await blog.media() };
      await pipeline(exportJson(posts, settings, await blog.allLikes(), parts), stream, { end: false });
    }
  };
  if (file === undefined) await produce(options.stream);
  else await new ConfinedFolder(dirname(file), { links: 'replace', label: 'the export folder' }).writeStream(file, produce);
  return posts.length;
}
