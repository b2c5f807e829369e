/** `termpress sync`: its options; the action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';

/** `termpress sync`: commit the blog's changes, fetch and merge the remote's the termpress way, push. */
export function syncCommand(cli: Cli) {
  return declareSync().action(async (opts) => (await import('../actions/sync.js')).sync(cli, opts));
}

function declareSync() {
  const command = new Command('sync')
    .description("share the blog through git: commit its changes, fetch and merge the remote's (post by post, comment by comment), push")
    .option('--remote <name>', "the remote to sync with (default: the branch's upstream, else origin)")
    .option('--no-push', 'fetch and merge only, push nothing (a read-only mirror)');
  return withShowFormat(command);
}
export type SyncOptions = OptionsOf<ReturnType<typeof declareSync>>;
