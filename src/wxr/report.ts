/** Building an import report: counts by status and kind, and a bounded list of warnings. */
import { COMMENT_STATUSES, POST_STATUSES, isPage, type Post } from '../core/types.js';
import { detached } from './detached.js';
import type { ImportReport } from './types.js';

/** A huge export can warn on every item; past this many the report only counts them. */
export const MAX_WARNINGS = 200;

/** A report with every status counted at zero. */
export function emptyReport(file: string, format: ImportReport['format'], dryRun: boolean): ImportReport {
  return {
    file,
    format,
    dryRun,
    items: 0,
    imported: 0,
    posts: Object.fromEntries(POST_STATUSES.map((s) => [s, 0])) as ImportReport['posts'],
    pages: Object.fromEntries(POST_STATUSES.map((s) => [s, 0])) as ImportReport['pages'],
    comments: Object.fromEntries(COMMENT_STATUSES.map((s) => [s, 0])) as ImportReport['comments'],
    categories: { imported: 0, present: 0 },
    tags: { imported: 0, present: 0 },
    media: { imported: 0, present: 0 },
    skipped: {},
    warnings: [],
  };
}

/** Count one more skipped item of a kind. */
export function countSkipped(report: ImportReport, kind: string): void {
  report.skipped[kind] = (report.skipped[kind] ?? 0) + 1;
}

/** Count an imported post or page and its comments. */
export function countImported(report: ImportReport, post: Post): void {
  report.imported += 1;
  (isPage(post) ? report.pages : report.posts)[post.status] += 1;
  for (const comment of post.comments) report.comments[comment.status] += 1;
}

const overflow = new WeakMap<ImportReport, number>();

/** Add a warning, keeping the list bounded; the last entry says how many more there were. */
export function warn(report: ImportReport, message: string): void {
  if (report.warnings.length < MAX_WARNINGS) {
    report.warnings.push(detached(message));
    return;
  }
  const extra = (overflow.get(report) ?? 0) + 1;
  overflow.set(report, extra);
  report.warnings[MAX_WARNINGS] = `... and ${extra} more warning${extra === 1 ? '' : 's'}`;
}
