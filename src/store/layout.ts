import path from 'node:path';
import { StorageError } from '../core/errors.js';
import { ID_ALPHABET, ID_LENGTH, isId } from '../core/ids.js';

/** Where everything lives inside a blog folder. */
export interface BlogLayout {
  dir: string;
  settingsFile: string;
  postsDir: string;
  /** Readers' likes, one file per post: part of the blog, carried by git like the posts. */
  likesDir: string;
  templatesDir: string;
  /** The category tree and the tags' slugs and descriptions. */
  taxonomyFile: string;
  /** The records of the blog's media; the files themselves are in mediaDir. */
  mediaFile: string;
  mediaDir: string;
  publicDir: string;
  privateDir: string;
  indexFile: string;
  /** What the comment commands know of each post's comments without reading it (see comment-index.ts). */
  commentIndexFile: string;
  lockFile: string;
  recoveryDir: string;
  backupsDir: string;
  /** The blog's private key for signing forms and hashing readers (never in git, never in the site). */
  secretFile: string;
}

export const SETTINGS_FILE = 'termpress.json';
/** The category tree and tags' details, and the media records: single files at the top of the blog. */
export const TAXONOMY_FILE = 'taxonomy.json';
export const MEDIA_FILE = 'media.json';

/** The layout of the blog folder at dir. */
export function layoutOf(dir: string): BlogLayout {
  const root = path.resolve(dir);
  const privateDir = path.join(root, '.termpress');
  return {
    dir: root,
    settingsFile: path.join(root, SETTINGS_FILE),
    postsDir: path.join(root, 'posts'),
    likesDir: path.join(root, 'likes'),
    templatesDir: path.join(root, 'templates'),
    taxonomyFile: path.join(root, TAXONOMY_FILE),
    mediaFile: path.join(root, MEDIA_FILE),
    mediaDir: path.join(root, 'media'),
    publicDir: path.join(root, 'public'),
    privateDir,
    indexFile: path.join(privateDir, 'index.json'),
    commentIndexFile: path.join(privateDir, 'comments.json'),
    lockFile: path.join(privateDir, 'lock'),
    recoveryDir: path.join(privateDir, 'recovery'),
    backupsDir: path.join(privateDir, 'backups'),
    secretFile: path.join(privateDir, 'secret'),
  };
}

/**
 * The file of the post with this id. Anything but a whole id is refused, whatever let it through, so
 * that no id (from a backup, an import, a hand-edited file) can name a path outside posts/.
 */
export function postFile(layout: BlogLayout, id: string): string {
  if (!isId(id))
    throw new StorageError(`Refused to use ${JSON.stringify(id)} as a post id: an id is ${ID_LENGTH} characters of ${ID_ALPHABET}.`);
  return path.join(layout.postsDir, `${id}.json`);
}

/** The error for a file in posts/ whose name is not an id: it cannot be any post's file. */
export function misnamedPostFile(file: string): StorageError {
  return new StorageError(
    `${displayPath(file)} is not named after a post id (${ID_LENGTH} characters of ${ID_ALPHABET}): ` +
      'rename it to the "id" inside it, or move it out of posts/.',
  );
}

/** A path shown to people: relative to the working directory when that is shorter. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && relative.length < file.length ? relative : file;
}
