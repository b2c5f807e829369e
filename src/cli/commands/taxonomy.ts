import { Command } from '@commander-js/extra-typings';
import type { CategoryChange, TermListing } from '../../core/taxonomy.js';
import type { Cli } from '../context.js';
import { renderList } from '../output.js';
import type { Column } from '../output.js';
import { listFieldsOf, listFormatOf, withListFormat } from '../options.js';
import { blogFor, outputFor } from '../shared.js';
import { problemCollector, reportProblems } from '../options.js';

const TERM_FIELDS = ['slug', 'name', 'parent', 'description', 'count', 'path', 'depth', 'stored'] as const;

/** The list of categories or tags, in any list format; the table marks children with a dash per level, as WordPress does. */
function termListCommand(
  cli: Cli,
  noun: 'categories' | 'tags',
  load: (blog: Awaited<ReturnType<typeof blogFor>>) => Promise<TermListing[]>,
) {
  const command = new Command('list')
    .alias('ls')
    .description(`list the ${noun} with how many posts name each${noun === 'categories' ? ' (as a tree)' : ''}`);
  return withListFormat(command, TERM_FIELDS).action(async (opts) => {
    const out = outputFor(cli);
    const { problems, attempt } = problemCollector();
    const format = await listFormatOf(opts, attempt);
    const fields = await listFieldsOf(opts, TERM_FIELDS, attempt);
    reportProblems(problems);
    const rows = await load(await blogFor(cli));
    const columns: Column<TermListing>[] = [
      { field: 'name', header: 'NAME', value: (t) => `${'— '.repeat(t.depth)}${t.name}` },
      { field: 'slug', header: 'SLUG', value: (t) => t.slug },
      ...(noun === 'categories' ? [{ field: 'path', header: 'ARCHIVE', value: (t: TermListing) => `/category/${t.path}/` }] : []),
      { field: 'count', header: 'POSTS', value: (t) => String(t.count) },
      { field: 'description', header: 'DESCRIPTION', value: (t) => t.description },
    ];
    const text = await renderList(rows, { format: format!, fields, columns, csvFields: TERM_FIELDS, color: out.color });
    if (text) out.result(text);
    else if (format === 'table') out.info(`No ${noun}.`);
  });
}

/** `termpress category ...`: the category tree, as `wp term` manages it. */
export function categoryCommand(cli: Cli) {
  const group = new Command('category').description('list and change the category tree (every post naming a changed category follows)');
  group.addCommand(termListCommand(cli, 'categories', (blog) => blog.listCategories()));
  const run = async (change: CategoryChange, dryRun: boolean | undefined, verb: string, would = `Would ${verb.toLowerCase()}`) => {
    const out = outputFor(cli);
    const blog = await blogFor(cli);
    const { category, posts } = await blog.changeCategories(change, { dryRun });
    const postsNote =
      posts.length === 0 ? '' : ` (${posts.length} post${posts.length === 1 ? '' : 's'} ${dryRun ? 'would be ' : ''}updated)`;
    out.result(`${dryRun ? would : verb} category "${category.name}" (${category.slug})${postsNote}`);
    if (dryRun) out.info('Dry run: nothing was written.');
  };
  group.addCommand(
    new Command('create')
      .description('add a category to the tree')
      .argument('<name>', 'its name')
      .option('--slug <slug>', 'its slug (default: made from the name)')
      .option('--parent <category>', 'the category it sits under (name or slug)')
      .option('--description <text>', 'what it is about (shown on its archive)')
      .action((name, opts) =>
        run({ kind: 'create', name, slug: opts.slug, parent: opts.parent, description: opts.description }, false, 'Created'),
      ),
  );
  group.addCommand(
    new Command('rename')
      .description('rename a category (and with --slug move its archive); every post naming it follows')
      .argument('<category>', 'its name or slug')
      .argument('<name>', 'the new name')
      .option('--slug <slug>', 'a new slug')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((ref, name, opts) => run({ kind: 'rename', ref, name, slug: opts.slug }, opts.dryRun, 'Renamed')),
  );
  group.addCommand(
    new Command('move')
      .description('put a category under another, or with --top-level at the top of the tree')
      .argument('<category>', 'its name or slug')
      .option('--parent <category>', 'the category it goes under')
      .option('--top-level', 'put it at the top of the tree')
      .option('--dry-run', 'say what would change, and write nothing')
      .action(async (ref, opts) => {
        const problems: string[] = [];
        if ((opts.parent === undefined) === (opts.topLevel === undefined)) problems.push('give --parent <category> or --top-level');
        reportProblems(problems);
        await run({ kind: 'move', ref, parent: opts.parent ?? null }, opts.dryRun, 'Moved');
      }),
  );
  group.addCommand(
    new Command('delete')
      .description('remove a category: posts no longer name it, its children move up to its parent')
      .argument('<category>', 'its name or slug')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((ref, opts) => run({ kind: 'delete', ref }, opts.dryRun, 'Deleted')),
  );
  group.addCommand(
    new Command('merge')
      .description('merge a category into another: its posts and children go to the other, and it is removed')
      .argument('<category>', 'the category that goes (name or slug)')
      .argument('<into>', 'the category that stays')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((ref, into, opts) => run({ kind: 'merge', ref, into }, opts.dryRun, 'Merged into', 'Would merge into')),
  );
  return group;
}

/** `termpress tag ...`: tags are flat: list, rename (which merges into a tag of that name) and delete. */
export function tagCommand(cli: Cli) {
  const group = new Command('tag').description('list, rename, merge and delete tags (on every post at once)');
  group.addCommand(termListCommand(cli, 'tags', (blog) => blog.listTags()));
  const run = async (from: string, to: string | null, dryRun: boolean | undefined, line: (n: string) => string) => {
    const out = outputFor(cli);
    const blog = await blogFor(cli);
    const { posts } = await blog.changeTag(from, to, { dryRun });
    const n = `${posts.length} post${posts.length === 1 ? '' : 's'}`;
    out.result(dryRun ? `Would do: ${line(n)}` : line(n));
    if (dryRun) out.info('Dry run: nothing was written.');
  };
  group.addCommand(
    new Command('rename')
      .description('rename a tag on every post that has it')
      .argument('<tag>', 'the tag')
      .argument('<name>', 'the new name')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((tag, name, opts) => run(tag, name, opts.dryRun, (n) => `Renamed tag "${tag}" to "${name}" on ${n}`)),
  );
  group.addCommand(
    new Command('merge')
      .description('merge a tag into another on every post that has it')
      .argument('<tag>', 'the tag that goes')
      .argument('<into>', 'the tag that stays')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((tag, into, opts) => run(tag, into, opts.dryRun, (n) => `Merged tag "${tag}" into "${into}" on ${n}`)),
  );
  group.addCommand(
    new Command('delete')
      .description('remove a tag from every post that has it')
      .argument('<tag>', 'the tag')
      .option('--dry-run', 'say what would change, and write nothing')
      .action((tag, opts) => run(tag, null, opts.dryRun, (n) => `Removed tag "${tag}" from ${n}`)),
  );
  return group;
}
