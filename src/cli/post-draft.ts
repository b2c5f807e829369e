import path from 'node:path';
/** The author's interactive paths of `post create` and `post edit`: prompts, the editor, templates, recovery. */
import type { Blog, CreatePostInput, PostChanges } from '../api/blog.js';
import type { EditedPost } from '../core/post-document.js';
import { formatDate, parseHumanDate } from '../core/dates.js';
import { ConflictError, UsageError } from '../core/errors.js';
import { slugFromTitle } from '../core/slug.js';
import { POST_STATUSES } from '../core/types.js';
import type { Post } from '../core/types.js';
import type { Cli } from './context.js';
import type { Output } from './output.js';
import { askCategories, askDate, askNextStep, askTags, askText, prompterFor } from './prompts.js';
import { createPickup, dropPickedUp, keepOnFailure, keepText, keptSentence } from './recovery.js';
import type { Pickup } from './recovery.js';
import { outputFor } from './shared.js';
import { documentOfInput, readPostText } from './post-input.js';
import { describePost, previewText } from './render.js';

/** The template's defaults and body for a post whose fields came from flags. */
export async function applyTemplate(blog: Blog, input: CreatePostInput, name: string | undefined): Promise<CreatePostInput> {
  const settings = await blog.settings();
  const { fillTemplate, loadPostTemplate, placeholderValues } = await import('../api/templates.js');
  const template = fillTemplate(
    await loadPostTemplate(blog, name),
    placeholderValues({
      now: blog.now(),
      timezone: settings.timezone,
      author: input.author ?? settings.author,
      blogTitle: settings.title,
      title: input.title,
      slug: input.slug ?? slugFromTitle(input.title),
      categories: input.categories ?? [],
      tags: input.tags ?? [],
    }),
  );
  return {
    ...input,
    body: input.body ?? template.body,
    categories: input.categories ?? template.categories,
    tags: input.tags ?? template.tags,
    excerpt: input.excerpt ?? template.excerpt,
    commentStatus: input.commentStatus ?? template.commentStatus,
    format: input.format ?? template.format,
    sticky: input.sticky ?? template.sticky,
  };
}

/** What the editor shows below the text of a new post; removed when it is saved. */
const POST_NOTES =
  'Write the post above, in Markdown. The line of dashes and everything below it are removed when you save.\n' +
  'Save and quit the editor to go on: a preview follows, then save as a draft, publish, schedule or discard.\n';

type Drafted = { discarded: false; input: CreatePostInput; written: string | undefined } | { discarded: true; keptIn: string | undefined };

/**
 * The interactive `post create`: title, categories, tags, the body in the editor, a preview, then what
 * next. What the flags already say is not asked. Once the editor has run, a cancel or failure keeps the
 * text under recovery.
 */
export async function draftInteractively(
  cli: Cli,
  blog: Blog,
  given: CreatePostInput,
  options: { template: string | undefined; askNext: boolean },
): Promise<Drafted> {
  const { ctx } = cli;
  const out = outputFor(cli);
  const settings = await blog.settings();
  const templates = await import('../api/templates.js');
  const template = await templates.loadPostTemplate(blog, options.template ?? templates.DEFAULT_TEMPLATE);
  const known = { now: blog.now(), timezone: settings.timezone, author: given.author ?? settings.author, blogTitle: settings.title };
  const early = templates.fillTemplate(template, templates.placeholderValues(known));
  const title = (await askText(ctx, 'Title', { required: true, ...(early.title ? { default: early.title } : {}) })).trim();
  const summaries = await blog.listPosts({ status: [...POST_STATUSES] });
  const categories = given.categories ?? (await askCategories(ctx, byUse(summaries.map((p) => p.categories)), early.categories));
  const tags = given.tags ?? (await askTags(ctx, byUse(summaries.map((p) => p.tags)), early.tags));
  const slug = given.slug ?? slugFromTitle(title);
  const filled = templates.fillTemplate(template, templates.placeholderValues({ ...known, title, slug, categories, tags }));
  const excerpt = given.excerpt ?? filled.excerpt;
  const { writePostDocument } = await import('../core/post-document.js');
  const document = (body: string) =>
    writePostDocument(
      documentOfInput({
        ...given,
        title,
        categories,
        tags,
        excerpt,
        commentStatus: given.commentStatus ?? filled.commentStatus,
        format: given.format ?? filled.format,
        sticky: given.sticky ?? filled.sticky,
        body,
      }),
      { timezone: settings.timezone },
    );
  const keep = async (body: string) => keepText(blog, { newPost: slug }, document(body), createPickup);
  let body = given.body;
  let written: string | undefined;
  if (body === undefined) {
    const { editInEditor, quickReturnWarning } = await import('./editor.js');
    const notes = (filled.format ?? given.format) === 'html' ? POST_NOTES.replace('Markdown', 'HTML') : POST_NOTES;
    const result = await editInEditor(ctx, filled.body, { name: `${slug}.md`, notes, onAbandoned: keep });
    if (!result.changed && result.quick) out.warn(quickReturnWarning(result.command));
    body = result.text;
    if (result.changed) written = document(body);
  }
  const input: CreatePostInput = {
    ...given,
    title,
    body,
    categories,
    tags,
    excerpt,
    commentStatus: given.commentStatus ?? filled.commentStatus,
    format: given.format ?? filled.format,
    sticky: given.sticky ?? filled.sticky,
  };
  out.info(previewText(input, settings.timezone, out.color, (ctx.stdout as { columns?: number }).columns));
  const now = blog.now();
  const step = options.askNext ? await keepOnFailure(blog, { newPost: slug }, written, () => askNextStep(ctx), createPickup) : 'as-given';
  if (step === 'discard') {
    return { discarded: true, keptIn: written !== undefined ? await blog.keepText({ newPost: slug }, written) : undefined };
  }
  if (step === 'publish') {
    input.status = 'published';
    input.at = undefined;
  } else if (step === 'schedule') {
    input.status = 'scheduled';
    input.at = await keepOnFailure(
      blog,
      { newPost: slug },
      written,
      () =>
        askDate(
          ctx,
          'Publish at (e.g. "tomorrow 9am", 2026-12-01 09:00)',
          (text) => parseHumanDate(text, now, settings.timezone),
          (date) =>
            date.getTime() > now.getTime()
              ? true
              : `That is not in the future (it is now ${formatDate(now.toISOString(), settings.timezone)}).`,
        ),
      createPickup,
    );
  } else if (step === 'draft') {
    input.status = 'draft';
    input.at = undefined;
  }
  return { discarded: false, input, written };
}

/** Names in the order of how many posts use them, then alphabetically; one spelling per name. */
function byUse(lists: string[][]): string[] {
  const counts = new Map<string, { name: string; n: number }>();
  for (const name of lists.flat()) {
    const key = name.toLowerCase();
    const entry = counts.get(key) ?? { name, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name)).map((e) => e.name);
}

/** How `post edit` picks up a kept edit: applied to the post only if nobody wrote to it since. */
function editPickup(post: Post): Pickup {
  return (file) => `termpress post edit ${post.id} --from ${file} --if-revision ${post.revision}`;
}

/**
 * `post edit <ref>` in the editor: the post as Markdown with front matter; on save, what changed is written
 * against the revision the edit began from. Invalid text is kept under recovery before anything else, in
 * one file for the whole edit however many rounds it takes, and that file goes once the edit is saved.
 */
export async function editInEditorFlow(cli: Cli, blog: Blog, ref: string, expectedRevision: number | undefined): Promise<void> {
  const out = outputFor(cli);
  const settings = await blog.settings();
  const tz = settings.timezone;
  const { editorDocument, readEditedPost } = await import('../core/post-document.js');
  const { editInEditor, quickReturnWarning } = await import('./editor.js');
  const base = await blog.getPost(ref);
  const original = editorDocument(base, tz);
  const editing = { post: base.id };
  const pickup = editPickup(base);
  let kept: string | undefined;
  const keep = async (text: string) => {
    kept = await blog.keepText(editing, text, { replace: kept });
    return kept;
  };
  let text = original;
  for (;;) {
    const result = await editInEditor(cli.ctx, text, {
      name: `${base.slug}.md`,
      onAbandoned: async (saved) => keptSentence(await keep(saved), pickup),
    });
    if (!result.changed && result.quick) out.warn(quickReturnWarning(result.command));
    if (result.text === original) {
      out.result(`No changes to ${base.id} (revision ${base.revision}).`);
      return;
    }
    let edited: EditedPost;
    try {
      edited = await readEditedPost(result.text, { base, now: blog.now(), timezone: tz });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const file = await keep(result.text);
      out.error(`${error.message} Your text is kept in ${file}.`);
      const next = await prompterFor(cli.ctx).select(
        'What now?',
        [
          { value: 'reopen', name: 'Re-open the editor on my text' },
          { value: 'quit', name: 'Quit (the post stays as it was)' },
        ],
        { default: 'reopen' },
      );
      if (next === 'quit') throw new UsageError(`The post was not changed. ${keptSentence(file, pickup)}`);
      text = result.text;
      continue;
    }
    const outcome = await keepOnFailure(
      blog,
      editing,
      result.text,
      () => applyEdit(blog, base, edited, { text: result.text, expectedRevision, timezone: tz }),
      pickup,
    );
    reportEdit(out, base, outcome, tz);
    if (kept !== undefined) await dropPickedUp(blog, kept, out);
    return;
  }
}

/**
 * `post edit <ref> --from <file>`: a post document (a kept edit, an exported post) applied to the post as
 * an edit in the editor would be: only what differs is written. Once saved, a file kept under recovery goes.
 */
export async function editFromFile(cli: Cli, blog: Blog, ref: string, source: string, expectedRevision: number | undefined): Promise<void> {
  const out = outputFor(cli);
  const tz = (await blog.settings()).timezone;
  const { readEditedPost } = await import('../core/post-document.js');
  const text = await readPostText(source, cli.ctx.cwd);
  const base = await blog.getPost(ref);
  if (expectedRevision !== undefined && base.revision !== expectedRevision) {
    throw new ConflictError(
      `Edit conflict: post ${base.id} is at revision ${base.revision}, not ${expectedRevision}: someone wrote to it since. ` +
        `${source} is left as it was; look at termpress post show ${base.id}, then edit again, or apply the file anyway without --if-revision.`,
    );
  }
  const edited = await readEditedPost(text, { base, now: blog.now(), timezone: tz, where: source, requireFrontMatter: false });
  // The text is in its file already: a conflict leaves that file as it is rather than copying it.
  const outcome = await applyEdit(blog, base, edited, { text: undefined, expectedRevision, timezone: tz });
  reportEdit(out, base, outcome, tz);
  await dropPickedUp(blog, path.resolve(cli.ctx.cwd, source), out);
}

function reportEdit(out: Output, base: Post, outcome: { post: Post; changed: string[] }, timezone: string): void {
  if (outcome.changed.length === 0) out.result(`No changes to ${base.id} (revision ${outcome.post.revision}).`);
  else out.result(`Updated ${describePost(outcome.post, timezone)}: ${outcome.changed.join(', ')} (revision ${outcome.post.revision})`);
}

const FIELD_STATUSES: ReadonlyArray<Post['status']> = ['draft', 'pending'];

/**
 * Writes an edited document: the fields through updatePost (which checks them against the base), a
 * draft's date with them, then a status change or a published date through the transition it means
 * (publish, unpublish, trash, restore).
 */
export async function applyEdit(
  blog: Blog,
  base: Post,
  edited: EditedPost,
  options: { text: string | undefined; expectedRevision: number | undefined; timezone: string },
): Promise<{ post: Post; changed: string[] }> {
  const changes: PostChanges = {};
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  if (edited.title !== base.title) changes.title = edited.title;
  if (edited.slug !== base.slug) changes.slug = edited.slug;
  if (edited.body !== base.body) changes.body = edited.body;
  if (differs(edited.categories, base.categories)) changes.categories = edited.categories;
  if (differs(edited.tags, base.tags)) changes.tags = edited.tags;
  if (edited.excerpt !== base.excerpt) changes.excerpt = edited.excerpt;
  if (edited.author !== base.author) changes.author = edited.author;
  if (edited.comments !== base.commentStatus) changes.commentStatus = edited.comments;
  if (edited.format !== base.format) changes.format = edited.format;
  if (edited.sticky !== base.sticky) changes.sticky = edited.sticky;
  const simpleStatus = FIELD_STATUSES.includes(base.status) && FIELD_STATUSES.includes(edited.status);
  if (edited.status !== base.status && simpleStatus) changes.status = edited.status as 'draft' | 'pending';
  const wantedDate = edited.date ? edited.date.toISOString() : null;
  const dateChanged = wantedDate !== base.publishedAt;
  // A draft's date is a field like the others: the date a later publish uses.
  if (simpleStatus && dateChanged) changes.publishedAt = wantedDate;
  const dated = edited.status === 'published' || edited.status === 'scheduled';
  const transition = (edited.status !== base.status && !simpleStatus) || (dated && dateChanged);
  if (transition) {
    // Transitions carry no conflict check of their own: the status and date must still be as the edit found them.
    const current = await blog.getPost(base.id);
    if (current.status !== base.status || current.publishedAt !== base.publishedAt) {
      const file = options.text !== undefined ? await blog.keepText({ post: base.id }, options.text) : undefined;
      throw new ConflictError(
        `Edit conflict: post ${base.id} changed since the edit began (status, date).${file ? ` Your text is kept in ${file}.` : ''} ` +
          `Look at termpress post show ${base.id}, then edit again.`,
        file,
      );
    }
  }
  const changed: string[] = [];
  let post = base;
  if (Object.keys(changes).length) {
    const result = await blog.updatePost(base.id, changes, {
      base,
      recoveryText: options.text,
      expectedRevision: options.expectedRevision,
    });
    post = result.post;
    changed.push(...result.changed.map((field) => (field === 'publishedAt' ? 'date' : field)));
  }
  if (transition) {
    post = await moveTo(blog, post, edited, blog.now());
    if (post.status !== base.status && !changed.includes('status')) changed.push('status');
    if (post.publishedAt !== base.publishedAt && !changed.includes('date')) changed.push('date');
  }
  return { post, changed };
}

/** Takes a post to the status and date an edit asks for, through the transitions of the lifecycle. */
async function moveTo(blog: Blog, post: Post, edited: EditedPost, now: Date): Promise<Post> {
  const target = edited.status;
  if (target === 'trash') return post.status === 'trash' ? post : (await blog.trashPost(post.id)).post;
  let current = post.status === 'trash' ? (await blog.restorePost(post.id)).post : post;
  if (target === 'published' || target === 'scheduled') {
    // An empty date publishes now, even for a draft that had a date: the text says so.
    return (await blog.publishPost(current.id, { at: edited.date ?? now })).post;
  }
  if (current.status === 'published' || current.status === 'scheduled') current = (await blog.unpublishPost(current.id)).post;
  const publishedAt = edited.date ? edited.date.toISOString() : null;
  if (current.status !== target || current.publishedAt !== publishedAt) {
    current = (await blog.updatePost(current.id, { status: target, publishedAt })).post;
  }
  return current;
}
