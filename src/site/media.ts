/**
 * The blog's media in the site: local copies copied into the site's media/ folder, and the addresses
 * posts imported from WordPress use for them (the original, its resized variants, ?w= and http/https
 * spellings) shown from the local copy instead. A file that was never downloaded keeps its remote address.
 */
import { join } from 'node:path';
import type { MediaRecord } from '../core/media.js';
import { isImageType } from '../core/mime.js';
import type { ConfinedFolder } from '../store/confined.js';
import type { Job } from './output.js';
import { encodePath } from './paths.js';
import type { GalleryImage, WordPressMedia } from './wordpress.js';

/** The site's folder for media files. */
export const MEDIA_FOLDER = 'media';

/** The output file of a media record's local copy. */
export function mediaOutputFile(record: MediaRecord): string | null {
  return record.file === null ? null : `${MEDIA_FOLDER}/${record.file}`;
}

/**
 * The key under which an address and its variants meet: host without "www.", path without WordPress's
 * size suffix ("-300x200", "-scaled", "-e1612345678"), lower-cased, without query or fragment.
 */
export function mediaUrlKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/&amp;/g, '&'), 'https://invalid.invalid/');
  } catch {
    return null;
  }
  if (parsed.hostname === 'invalid.invalid' || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  let host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  let path = parsed.pathname;
  // Jetpack's image CDN serves https://i0.wp.com/<host>/<path>.
  const cdn = /^i\d\.wp\.com$/.exec(host);
  if (cdn !== null) {
    const [, first, ...rest] = path.split('/');
    if (first === undefined || rest.length === 0) return null;
    host = first.toLowerCase().replace(/^www\./, '');
    path = `/${rest.join('/')}`;
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // Kept as written.
  }
  path = path.replace(/(?:-\d{1,5}x\d{1,5}|-scaled|-rotated|-e\d{10,13})+(\.[a-z0-9]{2,5})$/i, '$1');
  return `${host}${path}`.toLowerCase();
}

/** What the build knows of the blog's media. */
export interface SiteMedia extends WordPressMedia {
  /** The site address of the local copy of a remote address (or one of its variants), if there is one. */
  localUrl(url: string): string | undefined;
  /** Whether any record has a local copy: bodies need no rewriting otherwise. */
  readonly hasLocal: boolean;
}

/** The media of a build whose site lives under `base` (its path prefixes every local address). */
export function siteMedia(records: readonly MediaRecord[], base: URL): SiteMedia {
  const local = new Map<string, string>();
  const byWpId = new Map<string, MediaRecord>();
  const byParent = new Map<string, MediaRecord[]>();
  const address = (record: MediaRecord): string => {
    const file = mediaOutputFile(record);
    return file === null ? record.url : base.pathname + encodePath(file);
  };
  for (const record of records) {
    const file = mediaOutputFile(record);
    if (file !== null) {
      const key = mediaUrlKey(record.url);
      if (key !== null && !local.has(key)) local.set(key, address(record));
    }
    const wpId = record.legacy?.['wpPostId'];
    if (typeof wpId === 'string' && wpId !== '' && !byWpId.has(wpId)) byWpId.set(wpId, record);
    const parent = record.legacy?.['wpParentId'];
    if (typeof parent === 'string' && isImageType(record.mimeType)) {
      const list = byParent.get(parent) ?? [];
      list.push(record);
      byParent.set(parent, list);
    }
  }
  const image = (record: MediaRecord): GalleryImage => ({ url: address(record), caption: record.caption, alt: record.alt });
  const order = (record: MediaRecord) => (typeof record.legacy?.['menuOrder'] === 'number' ? record.legacy['menuOrder'] : 0);
  return {
    hasLocal: local.size > 0,
    localUrl(url) {
      const key = mediaUrlKey(url);
      return key === null ? undefined : local.get(key);
    },
    byWpId(wpId) {
      const record = byWpId.get(wpId);
      return record === undefined ? undefined : image(record);
    },
    attachedTo(wpPostId) {
      return [...(byParent.get(wpPostId) ?? [])].sort((a, b) => order(a) - order(b) || (a.createdAt < b.createdAt ? -1 : 1)).map(image);
    },
  };
}

/**
 * Addresses in a body's HTML attributes (src, href, srcset, poster) that are copies of the blog's
 * media, pointed at the local copy. Text outside tags is left as written.
 */
export function localiseMedia(html: string, media: SiteMedia): string {
  if (!media.hasLocal) return html;
  return html.replace(/<[a-z][^>]*>/gi, (tag) =>
    tag
      .replace(
        /(\s(?:src|href|poster|data-src|data-orig-file|data-large-file)\s*=\s*)(["'])([^"']*)\2/gi,
        (whole, before: string, quote: string, value: string) => {
          const local = media.localUrl(value.trim());
          return local === undefined ? whole : `${before}${quote}${local}${quote}`;
        },
      )
      .replace(/(\ssrcset\s*=\s*)(["'])([^"']*)\2/gi, (_whole, before: string, quote: string, value: string) => {
        const candidates = value.split(',').map((candidate) => {
          const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
          const local = media.localUrl(url);
          return [local ?? url, ...descriptor].join(' ');
        });
        return `${before}${quote}${candidates.join(', ')}${quote}`;
      }),
  );
}

/**
 * One job per local media file, copied into the site. A file's inputs are its size and time, so an
 * unchanged file is not read again; a record whose file is gone is left out of the site.
 */
export async function mediaJobs(records: readonly MediaRecord[], blogFiles: ConfinedFolder, mediaDir: string): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const record of records) {
    const file = mediaOutputFile(record);
    if (file === null) continue;
    const source = join(mediaDir, ...record.file!.split('/'));
    const stat = await blogFiles.stat(source);
    if (stat === null || !stat.isFile()) continue;
    jobs.push({
      file,
      owner: `media ${record.id} (${record.file})`,
      inputs: ['media', stat.size, stat.mtimeMs],
      render: async () => {
        const bytes = await blogFiles.read(source);
        return bytes ?? Buffer.alloc(0);
      },
    });
  }
  return jobs;
}
