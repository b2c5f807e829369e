import type { SyncReport } from '../../api/sync.js';
import { RefusedError } from '../../core/errors.js';
import type { SyncOptions } from '../commands/sync.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import type { Output } from '../output.js';
import { toJson } from '../output.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress sync`: the blog's changes committed, the remote's fetched and merged file by file, then pushed. */
export async function sync(cli: Cli, opts: SyncOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const blog = await blogFor(cli);
  const { syncBlog } = await import('../../api/sync.js');
  const report = await syncBlog(blog, { remote: opts.remote, push: opts.push, env: cli.ctx.env });
  if (format === 'json') out.result(toJson(report));
  else reportSync(out, report);
  if (report.conflicts.length) {
    const n = report.conflicts.length;
    throw new RefusedError(
      `${n} file${n === 1 ? '' : 's'} changed on both sides: resolve ${n === 1 ? 'it' : 'them'} as shown above, then sync again.`,
    );
  }
}

/** What a sync did, for a person, on stderr: one summary line, the merge's notes, and conflicts as warnings. */
function reportSync(out: Output, report: SyncReport): void {
  const where = `${report.remote}/${report.branch}`;
  const parts: string[] = [];
  if (report.committed) parts.push(`committed this blog's changes (${report.committed.slice(0, 12)})`);
  if (report.received)
    parts.push(
      `received ${report.received} commit${report.received === 1 ? '' : 's'} (${report.changed.length} file${report.changed.length === 1 ? '' : 's'} changed)`,
    );
  if (report.sent) parts.push(`sent ${report.sent} commit${report.sent === 1 ? '' : 's'}`);
  // What a sync did is talk, not a result: a cron job's `sync -q` prints nothing unless a person is needed.
  out.info(parts.length ? `Synced with ${where}: ${parts.join(', ')}.` : `Up to date with ${where}.`);
  for (const note of report.notes) out.info(`note: ${note}`);
  for (const conflict of report.conflicts) {
    const fields = conflict.fields.join(', ');
    if (conflict.kind === 'post') {
      out.warn(
        `conflict in post ${conflict.id} "${conflict.title ?? ''}": ${fields} changed on both sides; it keeps this side's, the other's is recorded. ` +
          `See termpress post show ${conflict.id}, then termpress post resolve ${conflict.id} --ours (or --theirs, or --edit).`,
      );
    } else {
      out.warn(
        `conflict in ${conflict.file}: ${fields} changed on both sides; it keeps this side's, the other's is recorded. termpress config resolve --ours (or --theirs) ends it.`,
      );
    }
  }
}
