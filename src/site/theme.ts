import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Eta } from 'eta/core';
import { StorageError, UsageError } from '../core/errors.js';
import type { ConfinedFolder } from '../store/confined.js';
import { sha256 } from './hash.js';

export { DEFAULT_THEME_DIR } from './stamp.js';

/** The templates a theme must provide, by name (file name without ".eta"). */
export const REQUIRED_TEMPLATES = ['layout', 'list', 'post', 'page', 'archives', '404'] as const;

/** A theme's files: templates by name, other files (styles, images) to copy by output path. */
export interface Theme {
  templates: Map<string, { source: string; file: string }>;
  assets: Map<string, Buffer>;
  /** Changes whenever any template or asset does, so that every page is rebuilt. */
  hash: string;
  /** The blog's own templates that differ from the package's, which are code (see ThemeCode); null when there are none. */
  code: ThemeCode | null;
}

/**
 * An Eta template is JavaScript: rendering it runs whatever it holds, with the user's rights. The
 * package's own theme is termpress's code; a blog's own templates arrive with `git clone` like any
 * other file of the blog, so they run only once the user has trusted them (see trustTheme in build.ts).
 * A template that is byte for byte the package's own is termpress's code wherever it lies.
 */
export interface ThemeCode {
  /** The templates' paths under templates/theme/, sorted. */
  files: string[];
  /** The sha256 of their paths and bytes: trusting them is trusting this digest, so any change asks again. */
  digest: string;
}

/**
 * The default theme with a blog's own `templates/theme/` laid over it, file by file. The blog's files
 * are read through its folder: a link among them is refused by name, since what it points at (a key
 * in ~/.ssh, say) would be published with the site.
 */
export async function loadTheme(defaultDir: string, overrideDir: string, blogFiles?: ConfinedFolder): Promise<Theme> {
  const files = new Map<string, { file: string; own: boolean }>();
  for (const path of await listFiles(defaultDir)) files.set(path, { file: join(defaultDir, path), own: false });
  for (const path of await listFiles(overrideDir, blogFiles))
    files.set(path, { file: join(overrideDir, path), own: blogFiles !== undefined });
  const templates = new Map<string, { source: string; file: string }>();
  const assets = new Map<string, Buffer>();
  const digests: string[] = [];
  const code: string[] = [];
  for (const path of [...files.keys()].sort()) {
    const { file, own } = files.get(path)!;
    const bytes = await readThemeFile(file, own ? blogFiles : undefined);
    const digest = `${path}\0${sha256(bytes)}`;
    digests.push(digest);
    if (path.endsWith('.eta')) {
      templates.set(path.slice(0, -'.eta'.length), { source: bytes.toString('utf8'), file });
      if (own && !(await sameAsDefault(join(defaultDir, path), bytes))) code.push(digest);
    } else assets.set(path, bytes);
  }
  const missing = REQUIRED_TEMPLATES.filter((name) => !templates.has(name));
  if (missing.length > 0) {
    throw new UsageError(
      `The theme lacks ${missing.map((m) => m + '.eta').join(', ')}; restore them in ${overrideDir} or remove the override.`,
    );
  }
  const own = code.length === 0 ? null : { files: code.map((entry) => entry.split('\0')[0]!), digest: sha256(code.join('\n')) };
  return { templates, assets, hash: sha256(digests.join('\n')), code: own };
}

/** Whether the package's theme has a file at that path with exactly these bytes. */
async function sameAsDefault(file: string, bytes: Buffer): Promise<boolean> {
  const ours = await readFile(file).catch(() => null);
  return ours !== null && ours.equals(bytes);
}

async function readThemeFile(file: string, blogFiles: ConfinedFolder | undefined): Promise<Buffer> {
  let bytes: Buffer | null;
  try {
    bytes = blogFiles ? await blogFiles.read(file) : await readFile(file);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError(`Cannot read the theme file ${file}: ${(error as Error).message}`);
  }
  if (bytes === null) throw new StorageError(`Cannot read the theme file ${file}: it was removed during the build; build again.`);
  return bytes;
}

/** Renders a theme template by name with its data. */
export type RenderTemplate = (name: string, data: object) => string;

/** Compiles every template of the theme once; the returned function renders them by name. */
export function createRenderer(theme: Theme): RenderTemplate {
  // Eta escapes every <%= %> by default; <%~ %> is kept for HTML the build has already sanitised.
  const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true });
  for (const [name, { source, file }] of theme.templates) {
    try {
      eta.loadTemplate(`@${name}`, eta.compile(source));
    } catch (error) {
      // Eta's message goes on with the whole compiled function after a rule of "=": the reason is enough.
      const reason = (error as Error).message.split(/={5,}/)[0]!.replace(/\s+/g, ' ').trim();
      throw new UsageError(`The theme template ${file} does not compile: ${reason}`);
    }
  }
  return (name, data) => {
    try {
      return eta.render(`@${name}`, data);
    } catch (error) {
      const file = theme.templates.get(name)?.file ?? name;
      throw new UsageError(`The theme template ${file} failed: ${(error as Error).message}`);
    }
  };
}

/**
 * Every file under a folder as "/"-separated relative paths, skipping dot files; none if it is absent.
 * Inside the blog (blogFiles given) the folder is reached through real folders only, and a link in it
 * is an error naming it.
 */
async function listFiles(dir: string, blogFiles?: ConfinedFolder): Promise<string[]> {
  if (blogFiles && !(await blogFiles.folder(dir, false))) return [];
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StorageError(`Cannot read the theme folder ${dir}: ${(error as Error).message}`);
  }
  const visible = entries
    .map((entry) => ({ entry, path: relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/') }))
    .filter(({ path }) => !path.split('/').some((part) => part.startsWith('.')));
  const link = visible.find(({ entry }) => entry.isSymbolicLink());
  if (blogFiles && link) {
    const file = join(dir, link.path);
    throw blogFiles.linkError(file, (await stat(file).catch(() => null))?.isDirectory() ? 'folder' : 'file');
  }
  return visible.filter(({ entry }) => entry.isFile()).map(({ path }) => path);
}
