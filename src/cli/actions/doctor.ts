import { runDoctor } from '../../api/doctor.js';
import { StorageError } from '../../core/errors.js';
import type { DoctorOptions } from '../commands/doctor.js';
import type { Cli } from '../context.js';
import { showFormatOf } from '../options.js';
import { toJson } from '../output.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress doctor`: the blog folder checked (and with --fix repaired); exit 5 while problems are left. */
export async function doctor(cli: Cli, opts: DoctorOptions): Promise<void> {
  const out = outputFor(cli);
  const format = showFormatOf(opts);
  const blog = await blogFor(cli);
  if (!(await blog.exists())) await blog.settings();
  const report = await runDoctor(blog, { fix: opts.fix });
  if (format === 'json') {
    out.result(toJson(report));
  } else {
    // What was checked is talk; the findings are the result, so a clean blog under -q prints nothing.
    out.info(`Checked ${report.posts} posts and ${report.comments} comments in ${report.blog}`);
    for (const f of report.findings) {
      const tail = f.fixed ? out.color.green(` (fixed: ${f.fix})`) : f.fix ? ` (termpress doctor --fix will ${f.fix})` : '';
      // Debris of a killed process damages nothing: said as talk, so a scheduled doctor stays quiet.
      if (f.debris && !f.fixed) out.info(`note: ${f.file}: ${f.problem}${tail}`);
      else out.result(`${f.fixed ? 'fixed' : 'problem'}: ${f.file}: ${f.problem}${tail}`);
    }
    if (report.backup) out.result(`Backup before repairs: ${report.backup}`);
    if (report.findings.every((f) => f.debris && !f.fixed)) out.info('No problems found.');
  }
  if (!report.healthy) {
    throw new StorageError(`The blog has ${report.findings.filter((f) => !f.fixed && !f.debris).length} problem(s) to fix (see above).`);
  }
}
