import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SETTINGS_FILE } from './layout.js';

/** How the blog to work on was chosen. */
export type BlogSource = 'flag' | 'env' | 'found' | 'default';

export interface LocatedBlog {
  dir: string;
  source: BlogSource;
}

export interface LocateOptions {
  /** --blog <dir> */
  blog?: string | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The user's default blog folder, used when nothing else names one. */
  defaultDir: () => Promise<string>;
}

async function hasSettings(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(dir, SETTINGS_FILE))).isFile();
  } catch {
    return false;
  }
}

/** The nearest folder at or above start that holds termpress.json, or null. */
export async function findUp(start: string): Promise<string | null> {
  let dir = path.resolve(start);
  for (;;) {
    if (await hasSettings(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Which blog a command works on: --blog, else $TERMPRESS_BLOG, else the nearest termpress.json upward, else the default blog. */
export async function locateBlog(options: LocateOptions): Promise<LocatedBlog> {
  if (options.blog) return { dir: path.resolve(options.cwd, options.blog), source: 'flag' };
  const fromEnv = options.env.TERMPRESS_BLOG;
  if (fromEnv) return { dir: path.resolve(options.cwd, fromEnv), source: 'env' };
  const found = await findUp(options.cwd);
  if (found) return { dir: found, source: 'found' };
  return { dir: await options.defaultDir(), source: 'default' };
}
