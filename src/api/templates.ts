/**
 * Templates: the scaffolds a new post starts from (templates/<name>.md, the blog's own folder before
 * the package's), and the placeholders filled in them. The document itself is read by core/post-document.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wallTime } from '../core/dates.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { readPostDocument } from '../core/post-document.js';
import type { DocumentKey } from '../core/post-document.js';
import { uniqueList } from '../core/lists.js';
import { readTextIfExists, storageFailure } from '../store/fsx.js';
import { displayPath } from '../store/layout.js';
import type { Blog, CreatePostInput } from './blog.js';

/** The templates that ship with termpress (next to dist/ and src/ alike). */
export const PACKAGE_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The template a new post starts from when none is named. */
export const DEFAULT_TEMPLATE = 'post';

/** The placeholder names a template may use, written {{name}} (spaces inside the braces allowed). */
export const PLACEHOLDERS = [
  'title',
  'slug',
  'author',
  'blog',
  'date',
  'time',
  'datetime',
  'year',
  'month',
  'day',
  'categories',
  'tags',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What a template gives a new post: defaults for the prompts and the body's starting text. */
export type PostTemplate = Partial<
  Pick<CreatePostInput, 'title' | 'categories' | 'tags' | 'excerpt' | 'commentStatus' | 'format' | 'sticky'>
> & {
  name: string;
  /** The file it was read from. */
  file: string;
  body: string;
};

/** What a template's front matter may give: defaults, not the slug, status or date of one post. */
const TEMPLATE_KEYS: readonly DocumentKey[] = ['title', 'categories', 'tags', 'excerpt', 'comments', 'format', 'sticky'];

/** The folders searched for templates, the blog's own first. */
export function templateFolders(blog: Pick<Blog, 'store'>): string[] {
  return [blog.store.layout.templatesDir, PACKAGE_TEMPLATES_DIR];
}

/**
 * Reads templates/<name>.md from the blog's folder, else the package's; missing is exit 3 naming both
 * folders. The blog's own is read through its folder, so a template that is a link (to ~/.ssh/...,
 * say, whose text would become a post) is refused.
 */
export async function loadPostTemplate(blog: Pick<Blog, 'store' | 'now' | 'settings'>, name = DEFAULT_TEMPLATE): Promise<PostTemplate> {
  const wanted = name.replace(/\.md$/i, '');
  if (wanted === '' || /[/\\]/.test(wanted) || wanted.startsWith('.')) {
    throw new UsageError(`Invalid template name "${name}" for --template: give a file name such as "post", without folders.`);
  }
  const folders = templateFolders(blog);
  for (const folder of folders) {
    const file = path.join(folder, `${wanted}.md`);
    const text = folder === blog.store.layout.templatesDir ? await blog.store.files.readText(file) : await readTextIfExists(file);
    if (text !== null) return parseTemplate(wanted, file, text, blog.now(), (await blog.settings()).timezone);
  }
  throw new NotFoundError(
    `No template "${wanted}": looked for ${wanted}.md in ${folders.map((f) => displayPath(f)).join(' and ')}. ` +
      `Run termpress init --templates to copy the defaults into the blog.`,
  );
}

async function parseTemplate(name: string, file: string, text: string, now: Date, timezone: string): Promise<PostTemplate> {
  const doc = await readPostDocument(text, { where: `the template ${displayPath(file)}`, keys: TEMPLATE_KEYS, now, timezone });
  return {
    name,
    file,
    title: doc.title,
    categories: doc.categories,
    tags: doc.tags,
    excerpt: doc.excerpt,
    commentStatus: doc.comments,
    format: doc.format,
    sticky: doc.sticky,
    body: doc.body.replace(/^(?:\r?\n)+/, ''),
  };
}

/** The values of the placeholders for a new post at this moment; what is not known yet stays unfilled. */
export function placeholderValues(input: {
  now: Date;
  timezone: string;
  author?: string | undefined;
  blogTitle?: string | undefined;
  title?: string | undefined;
  slug?: string | undefined;
  categories?: string[] | undefined;
  tags?: string[] | undefined;
}): Partial<Record<Placeholder, string>> {
  const values: Partial<Record<Placeholder, string>> = {
    datetime: input.now.toISOString(),
    author: input.author ?? '',
    blog: input.blogTitle ?? '',
  };
  // A timezone that is not one leaves the date's placeholders as they are written.
  const local = wallTime(input.now, input.timezone);
  if (local) {
    const { year, month, day, hour, minute } = local;
    Object.assign(values, { date: `${year}-${month}-${day}`, time: `${hour}:${minute}`, year, month, day });
  }
  if (input.title !== undefined) values.title = input.title;
  if (input.slug !== undefined) values.slug = input.slug;
  if (input.categories !== undefined) values.categories = input.categories.join(', ');
  if (input.tags !== undefined) values.tags = input.tags.join(', ');
  return values;
}

/** Replaces {{name}} with its value; unknown names and names without a value are left as written. */
export function fillPlaceholders(text: string, values: Partial<Record<string, string>>): string {
  return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A template with its placeholders filled in: in the front matter's texts and in the body. */
export function fillTemplate(template: PostTemplate, values: Partial<Record<string, string>>): PostTemplate {
  const fill = (text: string | undefined) => (text === undefined ? undefined : fillPlaceholders(text, values));
  const fillList = (list: string[] | undefined) =>
    list === undefined ? undefined : uniqueList(list.map((v) => fillPlaceholders(v, values)));
  return {
    ...template,
    title: fill(template.title),
    categories: fillList(template.categories),
    tags: fillList(template.tags),
    excerpt: fill(template.excerpt),
    body: fillPlaceholders(template.body, values),
  };
}

/**
 * Copies the package's templates into the blog's templates/ folder for customising: the post scaffolds
 * (the top-level *.md files) and the whole site theme (theme/, which `build` lays the blog's own files
 * over). Files already there are kept, never overwritten.
 */
export async function copyDefaultTemplates(blog: Pick<Blog, 'store'>): Promise<{ copied: string[]; kept: string[] }> {
  let names: string[];
  try {
    const scaffolds = (await fs.readdir(PACKAGE_TEMPLATES_DIR)).filter((n) => n.endsWith('.md'));
    const theme = await fs.readdir(path.join(PACKAGE_TEMPLATES_DIR, 'theme'), { recursive: true, withFileTypes: true });
    const themeFiles = theme.filter((e) => e.isFile()).map((e) => path.relative(PACKAGE_TEMPLATES_DIR, path.join(e.parentPath, e.name)));
    names = [...scaffolds.sort(), ...themeFiles.sort()];
  } catch (error) {
    throw storageFailure('read the folder', PACKAGE_TEMPLATES_DIR, error);
  }
  const target = blog.store.layout.templatesDir;
  const copied: string[] = [];
  const kept: string[] = [];
  for (const name of names) {
    const file = path.join(target, name);
    if ((await blog.store.files.stat(file)) !== null) {
      kept.push(file);
      continue;
    }
    // Bytes, not text: the theme may hold images and fonts.
    const bytes = await fs.readFile(path.join(PACKAGE_TEMPLATES_DIR, name)).catch((error: unknown) => {
      throw storageFailure('read', path.join(PACKAGE_TEMPLATES_DIR, name), error);
    });
    await blog.store.files.write(file, bytes);
    copied.push(file);
  }
  return { copied, kept };
}
