/** `termpress doctor`: its options; the action is loaded when it runs. */
import { Command } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import { withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';

/** `termpress doctor`: checks the blog folder; --fix repairs what can be repaired without guessing. */
export function doctorCommand(cli: Cli) {
  return declareDoctor().action(async (opts) => (await import('../actions/doctor.js')).doctor(cli, opts));
}

function declareDoctor() {
  const command = new Command('doctor')
    .description('check the settings, every post file, the index and references; exit 5 when damaged')
    .option('--fix', 'repair what can be repaired without guessing (after a backup in .termpress/backups/)');
  return withShowFormat(command);
}
export type DoctorOptions = OptionsOf<ReturnType<typeof declareDoctor>>;
