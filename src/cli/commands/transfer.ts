/** `termpress import` and `termpress export`: their options; each action is loaded when it runs. */
import { Command, Option } from '@commander-js/extra-typings';
import type { Cli } from '../context.js';
import type { OptionsOf } from '../options.js';

/** `termpress import <file>`: a WordPress export (WXR) or a termpress JSON backup into the blog. */
export function importCommand(cli: Cli) {
  return declareImport().action(async (file, opts) => (await import('../actions/import.js')).importFile(cli, file, opts));
}

/** `termpress export`: the blog as WXR for WordPress, as a JSON backup, or as Markdown files. */
export function exportCommand(cli: Cli) {
  return declareExport().action(async (opts) => (await import('../actions/export.js')).exportPosts(cli, opts));
}

function declareImport() {
  return new Command('import')
    .description('import a WordPress export (WXR) or a termpress JSON backup; re-importing adds nothing twice')
    .argument('<file>', 'the export file')
    .addOption(
      new Option('--format <format>', 'the file format (default: json for .json files, else wxr)').choices(['wxr', 'json'] as const),
    )
    .option('--dry-run', 'report what would be imported, and write nothing')
    .option('--lenient', 'recover what can be read from a file that is not well-formed XML')
    .option('--author <name>', 'the author of posts whose export names none')
    .option('--media', "download the attachments' files into the blog's media/ folder (again to resume)")
    .option('--media-timeout <seconds>', 'give up on a file after this many seconds (default: 30)')
    .option('--media-max-size <megabytes>', 'leave files larger than this on the old site (default: 64)')
    .option('--json', 'print the report as JSON');
}
export type ImportOptions = OptionsOf<ReturnType<typeof declareImport>>;

function declareExport() {
  return new Command('export')
    .description('export the blog as WordPress WXR, a termpress JSON backup, or Markdown files with front matter')
    .addOption(new Option('--format <format>', 'wxr, json or markdown').choices(['wxr', 'json', 'markdown'] as const).makeOptionMandatory())
    .option('--out <path>', 'the file to write (wxr, json; default: standard output) or folder (markdown, required)')
    .option('--status <list>', 'only posts with these statuses (comma list, or all; default: all)');
}
export type ExportOptions = OptionsOf<ReturnType<typeof declareExport>>;
