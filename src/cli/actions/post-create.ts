import path from 'node:path';
import type { CreatePostInput } from '../../api/blog.js';
import { requireHumanDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { datingProblem } from '../../core/posts.js';
import { slugFromTitle } from '../../core/slug.js';
import { defaultAuthor, warnNoAuthor } from '../author.js';
import type { PostCreateOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import { pagePlacement } from '../kinds.js';
import type { Kind } from '../kinds.js';
import { reportProblems } from '../options.js';
import { applyTemplate, draftInteractively } from '../post-draft.js';
import { readBodySource, readPostFile } from '../post-input.js';
import { canPrompt, missingValue } from '../prompts.js';
import { createPickup, dropPickedUp, keepOnFailure } from '../recovery.js';
import { describePost } from '../render.js';
import { blogFor, outputFor } from '../shared.js';

/** `post create` and `page create`: a new post from flags, a --from file, or prompts and the editor in a terminal. */
export async function postCreate(cli: Cli, kind: Kind, opts: PostCreateOptions): Promise<void> {
  const out = outputFor(cli);
  const problems: string[] = [];
  if (opts.body !== undefined && opts.bodyFile !== undefined) problems.push('give --body or --body-file, not both');
  if (opts.from !== undefined && (opts.body !== undefined || opts.bodyFile !== undefined)) {
    problems.push('--from already holds the body: drop --body/--body-file, or drop --from');
  }
  reportProblems(problems);
  const placement = pagePlacement(kind, opts);
  const blog = await blogFor(cli);
  const settings = await blog.settings();
  const now = blog.now();
  // The file's own status and date are checked with its other fields when no flag replaces them.
  const checkDating = opts.status === undefined && opts.at === undefined;
  const front =
    opts.from !== undefined ? await readPostFile(opts.from, cli.ctx.cwd, { now, timezone: settings.timezone, checkDating }) : undefined;
  const title = opts.title ?? front?.title;
  const interactive = title === undefined && canPrompt(cli.ctx, cli.globals());
  if (title === undefined && !interactive) throw missingValue('title', '--title <text>');
  const body = opts.body ?? (opts.bodyFile !== undefined ? await readBodySource(opts.bodyFile, cli.ctx) : front?.body);
  let author = opts.author ?? front?.author;
  if (author === undefined && !settings.author) author = await defaultAuthor(cli, out);
  // Flags win over the file, field by field; the status the author gave wins over what the date implies.
  const at = opts.at !== undefined ? await requireHumanDate(opts.at, now, settings.timezone, '--at') : (front?.date ?? undefined);
  const status = opts.status ?? front?.status;
  const problem = datingProblem(status, at, now);
  const fromFile = (opts.status === undefined && front?.status !== undefined) || (opts.at === undefined && front?.date != null);
  if (problem && fromFile) {
    const { datingMessage } = await import('../../core/post-document.js');
    throw new UsageError(`In ${opts.from}: ${datingMessage(problem, at, settings.timezone, now)}.`);
  }
  let input: CreatePostInput = {
    title: title ?? '',
    slug: opts.slug ?? front?.slug,
    body,
    format: opts.format ?? front?.format,
    excerpt: opts.excerpt ?? front?.excerpt,
    categories: opts.category ?? front?.categories,
    tags: opts.tag ?? front?.tags,
    author,
    status,
    at,
    commentStatus: opts.comments ?? front?.comments,
    sticky: opts.sticky ?? front?.sticky,
    ...(kind.type === 'page' ? { type: 'page' as const, ...placement } : {}),
  };
  // The text written in the editor, as a document `post create --from` reads back, kept if saving fails.
  let written: string | undefined;
  if (interactive) {
    const drafted = await draftInteractively(cli, blog, input, {
      template: opts.template,
      askNext: status === undefined && at === undefined,
    });
    if (drafted.discarded) {
      out.info(`Discarded: no post was created.${drafted.keptIn ? ` The text is kept in ${drafted.keptIn}.` : ''}`);
      return;
    }
    input = drafted.input;
    written = drafted.written;
  } else if (opts.template !== undefined || opts.from === undefined) {
    // Every new post starts from a template (README: templates/post.md unless --template says
    // otherwise); a --from file is a whole post already, and takes one only when asked.
    input = await applyTemplate(blog, input, opts.template);
  }
  const created = await keepOnFailure(blog, { newPost: slugFromTitle(input.title) }, written, () => blog.createPost(input), createPickup);
  // A slug made from the title may have had to give way to another post's; an explicit one never does.
  const fromTitle = slugFromTitle(created.title);
  const suffixed = input.slug === undefined && created.slug !== fromTitle ? ` ("${fromTitle}" is taken by another ${kind.noun})` : '';
  if (opts.porcelain) {
    out.result(created.id);
    if (suffixed) out.info(`The slug is ${created.slug}${suffixed}.`);
  } else {
    out.result(`Created ${describePost(created, settings.timezone)} with slug ${created.slug}${suffixed}`);
  }
  if (created.author === '') warnNoAuthor(out);
  if (opts.from !== undefined) await dropPickedUp(blog, path.resolve(cli.ctx.cwd, opts.from), out);
}
