import path from 'node:path';
import { parsePostStatuses } from '../../core/posts.js';
import type { ExportOptions } from '../commands/transfer.js';
import type { Cli } from '../context.js';
import { blogFor, outputFor } from '../shared.js';

/** `termpress export`: the blog as WXR, a JSON backup or Markdown files, into a file, a folder or standard output. */
export async function exportPosts(cli: Cli, opts: ExportOptions): Promise<void> {
  const out = outputFor(cli);
  const statuses = parsePostStatuses(opts.status ?? 'all');
  const file = opts.out !== undefined ? path.resolve(cli.ctx.cwd, opts.out) : undefined;
  const blog = await blogFor(cli);
  const { exportBlog } = await import('../../wxr/blog.js');
  const count = await exportBlog(blog, { format: opts.format, statuses, file, stream: out.resultStream() });
  const what = opts.format === 'markdown' ? 'Markdown' : opts.format.toUpperCase();
  if (file !== undefined) out.info(`Exported ${count} post${count === 1 ? '' : 's'} as ${what} into ${file}`);
}
