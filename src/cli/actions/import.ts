import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import type { ImportOptions } from '../commands/transfer.js';
import type { Cli } from '../context.js';
import { toJson } from '../output.js';
import { progressLine } from '../progress.js';
import { blogFor, outputFor } from '../shared.js';

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** A positive number given to a flag, at most max; 0 when the flag is absent. */
function positiveNumber(text: string | undefined, flag: string, max: number): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw new UsageError(`${flag} takes a number of more than 0 and at most ${max}, not "${oneLine(text)}".`);
  return value;
}

/** `termpress import <file>`: a WordPress export or a JSON backup into the blog, and a report of what came in. */
export async function importFile(cli: Cli, file: string, opts: ImportOptions): Promise<void> {
  const out = outputFor(cli);
  const download = {
    timeoutMs: positiveNumber(opts.mediaTimeout, '--media-timeout', 3600) * 1000 || undefined,
    maxBytes: Math.round(positiveNumber(opts.mediaMaxSize, '--media-max-size', 4096) * 1024 * 1024) || undefined,
  };
  const source = path.resolve(cli.ctx.cwd, file);
  const blog = await blogFor(cli);
  const { importIntoBlog } = await import('../../wxr/blog.js');
  const progress = progressLine(cli.ctx, `Importing ${path.basename(source)}`);
  let fetching: ReturnType<typeof progressLine> | undefined;
  const report = await importIntoBlog(blog, source, {
    ...opts,
    download,
    onProgress: (done, total) => progress.update(done, total),
    onDownload: (done, total) => {
      if (fetching === undefined) {
        progress.done();
        fetching = progressLine(cli.ctx, 'Downloading media');
      }
      fetching.update(done, total);
    },
  });
  progress.done();
  fetching?.done();
  if (opts.json) {
    out.result(toJson(report));
    return;
  }
  const verb = opts.dryRun ? 'Would import' : 'Imported';
  const pages = Object.values(report.pages).reduce((a, b) => a + b, 0);
  const posts = report.imported - pages;
  const what = `${posts} post${posts === 1 ? '' : 's'}${pages > 0 ? ` and ${pages} page${pages === 1 ? '' : 's'}` : ''}`;
  out.result(`${verb} ${what} from ${path.basename(source)}${report.site ? ` (${oneLine(report.site)})` : ''}`);
  out.result(`  into:     "${oneLine(report.blog.title)}" at ${oneLine(report.blog.url)} (${blog.dir})`);
  out.result(`  posts:    ${counts(report.posts)}`);
  if (pages > 0) out.result(`  pages:    ${counts(report.pages)}`);
  out.result(`  comments: ${counts(report.comments)}`);
  const terms = (t: { imported: number; present: number }) =>
    `${t.imported} new${t.present > 0 ? `, ${t.present} already in the blog` : ''}`;
  if (report.categories.imported + report.categories.present > 0) out.result(`  categories: ${terms(report.categories)}`);
  if (report.tags.imported + report.tags.present > 0) out.result(`  tags:     ${terms(report.tags)}`);
  if (report.media.imported + report.media.present > 0 || report.downloads) {
    const fetched = report.downloads
      ? `; ${report.downloads.downloaded} downloaded${report.downloads.failed > 0 ? `, ${report.downloads.failed} failed` : ''}`
      : '';
    out.result(`  media:    ${terms(report.media)}${fetched}`);
  }
  out.result(`  skipped:  ${counts(report.skipped)}`);
  if (report.settingsRestored) out.result('  settings: restored from the backup (the blog had no posts)');
  if (report.settingsTaken.length > 0) {
    const names = report.settingsTaken.join(', ').replace(/, ([^,]*)$/, ' and $1');
    out.result(`  settings: ${names} ${opts.dryRun ? 'would be taken' : 'taken'} from the export (the blog had no posts)`);
  }
  if (report.remoteMedia > 0) {
    out.result(
      `  ${report.remoteMedia} media file${report.remoteMedia === 1 ? ' is' : 's are'} still on the old site` +
        (opts.media ? ' (run the import again with --media to retry)' : ' (import again with --media to download them)'),
    );
  }
  for (const warning of report.warnings) out.warn(oneLine(warning));
  if (report.recoveredFrom) {
    const { line, column, message } = report.recoveredFrom;
    out.warn(`the file is not well-formed XML (line ${line}, column ${column}: ${oneLine(message)}); recovered what could be read`);
  }
}
