/** `termpress moderate`: its options; the action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import type { OptionsOf } from '../options.js';

/** `termpress moderate`: the pending queue, one comment at a time, one key per action. */
export function moderateCommand(cli: Cli) {
  return declareModerate().action(async (opts) => (await import('../actions/moderate.js')).moderate(cli, opts));
}

function declareModerate() {
  return new Command('moderate')
    .description('walk the pending comments oldest first: approve, spam, trash, reply, edit, skip, undo (needs a terminal)')
    .option('--post <ref>', 'only the comments of this post');
}
export type ModerateOptions = OptionsOf<ReturnType<typeof declareModerate>>;
