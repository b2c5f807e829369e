/**
 * The build's first question: has anything the site is made from changed since the last build? Asked
 * before any post is read and before the renderer is loaded, so that `termpress build` on an unchanged
 * blog (a cron job's, a server's) costs little more than starting. Kept light on purpose: node's own
 * modules and the store's folder only.
 *
 * What the site is made from: the settings, every post file (its size and modification time, which
 * every write and every `git pull` changes; see BlogStore.versionedSummaries), the theme (the package's
 * and the blog's own), taxonomy.json, media.json and media/, likes/, the program's rendering, preview
 * mode, and the clock, which changes the site only at known instants: when a scheduled post falls due,
 * when comments close after moderation.closeAfterDays.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import type { BlogSettings } from '../core/types.js';
import { ConfinedFolder, blogFolder } from '../store/confined.js';
import { fileSize, outputPath, readManifest, type BuildStamp } from './manifest.js';
import { MEDIA_FOLDER } from './media.js';
import type { PostMeta } from './visibility.js';

/** Bumped whenever the build's output changes for the same blog and theme, so that old pages are rebuilt. */
export const RENDERER_VERSION = 'termpress-site-2';

/** The package's default theme: src/site (under jest) and dist/site (built) are both two levels down. */
export const DEFAULT_THEME_DIR = fileURLToPath(new URL('../../templates/theme/', import.meta.url));

/** What the stamp is made from. */
export interface StampInputs {
  settings: BlogSettings;
  /** Every post with the version of its file. */
  posts: readonly { summary: PostMeta; version: string }[];
  blogDir: string;
  drafts: boolean;
  now: Date;
}

/** The digest of everything the site is made from, and the first instant after `now` at which the clock alone changes it. */
export function siteStamp(inputs: StampInputs): Pick<BuildStamp, 'key' | 'until'> {
  const hash = createHash('sha256');
  const add = (...parts: unknown[]) => hash.update(JSON.stringify(parts)).update('\n');
  add(RENDERER_VERSION, inputs.drafts, inputs.settings);
  const versions = inputs.posts.map(({ summary, version }) => `${summary.id} ${version}`).sort();
  for (const version of versions) hash.update(version).update('\n');
  for (const [label, dir] of [
    ['theme', DEFAULT_THEME_DIR],
    ['own theme', join(inputs.blogDir, 'templates', 'theme')],
    ['media', join(inputs.blogDir, MEDIA_FOLDER)],
    ['likes', join(inputs.blogDir, 'likes')],
  ] as const) {
    add(label, filesUnder(dir));
  }
  for (const name of ['taxonomy.json', 'media.json']) add(name, fileVersion(join(inputs.blogDir, name)));
  return { key: hash.digest('hex'), until: nextChange(inputs.posts, inputs.settings, inputs.now) };
}

/** The earliest instant after now at which a post falls due or its comments close; null when there is none. */
function nextChange(posts: StampInputs['posts'], settings: BlogSettings, now: Date): number | null {
  const days = settings.moderation.closeAfterDays;
  let next = Infinity;
  const consider = (time: number) => {
    if (time > now.getTime() && time < next) next = time;
  };
  for (const { summary } of posts) {
    if (summary.publishedAt === null) continue;
    const published = Date.parse(summary.publishedAt);
    consider(published);
    if (days && days > 0 && summary.commentStatus === 'open') consider(published + days * 86_400_000);
  }
  return next === Infinity ? null : next;
}

/** The files under a folder (not following links) with their sizes and times; none when it is missing. */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return `${relative(dir, file)} ${fileVersion(file)}`;
    })
    .sort();
}

/** A file's kind, size and modification time as one text ("" when it is missing). */
function fileVersion(file: string): string {
  try {
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (!stat) return '';
    return `${stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'folder' : 'file'} ${stat.size} ${stat.mtimeMs}`;
  } catch {
    return '?';
  }
}

/** What an unchanged build reports. */
export interface UnchangedSite {
  postsShown: number;
  postsMoved: number;
  pages: string[];
  redirects: number;
  themeCode: BuildStamp['themeCode'];
}

/**
 * The site as the last build left it, when nothing it is made from has changed since (the same stamp,
 * before its next instant), the blog's own theme is still trusted, and every file that build wrote is
 * still in place with its size; otherwise null, and the site is built (incrementally).
 */
export async function unchangedSite(options: {
  outDir: string;
  blogDir: string;
  stamp: Pick<BuildStamp, 'key' | 'until'>;
  now: Date;
  trustTheme: true | string | undefined | (() => Promise<true | string | undefined>);
}): Promise<UnchangedSite | null> {
  const { outDir, blogDir, stamp } = options;
  refuseDangerousOutDir(blogDir, outDir);
  // As the build itself does: an output folder inside the blog is reached through real folders only.
  if (isWithin(blogDir, outDir) && !(await blogFolder(blogDir).folder(outDir, false))) return null;
  const manifest = await readManifest(new ConfinedFolder(outDir, { links: 'replace', label: 'the output folder' }));
  const last = manifest.stamp;
  if (last === undefined || last.key !== stamp.key || (last.until !== null && options.now.getTime() >= last.until)) return null;
  if (last.themeCode !== null) {
    const trust = typeof options.trustTheme === 'function' ? await options.trustTheme() : options.trustTheme;
    if (trust !== true && trust !== last.themeCode.digest) return null;
  }
  // Each file still there with its size (a page deleted or changed by hand is made again). Only looked at,
  // never written: a file found through a folder replaced by a link is left for the next build that writes.
  const pages = Object.keys(manifest.files);
  for (const file of pages) {
    // The manifest's paths are plain ones inside the folder (readManifest keeps no other): joined as text.
    const target = outputPath(outDir, file);
    if (target === undefined || fileSize(target) !== manifest.files[file]!.size) return null;
  }
  return {
    postsShown: last.postsShown,
    postsMoved: last.postsMoved,
    pages: pages.sort(),
    redirects: last.redirects,
    themeCode: last.themeCode,
  };
}

/** Whether path is folder or lies inside it, by their names. */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Building into the blog folder itself (or a folder holding it) would mix pages with posts. */
export function refuseDangerousOutDir(blogDir: string, outDir: string): void {
  if (isWithin(outDir, blogDir)) {
    throw new UsageError(`The output folder ${outDir} holds the blog folder ${blogDir}; choose another with --out.`);
  }
  for (const reserved of ['posts', '.termpress', 'templates', MEDIA_FOLDER]) {
    if (isWithin(join(blogDir, reserved), outDir)) {
      throw new UsageError(`The output folder ${outDir} is inside the blog's ${reserved}/ folder; choose another with --out.`);
    }
  }
}
