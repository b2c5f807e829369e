import path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import type { CreatePostInput, PostChanges, PostTransition, TransitionOptions } from '../../api/blog.js';
import type { PostQuery } from '../../api/query.js';
import { parseSortKey } from '../../api/query.js';
import { formatDate, requireHumanDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { assertEditableStatus, countComments, datingProblem, parsePostStatuses, postDate } from '../../core/posts.js';
import { slugFromTitle } from '../../core/slug.js';
import { byMenuOrder, pagePaths } from '../../core/pages.js';
import type { Post, PostType } from '../../core/types.js';
import type { PostSummary } from '../../api/blog.js';
import type { Cli } from '../context.js';
import { renderList, toJson } from '../output.js';
import { dateWindowOf, listFieldsOf, listFormatOf, showFormatOf, withDateWindow, withListFormat, withShowFormat } from '../options.js';
import type { Column } from '../output.js';
import { canPrompt, confirmOrCancel, missingValue } from '../prompts.js';
import { blogFor, collectList, forEachItem, outputFor, parseCount, problemCollector, reportProblems } from '../shared.js';
import { applyTemplate, draftInteractively, editFromFile, editInEditorFlow } from './post-draft.js';
import { defaultAuthor, warnNoAuthor } from '../author.js';
import { createPickup, dropPickedUp, keepOnFailure } from '../recovery.js';
import { readBodySource, readPostFile } from './post-input.js';
import { describePost, renderPostText } from '../render.js';
import { conflictLines, resolveCommand } from './post-resolve.js';

const SUMMARY_FIELDS = [
  'id',
  'slug',
  'title',
  'author',
  'status',
  'categories',
  'tags',
  'excerpt',
  'format',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'permalinkDate',
  'commentStatus',
  'sticky',
  'revision',
  'commentCounts',
] as const;
/** The fields --fields may name: the summary's, and the like count (in csv only when asked for, to keep its shape). */
const LIST_FIELDS = [...SUMMARY_FIELDS, 'likes'] as const;
/** A page's summary has its place in the tree as well. */
const PAGE_SUMMARY_FIELDS = [...SUMMARY_FIELDS, 'parentId', 'menuOrder'] as const;
const PAGE_LIST_FIELDS = [...PAGE_SUMMARY_FIELDS, 'likes'] as const;

/** The columns of commentCounts in CSV, in the order JSON gives them. */
const COUNT_KEYS = Object.keys(countComments({ comments: [] }));

/** What a command group works on: posts, or pages, with one machinery and their own words. */
interface Kind {
  type: PostType;
  noun: 'post' | 'page';
  plural: 'posts' | 'pages';
}

const POSTS: Kind = { type: 'post', noun: 'post', plural: 'posts' };
const PAGES: Kind = { type: 'page', noun: 'page', plural: 'pages' };

/** `termpress post ...`: the post lifecycle. */
export function postCommand(cli: Cli) {
  return contentCommand(cli, POSTS, 'create, list, show, edit and publish posts');
}

/** `termpress page ...`: pages ("About", "Contact"), with the posts' lifecycle, outside the date lists and feeds. */
export function pageCommand(cli: Cli) {
  return contentCommand(
    cli,
    PAGES,
    'create, list, show, edit and publish pages (About, Contact): no date in their address, never in lists or feeds',
  );
}

function contentCommand(cli: Cli, kind: Kind, description: string) {
  const { plural } = kind;
  const group = new Command(kind.noun).description(description);
  group.addCommand(createCommand(cli, kind));
  group.addCommand(listCommand(cli, kind));
  group.addCommand(showCommand(cli, kind));
  group.addCommand(editCommand(cli, kind));
  group.addCommand(publishCommand(cli, kind));
  group.addCommand(
    transitionCommand(cli, kind, 'unpublish', `return ${plural} to draft`, (b, ref, o) => b.unpublishPost(ref, o), {
      done: 'Unpublished',
      would: 'Would unpublish',
    }),
  );
  group.addCommand(
    transitionCommand(cli, kind, 'trash', `move ${plural} to the trash (restore brings them back)`, (b, ref, o) => b.trashPost(ref, o), {
      done: 'Trashed',
      would: 'Would trash',
    }),
  );
  group.addCommand(
    transitionCommand(cli, kind, 'restore', `bring ${plural} back from the trash`, (b, ref, o) => b.restorePost(ref, o), {
      done: 'Restored',
      would: 'Would restore',
    }),
  );
  group.addCommand(deleteCommand(cli, kind));
  group.addCommand(likesCommand(cli, kind));
  group.addCommand(resolveCommand(cli, kind.noun));
  return group;
}

/** The --parent and --order of a page; a post has neither. */
function pagePlacement(
  kind: Kind,
  opts: { parent?: string | undefined; order?: number | undefined },
): { parent?: string; menuOrder?: number } {
  if (kind.type !== 'page') {
    if (opts.parent !== undefined || opts.order !== undefined)
      throw new UsageError('Only pages have --parent and --order: use termpress page.');
    return {};
  }
  return { ...(opts.parent !== undefined ? { parent: opts.parent } : {}), ...(opts.order !== undefined ? { menuOrder: opts.order } : {}) };
}

function createCommand(cli: Cli, kind: Kind) {
  return new Command('create')
    .alias('new')
    .description(`create a ${kind.noun} (a draft unless --status or --at says otherwise)`)
    .option('--title <text>', 'the title')
    .option('--slug <slug>', 'the slug (default: made from the title)')
    .option('--body <text>', 'the body, as Markdown')
    .option('--body-file <path>', 'read the body from a file, or - for standard input')
    .option(
      '--from <file.md>',
      'a Markdown file with YAML front matter (title, slug, status, date, author, categories, tags, excerpt, comments, format, sticky)',
    )
    .option('--category <name>', 'a category (repeatable, or a comma list)', collectList)
    .option('--tag <name>', 'a tag (repeatable, or a comma list)', collectList)
    .option('--excerpt <text>', 'a short summary')
    .option('--author <name>', 'the author (default: the blog author, then `config --global author.name`)')
    .addOption(
      new Option('--status <status>', 'draft, pending, published, scheduled or trash').choices([
        'draft',
        'pending',
        'published',
        'scheduled',
        'trash',
      ] as const),
    )
    .option(
      '--at <date>',
      'the date: alone, a past date publishes and a future one schedules; with --status draft or pending, the date a later publish uses ("tomorrow 9am", ISO 8601)',
    )
    .addOption(new Option('--comments <state>', 'whether readers may comment').choices(['open', 'closed'] as const))
    .addOption(new Option('--format <format>', 'the body format').choices(['markdown', 'html'] as const))
    .option('--sticky', 'keep the post at the top of the home page (posts only)')
    .option('--parent <ref>', 'the page this page sits under, which its address follows (pages only)')
    .option('--order <n>', "the page's place in the navigation, lower first (pages only)", parseCount('--order'))
    .option('--porcelain', 'print only the new id')
    .option('--template <name>', "start from templates/<name>.md: the blog's own templates/ folder, then termpress's")
    .action(async (opts) => {
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
      const created = await keepOnFailure(
        blog,
        { newPost: slugFromTitle(input.title) },
        written,
        () => blog.createPost(input),
        createPickup,
      );
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
    });
}

function listCommand(cli: Cli, kind: Kind) {
  const [summaryFields, listFields] = kind.type === 'page' ? [PAGE_SUMMARY_FIELDS, PAGE_LIST_FIELDS] : [SUMMARY_FIELDS, LIST_FIELDS];
  const command = new Command('list')
    .alias('ls')
    .description(`list ${kind.plural} (default: every status but trash, ${kind.type === 'page' ? 'in navigation order' : 'newest first'})`)
    .option('--status <list>', 'a comma list of draft, pending, scheduled, published, trash, or all')
    .option('--category <name>', 'only posts in this category (repeatable, or a comma list: any of them)', collectList)
    .option('--tag <name>', 'only posts with this tag (repeatable, or a comma list: any of them)', collectList)
    .option('--author <name>', 'only posts by this author')
    .option('--search <text>', 'only posts whose title, excerpt or body holds this text');
  return withListFormat(withDateWindow(command, 'posts'), listFields)
    .option('--sort <key>', 'date, created, updated, title, slug, status, author or comments (pages: menu order)')
    .option('--reverse', 'reverse the order')
    .option('--limit <n>', 'at most this many posts', parseCount('--limit'))
    .option('--offset <n>', 'skip this many posts first', parseCount('--offset'))
    .action(async (opts) => {
      const out = outputFor(cli);
      const blog = await blogFor(cli);
      const { problems, attempt } = problemCollector();
      const settings = await blog.settings();
      const format = await listFormatOf(opts, attempt);
      const query: PostQuery = {
        type: kind.type,
        ...(await dateWindowOf(opts, blog.now(), settings.timezone, attempt)),
        status: opts.status !== undefined ? await attempt(() => parsePostStatuses(opts.status!)) : undefined,
        category: opts.category,
        tag: opts.tag,
        author: opts.author,
        search: opts.search,
        sort: opts.sort === undefined ? undefined : await attempt(() => parseSortKey(opts.sort!)),
        reverse: opts.reverse,
        limit: opts.limit,
        offset: opts.offset,
      };
      const fields = await listFieldsOf(opts, listFields, attempt);
      reportProblems(problems);
      const listed = await blog.listPosts(query);
      // Pages read in the navigation's order unless a sort was asked for.
      const summaries = kind.type === 'page' && opts.sort === undefined ? [...listed].sort(byMenuOrder) : listed;
      const withLikes = format === 'json' || format === 'jsonl' || (fields?.includes('likes') ?? false);
      const likes = withLikes ? await blog.likeCounts() : new Map<string, number>();
      const posts = withLikes ? summaries.map((p) => ({ ...p, likes: likes.get(p.id) ?? 0 })) : summaries;
      const tz = settings.timezone;
      const comments: Column<PostSummary> = {
        field: 'commentCounts',
        header: 'COMMENTS',
        value: (p) =>
          p.commentCounts.pending ? `${p.commentCounts.approved} (+${p.commentCounts.pending} pending)` : String(p.commentCounts.approved),
      };
      // A page is found by its address in the tree (its parents' slugs), and listed in the navigation's order.
      const paths =
        kind.type === 'page' && format === 'table' ? pagePaths(await blog.listPosts({ type: 'page' })) : new Map<string, string[]>();
      const columns: Column<PostSummary>[] =
        kind.type === 'page'
          ? [
              { field: 'id', header: 'ID', value: (p) => p.id },
              { field: 'status', header: 'STATUS', value: (p) => p.status },
              { field: 'slug', header: 'ADDRESS', value: (p) => `/${(paths.get(p.id) ?? [p.slug]).join('/')}/` },
              { field: 'menuOrder', header: 'ORDER', value: (p) => String(p.menuOrder ?? 0) },
              { field: 'title', header: 'TITLE', value: (p) => p.title },
              comments,
            ]
          : [
              { field: 'id', header: 'ID', value: (p) => p.id },
              { field: 'status', header: 'STATUS', value: (p) => p.status },
              { field: 'date', header: 'DATE', value: (p) => formatDate(postDate(p), tz) },
              { field: 'title', header: 'TITLE', value: (p) => p.title },
              { field: 'categories', header: 'CATEGORIES', value: (p) => p.categories.join(', ') },
              comments,
            ];
      const text = await renderList(posts, {
        format: format!,
        fields,
        columns,
        csvFields: summaryFields,
        nested: { commentCounts: COUNT_KEYS },
        color: out.color,
      });
      if (text) out.result(text);
      else if (format === 'table') out.info(`No ${kind.plural}.`);
    });
}

function showCommand(cli: Cli, kind: Kind) {
  const command = new Command('show')
    .description(`show a ${kind.noun} as a reader would see it, with its approved comments`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug');
  return withShowFormat(command).action(async (ref, opts) => {
    const out = outputFor(cli);
    const format = showFormatOf(opts);
    const blog = await blogFor(cli);
    const post = await blog.getPost(ref);
    const { count } = await blog.likeCount(post.id);
    if (format === 'json') out.result(toJson({ ...post, likes: count }));
    else out.result(renderPostText(post, await blog.settings(), out.color, count));
    for (const line of conflictLines(post)) out.warn(line);
  });
}

function editCommand(cli: Cli, kind: Kind) {
  return new Command('edit')
    .description(`change fields of a ${kind.noun}; only what changes is written (no field flags, in a terminal: in your editor)`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug')
    .option('--title <text>', 'a new title')
    .option('--slug <slug>', 'a new slug')
    .option('--body <text>', 'a new body')
    .option('--body-file <path>', 'read the new body from a file, or - for standard input')
    .option('--category <name>', 'replace the categories (repeatable, or a comma list)', collectList)
    .option('--tag <name>', 'replace the tags (repeatable, or a comma list)', collectList)
    .option('--add-tag <name>', 'add tags (repeatable, or a comma list)', collectList)
    .option('--remove-tag <name>', 'remove tags (repeatable, or a comma list)', collectList)
    .option('--excerpt <text>', 'a new excerpt')
    .option('--author <name>', 'a new author')
    .addOption(new Option('--comments <state>', 'whether readers may comment').choices(['open', 'closed'] as const))
    .option('--sticky', 'keep the post at the top of the home page')
    .option('--no-sticky', 'no longer keep it at the top')
    .option('--status <status>', 'draft or pending (publish, unpublish and trash have their own commands)')
    .option('--parent <ref>', 'move the page under another page (pages only)')
    .option('--top-level', 'move the page to the top of the tree (pages only)')
    .option('--order <n>', "the page's place in the navigation, lower first (pages only)", parseCount('--order'))
    .option(
      '--from <file.md>',
      'apply a Markdown file with front matter (a kept edit, an exported post): what differs from the post is written',
    )
    .option('--if-revision <n>', 'refuse (exit 4) unless the post is still at this revision', parseCount('--if-revision', 1))
    .action(async (ref, opts) => {
      const out = outputFor(cli);
      const problems: string[] = [];
      if (opts.body !== undefined && opts.bodyFile !== undefined) problems.push('give --body or --body-file, not both');
      if (opts.tag !== undefined && (opts.addTag !== undefined || opts.removeTag !== undefined)) {
        problems.push('give --tag (replace) or --add-tag/--remove-tag, not both');
      }
      let status: 'draft' | 'pending' | undefined;
      try {
        if (opts.status !== undefined) status = assertEditableStatus(opts.status);
      } catch (error) {
        problems.push((error as Error).message.replace(/\.$/, ''));
      }
      if (opts.parent !== undefined && opts.topLevel) problems.push('give --parent or --top-level, not both');
      const fieldFlags = [
        'title',
        'slug',
        'body',
        'bodyFile',
        'category',
        'tag',
        'addTag',
        'removeTag',
        'excerpt',
        'author',
        'comments',
        'sticky',
        'status',
        'parent',
        'topLevel',
        'order',
      ] as const;
      if (opts.from !== undefined && fieldFlags.some((flag) => opts[flag] !== undefined)) {
        problems.push('--from holds every field already: drop the field flags, or drop --from');
      }
      reportProblems(problems);
      const placement = pagePlacement(kind, { parent: opts.topLevel ? '' : opts.parent, order: opts.order });
      const blog = await blogFor(cli);
      if (opts.from !== undefined) return editFromFile(cli, blog, ref, opts.from, opts.ifRevision);
      const changes: PostChanges = {};
      if (placement.parent !== undefined) changes.parent = placement.parent === '' ? null : placement.parent;
      if (placement.menuOrder !== undefined) changes.menuOrder = placement.menuOrder;
      if (opts.title !== undefined) changes.title = opts.title;
      if (opts.slug !== undefined) changes.slug = opts.slug;
      if (opts.body !== undefined) changes.body = opts.body;
      if (opts.bodyFile !== undefined) changes.body = await readBodySource(opts.bodyFile, cli.ctx);
      if (opts.category !== undefined) changes.categories = opts.category;
      if (opts.tag !== undefined) changes.tags = opts.tag;
      // Applied to the tags as they are under the lock, so concurrent --add-tag runs all keep theirs.
      if (opts.addTag !== undefined) changes.addTags = opts.addTag;
      if (opts.removeTag !== undefined) changes.removeTags = opts.removeTag;
      if (opts.excerpt !== undefined) changes.excerpt = opts.excerpt;
      if (opts.author !== undefined) changes.author = opts.author;
      if (opts.comments !== undefined) changes.commentStatus = opts.comments;
      if (opts.sticky !== undefined) changes.sticky = opts.sticky;
      if (status !== undefined) changes.status = status;
      if (Object.keys(changes).length === 0) {
        if (canPrompt(cli.ctx, cli.globals())) return editInEditorFlow(cli, blog, ref, opts.ifRevision);
        throw new UsageError(
          'Nothing to change: pass a field flag such as --title, --body-file or --tag (see termpress post edit --help).',
        );
      }
      const { post, changed } = await blog.updatePost(ref, changes, { expectedRevision: opts.ifRevision });
      if (changed.length === 0) out.result(`No changes to ${post.id} (revision ${post.revision}).`);
      else out.result(`Updated ${post.id} "${post.title}": ${changed.join(', ')} (revision ${post.revision})`);
    });
}

function publishCommand(cli: Cli, kind: Kind) {
  return new Command('publish')
    .description(`publish ${kind.plural} now, at a date, or schedule them; --due publishes scheduled ${kind.plural} whose time has come`)
    .argument('[refs...]', 'ids, id prefixes or slugs')
    .option('--at <date>', 'publish at this date; a future date schedules ("tomorrow 9am", "next friday 17:00", ISO 8601)')
    .option('--due', 'publish every scheduled post whose time has come (for cron)')
    .option('--dry-run', 'say what would be published, and write nothing')
    .action(async (refs, opts) => {
      const out = outputFor(cli);
      if (opts.due && refs.length) throw new UsageError('Give post references or --due, not both.');
      if (opts.due && opts.at !== undefined) throw new UsageError('--due publishes at the scheduled dates; drop --at.');
      if (!opts.due && refs.length === 0) throw new UsageError('Name the posts to publish (ids, prefixes or slugs), or pass --due.');
      const blog = await blogFor(cli);
      const settings = await blog.settings();
      const dryRun = opts.dryRun;
      if (opts.due) {
        const published = await blog.publishDue({ dryRun });
        for (const post of published) out.result(`${dryRun ? 'Would publish' : 'Published'} ${describePost(post, settings.timezone)}`);
        if (published.length === 0) out.info('No scheduled posts are due.');
        else if (dryRun) out.info(DRY_RUN_NOTE);
        return;
      }
      const at = opts.at !== undefined ? await requireHumanDate(opts.at, blog.now(), settings.timezone, '--at') : undefined;
      await forEachItem(out, refs, async (ref) => {
        const { post, changed } = await blog.publishPost(ref, { at, dryRun });
        if (!changed) return alreadyLine(post, settings.timezone, kind);
        const scheduled = post.status === 'scheduled';
        const verb = dryRun ? (scheduled ? 'Would schedule' : 'Would publish') : scheduled ? 'Scheduled' : 'Published';
        return `${verb} ${describePost(post, settings.timezone)}`;
      });
      if (dryRun) out.info(DRY_RUN_NOTE);
    });
}

const DRY_RUN_NOTE = 'Dry run: nothing was written.';

/** A post that already is as a command asked: a success, said plainly. */
function alreadyLine(post: Post, timezone: string, kind: Kind): string {
  const when = post.publishedAt ? formatDate(post.publishedAt, timezone) : '';
  const state =
    post.status === 'published'
      ? `published (on ${when})`
      : post.status === 'scheduled'
        ? `scheduled (for ${when})`
        : post.status === 'trash'
          ? 'in the trash'
          : post.status === 'draft'
            ? 'a draft'
            : post.status;
  return `${kind.noun === 'page' ? 'Page' : 'Post'} ${post.id} "${post.title}" is already ${state}`;
}

function transitionCommand(
  cli: Cli,
  kind: Kind,
  name: string,
  description: string,
  change: (blog: Awaited<ReturnType<typeof blogFor>>, ref: string, options: TransitionOptions) => Promise<PostTransition>,
  verbs: { done: string; would: string },
) {
  return new Command(name)
    .description(description)
    .argument('<refs...>', 'ids, id prefixes or slugs')
    .option('--dry-run', `say what would be done, and write nothing`)
    .action(async (refs, opts) => {
      const out = outputFor(cli);
      const blog = await blogFor(cli);
      const settings = await blog.settings();
      await forEachItem(out, refs, async (ref) => {
        const { post, changed } = await change(blog, ref, { dryRun: opts.dryRun });
        if (!changed) return alreadyLine(post, settings.timezone, kind);
        return `${opts.dryRun ? verbs.would : verbs.done} ${describePost(post, settings.timezone)}`;
      });
      if (opts.dryRun) out.info(DRY_RUN_NOTE);
    });
}

function deleteCommand(cli: Cli, kind: Kind) {
  return new Command('delete')
    .description(`delete ${kind.plural} for good (only from the trash unless --force)`)
    .argument('<refs...>', 'ids, id prefixes or slugs')
    .option('--force', 'delete even if the post is not in the trash')
    .option('--dry-run', 'say what would be deleted, and delete nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (refs, opts) => {
      const out = outputFor(cli);
      const blog = await blogFor(cli);
      if (!opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
        await confirmOrCancel(
          cli.ctx,
          `Delete ${refs.length === 1 ? `${kind.noun} ${refs[0]}` : `${refs.length} ${kind.plural}`} for good, with their comments?`,
        );
      }
      await forEachItem(out, refs, async (ref) => {
        const post = await blog.deletePost(ref, { force: opts.force, dryRun: opts.dryRun });
        return `${opts.dryRun ? 'Would delete' : 'Deleted'} ${post.id} "${post.title}"`;
      });
      if (opts.dryRun) out.info(DRY_RUN_NOTE);
    });
}

function likesCommand(cli: Cli, kind: Kind) {
  const command = new Command('likes')
    .description(`how many readers like a ${kind.noun} (likes come through termpress serve's Like button)`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug')
    .option('--reset', "clear the post's likes");
  return withShowFormat(command).action(async (ref, opts) => {
    const out = outputFor(cli);
    const format = showFormatOf(opts);
    const blog = await blogFor(cli);
    if (opts.reset) {
      const { postId, removed } = await blog.resetLikes(ref);
      if (format === 'json') out.result(toJson({ id: postId, likes: 0, removed }));
      else out.result(`Cleared ${removed} like${removed === 1 ? '' : 's'} of post ${postId}`);
      return;
    }
    const { postId, count } = await blog.likeCount(ref);
    if (format === 'json') out.result(toJson({ id: postId, likes: count }));
    else out.result(String(count));
  });
}
