import path from 'node:path';

/** Where everything lives inside a blog folder. */
export interface BlogLayout {
  dir: string;
  settingsFile: string;
  postsDir: string;
  templatesDir: string;
  publicDir: string;
  privateDir: string;
  indexFile: string;
  lockFile: string;
  recoveryDir: string;
  backupsDir: string;
}

export const SETTINGS_FILE = 'termpress.json';

/** The layout of the blog folder at dir. */
export function layoutOf(dir: string): BlogLayout {
  const root = path.resolve(dir);
  const privateDir = path.join(root, '.termpress');
  return {
    dir: root,
    settingsFile: path.join(root, SETTINGS_FILE),
    postsDir: path.join(root, 'posts'),
    templatesDir: path.join(root, 'templates'),
    publicDir: path.join(root, 'public'),
    privateDir,
    indexFile: path.join(privateDir, 'index.json'),
    lockFile: path.join(privateDir, 'lock'),
    recoveryDir: path.join(privateDir, 'recovery'),
    backupsDir: path.join(privateDir, 'backups'),
  };
}

/** The file of the post with this id. */
export function postFile(layout: BlogLayout, id: string): string {
  return path.join(layout.postsDir, `${id}.json`);
}

/** A path shown to people: relative to the working directory when that is shorter. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && relative.length < file.length ? relative : file;
}
