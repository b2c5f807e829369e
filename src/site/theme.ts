import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta/core';
import { StorageError, UsageError } from '../core/errors.js';
import { sha256 } from './hash.js';

/** The package's default theme: src/site (under jest) and dist/site (built) are both two levels down. */
export const DEFAULT_THEME_DIR = fileURLToPath(new URL('../../templates/theme/', import.meta.url));

/** The templates a theme must provide, by name (file name without ".eta"). */
export const REQUIRED_TEMPLATES = ['layout', 'list', 'post', 'archives', '404'] as const;

/** A theme's files: templates by name, other files (styles, images) to copy by output path. */
export interface Theme {
  templates: Map<string, { source: string; file: string }>;
  assets: Map<string, Buffer>;
  /** Changes whenever any template or asset does, so that every page is rebuilt. */
  hash: string;
}

/** The default theme with a blog's own `templates/theme/` laid over it, file by file. */
export async function loadTheme(defaultDir: string, overrideDir: string): Promise<Theme> {
  const files = new Map<string, string>();
  for (const dir of [defaultDir, overrideDir]) {
    for (const path of await listFiles(dir)) files.set(path, join(dir, path));
  }
  const templates = new Map<string, { source: string; file: string }>();
  const assets = new Map<string, Buffer>();
  const digests: string[] = [];
  for (const path of [...files.keys()].sort()) {
    const file = files.get(path)!;
    const bytes = await readFile(file).catch((error: unknown) => {
      throw new StorageError(`Cannot read the theme file ${file}: ${(error as Error).message}`);
    });
    digests.push(`${path}\0${sha256(bytes)}`);
    if (path.endsWith('.eta')) templates.set(path.slice(0, -'.eta'.length), { source: bytes.toString('utf8'), file });
    else assets.set(path, bytes);
  }
  const missing = REQUIRED_TEMPLATES.filter((name) => !templates.has(name));
  if (missing.length > 0) {
    throw new UsageError(`The theme lacks ${missing.map((m) => m + '.eta').join(', ')}; restore them in ${overrideDir} or remove the override.`);
  }
  return { templates, assets, hash: sha256(digests.join('\n')) };
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
      throw new UsageError(`The theme template ${file} does not compile: ${(error as Error).message}`);
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

/** Every file under a folder as "/"-separated relative paths, skipping dot files; none if it is absent. */
async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StorageError(`Cannot read the theme folder ${dir}: ${(error as Error).message}`);
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')));
}
