/** `termpress category ...` and `termpress tag ...`: their commands and options; each action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { withListFormat } from '../options.js';
import type { OptionsOf } from '../options.js';
import { TERM_FIELDS } from '../fields.js';

/** `termpress category ...`: the category tree, as `wp term` manages it. */
export function categoryCommand(cli: Cli) {
  const group = new Command('category').description('list and change the category tree (every post naming a changed category follows)');
  const changes = () => import('../actions/category-change.js');
  group.addCommand(
    declareList('categories').action(async (opts) => (await import('../actions/term-list.js')).termList(cli, 'categories', opts)),
  );
  group.addCommand(declareCategoryCreate().action(async (name, opts) => (await changes()).categoryCreate(cli, name, opts)));
  group.addCommand(declareCategoryRename().action(async (ref, name, opts) => (await changes()).categoryRename(cli, ref, name, opts)));
  group.addCommand(declareCategoryMove().action(async (ref, opts) => (await changes()).categoryMove(cli, ref, opts)));
  group.addCommand(declareCategoryDelete().action(async (ref, opts) => (await changes()).categoryDelete(cli, ref, opts)));
  group.addCommand(declareCategoryMerge().action(async (ref, into, opts) => (await changes()).categoryMerge(cli, ref, into, opts)));
  return group;
}

/** `termpress tag ...`: tags are flat: list, rename (which merges into a tag of that name) and delete. */
export function tagCommand(cli: Cli) {
  const group = new Command('tag').description('list, rename, merge and delete tags (on every post at once)');
  const changes = () => import('../actions/tag-change.js');
  group.addCommand(declareList('tags').action(async (opts) => (await import('../actions/term-list.js')).termList(cli, 'tags', opts)));
  group.addCommand(declareTagRename().action(async (tag, name, opts) => (await changes()).tagRename(cli, tag, name, opts)));
  group.addCommand(declareTagMerge().action(async (tag, into, opts) => (await changes()).tagMerge(cli, tag, into, opts)));
  group.addCommand(declareTagDelete().action(async (tag, opts) => (await changes()).tagDelete(cli, tag, opts)));
  return group;
}

/** The list of categories or tags, in any list format. */
function declareList(noun: 'categories' | 'tags') {
  const command = new Command('list')
    .alias('ls')
    .description(`list the ${noun} with how many posts name each${noun === 'categories' ? ' (as a tree)' : ''}`);
  return withListFormat(command, TERM_FIELDS);
}
export type TermListOptions = OptionsOf<ReturnType<typeof declareList>>;

function declareCategoryCreate() {
  return new Command('create')
    .description('add a category to the tree')
    .argument('<name>', 'its name')
    .option('--slug <slug>', 'its slug (default: made from the name)')
    .option('--parent <category>', 'the category it sits under (name or slug)')
    .option('--description <text>', 'what it is about (shown on its archive)');
}
export type CategoryCreateOptions = OptionsOf<ReturnType<typeof declareCategoryCreate>>;

function declareCategoryRename() {
  return new Command('rename')
    .description('rename a category (and with --slug move its archive); every post naming it follows')
    .argument('<category>', 'its name or slug')
    .argument('<name>', 'the new name')
    .option('--slug <slug>', 'a new slug')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type CategoryRenameOptions = OptionsOf<ReturnType<typeof declareCategoryRename>>;

function declareCategoryMove() {
  return new Command('move')
    .description('put a category under another, or with --top-level at the top of the tree')
    .argument('<category>', 'its name or slug')
    .option('--parent <category>', 'the category it goes under')
    .option('--top-level', 'put it at the top of the tree')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type CategoryMoveOptions = OptionsOf<ReturnType<typeof declareCategoryMove>>;

function declareCategoryDelete() {
  return new Command('delete')
    .description('remove a category: posts no longer name it, its children move up to its parent')
    .argument('<category>', 'its name or slug')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type CategoryDeleteOptions = OptionsOf<ReturnType<typeof declareCategoryDelete>>;

function declareCategoryMerge() {
  return new Command('merge')
    .description('merge a category into another: its posts and children go to the other, and it is removed')
    .argument('<category>', 'the category that goes (name or slug)')
    .argument('<into>', 'the category that stays')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type CategoryMergeOptions = OptionsOf<ReturnType<typeof declareCategoryMerge>>;

function declareTagRename() {
  return new Command('rename')
    .description('rename a tag on every post that has it')
    .argument('<tag>', 'the tag')
    .argument('<name>', 'the new name')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type TagRenameOptions = OptionsOf<ReturnType<typeof declareTagRename>>;

function declareTagMerge() {
  return new Command('merge')
    .description('merge a tag into another on every post that has it')
    .argument('<tag>', 'the tag that goes')
    .argument('<into>', 'the tag that stays')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type TagMergeOptions = OptionsOf<ReturnType<typeof declareTagMerge>>;

function declareTagDelete() {
  return new Command('delete')
    .description('remove a tag from every post that has it')
    .argument('<tag>', 'the tag')
    .option('--dry-run', 'say what would change, and write nothing');
}
export type TagDeleteOptions = OptionsOf<ReturnType<typeof declareTagDelete>>;
