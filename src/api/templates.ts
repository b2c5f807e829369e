/**
 * Post documents: the scaffolds a new post starts from (templates/<name>.md, the blog's own folder
 * before the package's), and a post written out as Markdown with YAML front matter for the editor.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { formatDate, requireHumanDate } from '../core/dates.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { uniqueList } from '../core/posts.js';
import { slugProblem } from '../core/slug.js';
import { POST_STATUSES } from '../core/types.js';
import type { CommentOpenness, Post, PostFormat, PostStatus } from '../core/types.js';
import { readTextIfExists, storageFailure } from '../store/fsx.js';
import { displayPath } from '../store/layout.js';
import type { Blog } from './blog.js';

/** The templates that ship with termpress (next to dist/ and src/ alike). */
export const PACKAGE_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The template a new post starts from when none is named. */
export const DEFAULT_TEMPLATE = 'post';

/** The placeholder names a template may use, written {{name}} (spaces inside the braces allowed). */
export const PLACEHOLDERS = [
  'title', 'slug', 'author', 'blog', 'date', 'time', 'datetime', 'year', 'month', 'day', 'categories', 'tags',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What a template gives a new post: defaults for the prompts and the body's starting text. */
export interface PostTemplate {
  name: string;
  /** The file it was read from. */
  file: string;
  title?: string | undefined;
  categories?: string[] | undefined;
  tags?: string[] | undefined;
  excerpt?: string | undefined;
  commentStatus?: CommentOpenness | undefined;
  format?: PostFormat | undefined;
  body: string;
}

const TEMPLATE_KEYS = ['title', 'categories', 'tags', 'excerpt', 'comments', 'format'];

/** The folders searched for templates, the blog's own first. */
export function templateFolders(blog: Pick<Blog, 'store'>): string[] {
  return [blog.store.layout.templatesDir, PACKAGE_TEMPLATES_DIR];
}

/**
 * Reads templates/<name>.md from the blog's folder, else the package's; missing is exit 3 naming both
 * folders. The blog's own is read through its folder, so a template that is a link (to ~/.ssh/...,
 * say, whose text would become a post) is refused.
 */
export async function loadPostTemplate(blog: Pick<Blog, 'store'>, name = DEFAULT_TEMPLATE): Promise<PostTemplate> {
  const wanted = name.replace(/\.md$/i, '');
  if (wanted === '' || /[/\\]/.test(wanted) || wanted.startsWith('.')) {
    throw new UsageError(`Invalid template name "${name}" for --template: give a file name such as "post", without folders.`);
  }
  const folders = templateFolders(blog);
  for (const folder of folders) {
    const file = path.join(folder, `${wanted}.md`);
    const text = folder === blog.store.layout.templatesDir ? await blog.store.files.readText(file) : await readTextIfExists(file);
    if (text !== null) return parseTemplate(wanted, file, text);
  }
  throw new NotFoundError(
    `No template "${wanted}": looked for ${wanted}.md in ${folders.map((f) => displayPath(f)).join(' and ')}. ` +
      `Run termpress init --templates to copy the defaults into the blog.`,
  );
}

async function parseTemplate(name: string, file: string, text: string): Promise<PostTemplate> {
  const { data, content } = await parseFrontMatter(text, displayPath(file));
  const where = `the template ${displayPath(file)}`;
  const unknown = Object.keys(data).filter((key) => !TEMPLATE_KEYS.includes(key));
  if (unknown.length) {
    throw new UsageError(`Unknown key "${unknown.join('", "')}" in ${where}: use ${TEMPLATE_KEYS.join(', ')}.`);
  }
  const comments = asText(data.comments, 'comments', where);
  if (comments !== undefined && comments !== 'open' && comments !== 'closed') {
    throw new UsageError(`In ${where}, comments must be open or closed, not "${comments}".`);
  }
  const format = asText(data.format, 'format', where);
  if (format !== undefined && format !== 'markdown' && format !== 'html') {
    throw new UsageError(`In ${where}, format must be markdown or html, not "${format}".`);
  }
  return {
    name,
    file,
    title: asText(data.title, 'title', where),
    categories: asList(data.categories, 'categories', where),
    tags: asList(data.tags, 'tags', where),
    excerpt: asText(data.excerpt, 'excerpt', where),
    commentStatus: comments as CommentOpenness | undefined,
    format: format as PostFormat | undefined,
    body: content.replace(/^(?:\r?\n)+/, ''),
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
  const local = DateTime.fromJSDate(input.now, { zone: input.timezone });
  const values: Partial<Record<Placeholder, string>> = {
    date: local.toFormat('yyyy-LL-dd'),
    time: local.toFormat('HH:mm'),
    datetime: input.now.toISOString(),
    year: local.toFormat('yyyy'),
    month: local.toFormat('LL'),
    day: local.toFormat('dd'),
    author: input.author ?? '',
    blog: input.blogTitle ?? '',
  };
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
  const fillList = (list: string[] | undefined) => (list === undefined ? undefined : uniqueList(list.map((v) => fillPlaceholders(v, values))));
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
 * Copies the package's templates (the top-level *.md files) into the blog's templates/ folder for
 * customising. Files already there are kept, never overwritten.
 */
export async function copyDefaultTemplates(blog: Pick<Blog, 'store'>): Promise<{ copied: string[]; kept: string[] }> {
  let names: string[];
  try {
    names = (await fs.readdir(PACKAGE_TEMPLATES_DIR)).filter((n) => n.endsWith('.md')).sort();
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
    const text = await fs.readFile(path.join(PACKAGE_TEMPLATES_DIR, name), 'utf8').catch((error: unknown) => {
      throw storageFailure('read', path.join(PACKAGE_TEMPLATES_DIR, name), error);
    });
    await blog.store.files.write(file, text);
    copied.push(file);
  }
  return { copied, kept };
}

// ---- A post as a document for the editor ----------------------------------------------------------

/** The front matter keys of a post document, in the order they are written. */
export const DOCUMENT_KEYS = ['title', 'slug', 'status', 'categories', 'tags', 'excerpt', 'date', 'comments'] as const;

const DOCUMENT_NOTE =
  '# Save and quit to apply; quit without saving to change nothing. The status is one of draft, pending,\n' +
  '# published, scheduled or trash; the date (blog time zone, words allowed) is when a published or\n' +
  '# scheduled post appears, empty for now; comments are open or closed.\n';

/** A post as Markdown with YAML front matter, the way `post edit` hands it to the editor. */
export async function postDocument(post: Post, timezone: string): Promise<string> {
  const { default: matter } = await import('gray-matter');
  const data = {
    title: post.title,
    slug: post.slug,
    status: post.status,
    categories: post.categories,
    tags: post.tags,
    excerpt: post.excerpt,
    date: post.publishedAt ? formatDate(post.publishedAt, timezone) : null,
    comments: post.commentStatus,
  };
  const front = matter.stringify('', data).replace(/\n+$/, '\n');
  return `---\n${DOCUMENT_NOTE}${front.slice(4)}${post.body}`;
}

/** A new post as a document, e.g. for recovery: what `post create --from <file>` reads back. */
export async function newPostDocument(input: {
  title: string;
  categories?: string[] | undefined;
  tags?: string[] | undefined;
  excerpt?: string | undefined;
  body: string;
}): Promise<string> {
  const { default: matter } = await import('gray-matter');
  const data: Record<string, unknown> = { title: input.title, categories: input.categories ?? [], tags: input.tags ?? [] };
  if (input.excerpt) data.excerpt = input.excerpt;
  return `${matter.stringify('', data).replace(/\n+$/, '\n')}${input.body}`;
}

/** What an edited document says, checked; `status` and `date` are what the person wants them to be. */
export interface EditedPost {
  title: string;
  slug: string;
  status: PostStatus;
  categories: string[];
  tags: string[];
  excerpt: string;
  /** The date as typed, or null when empty. */
  dateText: string | null;
  /** The date read in the blog's time zone, or null when empty. */
  date: Date | null;
  commentStatus: CommentOpenness;
  body: string;
}

/**
 * Reads an edited post document. A front matter that does not parse, an unknown key or an invalid value
 * is a usage error naming it; the status and date are checked against each other when either changed.
 */
export async function readPostDocument(
  text: string,
  options: { base: Post; now: Date; timezone: string },
): Promise<EditedPost> {
  const { base, now, timezone } = options;
  if (!/^---\r?\n/.test(text)) {
    throw new UsageError('The front matter is missing: the text must begin with a line "---", the fields, and another "---".');
  }
  const { data, content } = await parseFrontMatter(text, 'the front matter');
  const where = 'the front matter';
  const unknown = Object.keys(data).filter((key) => !(DOCUMENT_KEYS as readonly string[]).includes(key));
  if (unknown.length) throw new UsageError(`Unknown key "${unknown.join('", "')}" in ${where}: use ${DOCUMENT_KEYS.join(', ')}.`);
  const title = (asText(data.title, 'title', where) ?? '').trim();
  if (title === '') throw new UsageError('The title may not be empty.');
  const slug = (asText(data.slug, 'slug', where) ?? '').trim();
  const problem = slugProblem(slug);
  if (problem) throw new UsageError(`Invalid slug "${slug}": ${problem}.`);
  const status = asText(data.status, 'status', where) ?? '';
  if (!(POST_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`Unknown status "${status}": use ${POST_STATUSES.join(', ')}.`);
  }
  const comments = asText(data.comments, 'comments', where) ?? base.commentStatus;
  if (comments !== 'open' && comments !== 'closed') throw new UsageError(`comments must be open or closed, not "${comments}".`);
  const dateText = rawDateText(text, data.date);
  const date = dateText === null ? null : await requireHumanDate(dateText, now, timezone, '"date" in the front matter');
  const baseDate = base.publishedAt ? formatDate(base.publishedAt, timezone) : null;
  const dateChanged = (dateText ?? null) !== baseDate;
  if (status !== base.status || dateChanged) {
    if (status === 'scheduled' && (!date || date.getTime() <= now.getTime())) {
      throw new UsageError(`A scheduled post needs a future date: give date a time after ${formatDate(now.toISOString(), timezone)}.`);
    }
    if (status === 'published' && date && date.getTime() > now.getTime()) {
      throw new UsageError(`date ${dateText} is in the future: set status: scheduled, or empty the date to publish now.`);
    }
  }
  const body = sameText(content, base.body) ? base.body : content;
  return {
    title,
    slug,
    status: status as PostStatus,
    categories: uniqueList(asList(data.categories, 'categories', where) ?? []),
    tags: uniqueList(asList(data.tags, 'tags', where) ?? []),
    excerpt: asText(data.excerpt, 'excerpt', where) ?? '',
    dateText,
    date,
    commentStatus: comments,
    body,
  };
}

// Editors add or drop a final newline; that alone is not a change to the body.
function sameText(a: string, b: string): boolean {
  return a.replace(/\s+$/, '') === b.replace(/\s+$/, '');
}

// YAML reads an unquoted 2026-12-01 as midnight UTC; the person meant the blog's time zone, so the
// date is read again from the line they typed.
function rawDateText(text: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (value instanceof Date) {
    const front = text.split(/\r?\n---\s*(?:\r?\n|$)/)[0] ?? '';
    const line = /^date:[ \t]*(.*)$/m.exec(front);
    const typed = line?.[1]?.replace(/\s+#.*$/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
    return typed || value.toISOString();
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const typed = String(value).trim();
    return typed === '' ? null : typed;
  }
  throw new UsageError('date must be a date such as 2026-12-01 09:00, or empty.');
}

async function parseFrontMatter(text: string, where: string): Promise<{ data: Record<string, unknown>; content: string }> {
  const { default: matter } = await import('gray-matter');
  try {
    // Passing options turns off gray-matter's cache, which would share one text's data with another.
    const parsed = matter(text, {});
    const data = parsed.data as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new UsageError(`${capitalise(where)} must be a list of "key: value" lines.`);
    }
    return { data: data as Record<string, unknown>, content: parsed.content };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason = (error as Error).message.split('\n')[0]?.replace(/\s*:\s*$/, '') ?? 'unreadable';
    throw new UsageError(`${capitalise(where)} does not parse as YAML: ${reason}.`);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function asList(value: unknown, key: string, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  throw new UsageError(`In ${where}, ${key} must be a list of names or a comma list.`);
}

function asText(value: unknown, key: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UsageError(`In ${where}, ${key} must be text.`);
}

