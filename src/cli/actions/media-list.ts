import type { MediaListOptions } from '../commands/media.js';
import type { Cli } from '../context.js';
import { checkListOptions } from '../options.js';
import { renderList } from '../output.js';
import { MEDIA_FIELDS } from '../fields.js';
import { MEDIA_COLUMNS } from '../listings.js';
import { blogFor, outputFor } from '../shared.js';

/** `media list`: the media records, local copies and remote ones, in any list format. */
export async function mediaList(cli: Cli, opts: MediaListOptions): Promise<void> {
  const out = outputFor(cli);
  const { format, fields } = await checkListOptions(opts, MEDIA_FIELDS, async () => ({}));
  const records = await (await blogFor(cli)).media();
  const text = await renderList(records, { format, fields, columns: MEDIA_COLUMNS, csvFields: MEDIA_FIELDS, color: out.color });
  if (text) out.result(text);
  else if (format === 'table') out.info('No media.');
}
