import path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { importTarget, readAllPosts } from '../../api/transfer.js';
import { UsageError } from '../../core/errors.js';
import { parsePostStatuses } from '../../core/posts.js';
import { oneLine } from '../../core/text.js';
import { writeStreamAtomic } from '../../store/fsx.js';
import type { Cli } from '../context.js';
import { toJson } from '../output.js';
import { progressLine } from '../progress.js';
import { blogFor, outputFor } from '../shared.js';

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** `termpress import <file>`: a WordPress export (WXR) or a termpress JSON backup into the blog. */
export function importCommand(cli: Cli) {
  return new Command('import')
    .description('import a WordPress export (WXR) or a termpress JSON backup; re-importing adds nothing twice')
    .argument('<file>', 'the export file')
    .addOption(new Option('--format <format>', 'the file format (default: json for .json files, else wxr)').choices(['wxr', 'json'] as const))
    .option('--dry-run', 'report what would be imported, and write nothing')
    .option('--lenient', 'recover what can be read from a file that is not well-formed XML')
    .option('--author <name>', 'the author of posts whose export names none')
    .option('--json', 'print the report as JSON')
    .action(async (file, opts) => {
      const out = outputFor(cli);
      const source = path.resolve(cli.ctx.cwd, file);
      const format = opts.format ?? (source.toLowerCase().endsWith('.json') ? 'json' : 'wxr');
      if (format === 'json' && opts.lenient) throw new UsageError('--lenient is for WXR files; drop it for a JSON backup.');
      const blog = await blogFor(cli);
      const settings = await blog.settings();
      const empty = (await blog.listPosts({ status: ['draft', 'pending', 'scheduled', 'published', 'trash'] })).length === 0;
      const wxr = await import('../../wxr/index.js');
      const progress = progressLine(cli.ctx, `Importing ${path.basename(source)}`);
      const common = { dryRun: opts.dryRun, now: blog.now(), onProgress: (done: number, total: number) => progress.update(done, total) };
      const target = importTarget(blog);
      const report =
        format === 'json'
          ? await wxr.importJson(source, target, common)
          : await wxr.importWxr(source, target, { ...common, timezone: settings.timezone, lenient: opts.lenient, author: opts.author ?? (settings.author || undefined) });
      progress.done();
      // A backup restored into a blog without posts brings its settings back too, so the blog is the same.
      let settingsRestored = false;
      if (format === 'json' && report.settings && empty && !opts.dryRun) {
        await blog.writeLocked(() => blog.store.writeSettings(report.settings!));
        settingsRestored = true;
      }
      if (opts.json) {
        out.result(toJson({ ...report, settingsRestored }));
        return;
      }
      const verb = opts.dryRun ? 'Would import' : 'Imported';
      out.result(`${verb} ${report.imported} post${report.imported === 1 ? '' : 's'} from ${path.basename(source)}${report.site ? ` (${oneLine(report.site)})` : ''}`);
      out.result(`  posts:    ${counts(report.posts)}`);
      out.result(`  comments: ${counts(report.comments)}`);
      out.result(`  skipped:  ${counts(report.skipped)}`);
      if (settingsRestored) out.result('  settings: restored from the backup (the blog had no posts)');
      for (const warning of report.warnings) out.warn(oneLine(warning));
      if (report.recoveredFrom) {
        const { line, column, message } = report.recoveredFrom;
        out.warn(`the file is not well-formed XML (line ${line}, column ${column}: ${oneLine(message)}); recovered what could be read`);
      }
    });
}

/** `termpress export`: the blog as WXR for WordPress, as a JSON backup, or as Markdown files. */
export function exportCommand(cli: Cli) {
  return new Command('export')
    .description('export the blog as WordPress WXR, a termpress JSON backup, or Markdown files with front matter')
    .addOption(new Option('--format <format>', 'wxr, json or markdown').choices(['wxr', 'json', 'markdown'] as const).makeOptionMandatory())
    .option('--out <path>', 'the file to write (wxr, json; default: standard output) or folder (markdown, required)')
    .option('--status <list>', 'only posts with these statuses (comma list, or all; default: all)')
    .action(async (opts) => {
      const out = outputFor(cli);
      const statuses = parsePostStatuses(opts.status ?? 'all');
      if (opts.format === 'markdown' && opts.out === undefined) {
        throw new UsageError('Markdown export writes one file per post: pass --out <folder>.');
      }
      const blog = await blogFor(cli);
      const settings = await blog.settings();
      const posts = await readAllPosts(blog, (p) => statuses.includes(p.status));
      const wxr = await import('../../wxr/index.js');
      if (opts.format === 'markdown') {
        const folder = path.resolve(cli.ctx.cwd, opts.out!);
        const files = await wxr.exportMarkdown(posts, settings, folder);
        out.info(`Exported ${files.length} post${files.length === 1 ? '' : 's'} as Markdown into ${folder}`);
        return;
      }
      const produce = async (stream: NodeJS.WritableStream) => {
        if (opts.format === 'wxr') {
          await wxr.exportWxr(posts, settings, stream as import('node:stream').Writable);
        } else {
          const { pipeline } = await import('node:stream/promises');
          await pipeline(wxr.exportJson(posts, settings), stream, { end: false });
        }
      };
      if (opts.out === undefined) {
        await produce(cli.ctx.stdout);
      } else {
        const file = path.resolve(cli.ctx.cwd, opts.out);
        await writeStreamAtomic(file, produce);
        out.info(`Exported ${posts.length} post${posts.length === 1 ? '' : 's'} as ${opts.format.toUpperCase()} into ${file}`);
      }
    });
}
