/** `termpress post ...` and `termpress page ...`: their commands and options; each action is loaded when it runs. */
import { Command, Option } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { PAGES, POSTS } from '../kinds.js';
import type { Kind } from '../kinds.js';
import { collectList, parseCount, withDateWindow, withListFormat, withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';
import { PAGE_LIST_FIELDS, POST_LIST_FIELDS } from '../fields.js';

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

/** The transitions that take no option but --dry-run, with their help lines. */
const TRANSITIONS = {
  unpublish: (plural: string) => `return ${plural} to draft`,
  trash: (plural: string) => `move ${plural} to the trash (restore brings them back)`,
  restore: (plural: string) => `bring ${plural} back from the trash`,
} as const;

/** The name of a transition command: unpublish, trash or restore. */
export type PostTransitionName = keyof typeof TRANSITIONS;

function contentCommand(cli: Cli, kind: Kind, description: string) {
  const group = new Command(kind.noun).description(description);
  group.addCommand(declareCreate(kind).action(async (opts) => (await import('../actions/post-create.js')).postCreate(cli, kind, opts)));
  group.addCommand(declareList(kind).action(async (opts) => (await import('../actions/post-list.js')).postList(cli, kind, opts)));
  group.addCommand(declareShow(kind).action(async (ref, opts) => (await import('../actions/post-show.js')).postShow(cli, ref, opts)));
  group.addCommand(declareEdit(kind).action(async (ref, opts) => (await import('../actions/post-edit.js')).postEdit(cli, kind, ref, opts)));
  group.addCommand(
    declarePublish(kind).action(async (refs, opts) => (await import('../actions/post-publish.js')).postPublish(cli, kind, refs, opts)),
  );
  for (const name of ['unpublish', 'trash', 'restore'] as const) {
    group.addCommand(
      declareTransition(name, TRANSITIONS[name](kind.plural)).action(async (refs, opts) =>
        (await import('../actions/post-transition.js')).postTransition(cli, kind, name, refs, opts),
      ),
    );
  }
  group.addCommand(
    declareDelete(kind).action(async (refs, opts) => (await import('../actions/post-delete.js')).postDelete(cli, kind, refs, opts)),
  );
  group.addCommand(declareLikes(kind).action(async (ref, opts) => (await import('../actions/post-likes.js')).postLikes(cli, ref, opts)));
  group.addCommand(
    declareResolve(kind).action(async (ref, opts) => (await import('../actions/post-resolve.js')).postResolve(cli, ref, opts)),
  );
  return group;
}

function declareCreate(kind: Kind) {
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
    .option('--template <name>', "start from templates/<name>.md: the blog's own templates/ folder, then termpress's");
}
export type PostCreateOptions = OptionsOf<ReturnType<typeof declareCreate>>;

function declareList(kind: Kind) {
  const command = new Command('list')
    .alias('ls')
    .description(`list ${kind.plural} (default: every status but trash, ${kind.type === 'page' ? 'in navigation order' : 'newest first'})`)
    .option('--status <list>', 'a comma list of draft, pending, scheduled, published, trash, or all')
    .option('--category <name>', 'only posts in this category (repeatable, or a comma list: any of them)', collectList)
    .option('--tag <name>', 'only posts with this tag (repeatable, or a comma list: any of them)', collectList)
    .option('--author <name>', 'only posts by this author')
    .option('--search <text>', 'only posts whose title, excerpt or body holds this text');
  return withListFormat(withDateWindow(command, 'posts'), kind.type === 'page' ? PAGE_LIST_FIELDS : POST_LIST_FIELDS)
    .option('--sort <key>', 'date, created, updated, title, slug, status, author or comments (pages: menu order)')
    .option('--reverse', 'reverse the order')
    .option('--limit <n>', 'at most this many posts', parseCount('--limit'))
    .option('--offset <n>', 'skip this many posts first', parseCount('--offset'));
}
export type PostListOptions = OptionsOf<ReturnType<typeof declareList>>;

function declareShow(kind: Kind) {
  const command = new Command('show')
    .description(`show a ${kind.noun} as a reader would see it, with its approved comments`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug');
  return withShowFormat(command);
}
export type PostShowOptions = OptionsOf<ReturnType<typeof declareShow>>;

function declareEdit(kind: Kind) {
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
    .option('--if-revision <n>', 'refuse (exit 4) unless the post is still at this revision', parseCount('--if-revision', 1));
}
export type PostEditOptions = OptionsOf<ReturnType<typeof declareEdit>>;

function declarePublish(kind: Kind) {
  return new Command('publish')
    .description(`publish ${kind.plural} now, at a date, or schedule them; --due publishes scheduled ${kind.plural} whose time has come`)
    .argument('[refs...]', 'ids, id prefixes or slugs')
    .option('--at <date>', 'publish at this date; a future date schedules ("tomorrow 9am", "next friday 17:00", ISO 8601)')
    .option('--due', 'publish every scheduled post whose time has come (for cron)')
    .option('--dry-run', 'say what would be published, and write nothing');
}
export type PostPublishOptions = OptionsOf<ReturnType<typeof declarePublish>>;

function declareTransition(name: PostTransitionName, description: string) {
  return new Command(name)
    .description(description)
    .argument('<refs...>', 'ids, id prefixes or slugs')
    .option('--dry-run', `say what would be done, and write nothing`);
}
export type PostTransitionOptions = OptionsOf<ReturnType<typeof declareTransition>>;

function declareDelete(kind: Kind) {
  return new Command('delete')
    .description(`delete ${kind.plural} for good (only from the trash unless --force)`)
    .argument('<refs...>', 'ids, id prefixes or slugs')
    .option('--force', 'delete even if the post is not in the trash')
    .option('--dry-run', 'say what would be deleted, and delete nothing')
    .option('-y, --yes', 'do not ask for confirmation');
}
export type PostDeleteOptions = OptionsOf<ReturnType<typeof declareDelete>>;

function declareLikes(kind: Kind) {
  const command = new Command('likes')
    .description(`how many readers like a ${kind.noun} (likes come through termpress serve's Like button)`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug')
    .option('--reset', "clear the post's likes");
  return withShowFormat(command);
}
export type PostLikesOptions = OptionsOf<ReturnType<typeof declareLikes>>;

/** `post resolve <ref>`: keep this side's values, take the other side's, or settle them in the editor. */
function declareResolve(kind: Kind) {
  return new Command('resolve')
    .description(`end the merge conflicts a git merge recorded in a ${kind.noun}: keep this side, take the other, or edit`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug')
    .option('--ours', 'keep the values the post holds now')
    .option('--theirs', "take the other side's values, as the merge recorded them")
    .option('--edit', "settle them in your editor: the post with the other side's values shown, the body's overlaps between markers")
    .option('--field <name>', 'only these fields (repeatable, or a comma list); default: all', collectList);
}
export type PostResolveOptions = OptionsOf<ReturnType<typeof declareResolve>>;
