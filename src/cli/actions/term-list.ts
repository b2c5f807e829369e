import type { TermListOptions } from '../commands/taxonomy.js';
import type { Cli } from '../context.js';
import { checkListOptions } from '../options.js';
import { renderList } from '../output.js';
import { TERM_FIELDS } from '../fields.js';
import { termColumns } from '../listings.js';
import { blogFor, outputFor } from '../shared.js';

/** `category list` and `tag list`: every term with how many posts name it, in any list format. */
export async function termList(cli: Cli, noun: 'categories' | 'tags', opts: TermListOptions): Promise<void> {
  const out = outputFor(cli);
  const { format, fields } = await checkListOptions(opts, TERM_FIELDS, async () => ({}));
  const blog = await blogFor(cli);
  const rows = await (noun === 'categories' ? blog.listCategories() : blog.listTags());
  const text = await renderList(rows, { format, fields, columns: termColumns(noun), csvFields: TERM_FIELDS, color: out.color });
  if (text) out.result(text);
  else if (format === 'table') out.info(`No ${noun}.`);
}
