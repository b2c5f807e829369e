import type { CategoryChange } from '../../core/taxonomy.js';
import type {
  CategoryCreateOptions,
  CategoryDeleteOptions,
  CategoryMergeOptions,
  CategoryMoveOptions,
  CategoryRenameOptions,
} from '../commands/taxonomy.js';
import type { Cli } from '../context.js';
import { reportProblems } from '../options.js';
import { DRY_RUN_NOTE, blogFor, outputFor } from '../shared.js';

/** Makes a change to the category tree, every post naming the category following, and says what it did or would do. */
async function change(cli: Cli, what: CategoryChange, dryRun: boolean | undefined, verb: string, would = `Would ${verb.toLowerCase()}`) {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const { category, posts } = await blog.changeCategories(what, { dryRun });
  const postsNote = posts.length === 0 ? '' : ` (${posts.length} post${posts.length === 1 ? '' : 's'} ${dryRun ? 'would be ' : ''}updated)`;
  out.result(`${dryRun ? would : verb} category "${category.name}" (${category.slug})${postsNote}`);
  if (dryRun) out.info(DRY_RUN_NOTE);
}

/** `category create <name>`: a new category in the tree. */
export function categoryCreate(cli: Cli, name: string, opts: CategoryCreateOptions): Promise<void> {
  return change(cli, { kind: 'create', name, slug: opts.slug, parent: opts.parent, description: opts.description }, false, 'Created');
}

/** `category rename <category> <name>`: a new name, and with --slug a new archive address. */
export function categoryRename(cli: Cli, ref: string, name: string, opts: CategoryRenameOptions): Promise<void> {
  return change(cli, { kind: 'rename', ref, name, slug: opts.slug }, opts.dryRun, 'Renamed');
}

/** `category move <category>`: under another category, or with --top-level at the top of the tree. */
export async function categoryMove(cli: Cli, ref: string, opts: CategoryMoveOptions): Promise<void> {
  const problems: string[] = [];
  if ((opts.parent === undefined) === (opts.topLevel === undefined)) problems.push('give --parent <category> or --top-level');
  reportProblems(problems);
  await change(cli, { kind: 'move', ref, parent: opts.parent ?? null }, opts.dryRun, 'Moved');
}

/** `category delete <category>`: gone from the tree and from every post; its children move up. */
export function categoryDelete(cli: Cli, ref: string, opts: CategoryDeleteOptions): Promise<void> {
  return change(cli, { kind: 'delete', ref }, opts.dryRun, 'Deleted');
}

/** `category merge <category> <into>`: its posts and children go to the other, and it is removed. */
export function categoryMerge(cli: Cli, ref: string, into: string, opts: CategoryMergeOptions): Promise<void> {
  return change(cli, { kind: 'merge', ref, into }, opts.dryRun, 'Merged into', 'Would merge into');
}
