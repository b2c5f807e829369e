/** `termpress media ...`: its commands and options; each action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { withListFormat } from '../options.js';
import type { OptionsOf } from '../options.js';
import { MEDIA_FIELDS } from '../fields.js';

/** `termpress media ...`: the files posts show, in the blog's media/ folder (build copies them into the site). */
export function mediaCommand(cli: Cli) {
  const group = new Command('media').description("the blog's media: files in media/ that build copies into the site");
  group.addCommand(declareAdd().action(async (file, opts) => (await import('../actions/media-add.js')).mediaAdd(cli, file, opts)));
  group.addCommand(declareList().action(async (opts) => (await import('../actions/media-list.js')).mediaList(cli, opts)));
  return group;
}

function declareAdd() {
  return new Command('add')
    .description('copy a file into media/<year>/<month>/ and record it')
    .argument('<file>', 'an image, audio, video or document')
    .option('--post <ref>', 'the post or page it belongs to')
    .option('--title <text>', 'its title (default: the file name)')
    .option('--porcelain', 'print only the new id');
}
export type MediaAddOptions = OptionsOf<ReturnType<typeof declareAdd>>;

function declareList() {
  const command = new Command('list')
    .alias('ls')
    .description('list the media records, local copies and remote ones (imported, not yet downloaded)');
  return withListFormat(command, MEDIA_FIELDS);
}
export type MediaListOptions = OptionsOf<ReturnType<typeof declareList>>;
