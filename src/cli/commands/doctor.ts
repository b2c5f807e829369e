import { Command } from '@commander-js/extra-typings';
import { runDoctor } from '../../api/doctor.js';
import { StorageError } from '../../core/errors.js';
import type { Cli } from '../context.js';
import { toJson } from '../output.js';
import { showFormatOf, withShowFormat } from '../options.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress doctor`: checks the blog folder; --fix repairs what can be repaired without guessing. */
export function doctorCommand(cli: Cli) {
  const command = new Command('doctor')
    .description('check the settings, every post file, the index and references; exit 5 when damaged')
    .option('--fix', 'repair what can be repaired without guessing (after a backup in .termpress/backups/)');
  return withShowFormat(command).action(async (opts) => {
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
  });
}
