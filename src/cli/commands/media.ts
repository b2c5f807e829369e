import path from 'node:path';
import { Command } from '@commander-js/extra-typings';
import type { MediaRecord } from '../../core/media.js';
import type { Cli } from '../context.js';
import { renderList } from '../output.js';
import type { Column } from '../output.js';
import { listFieldsOf, listFormatOf, withListFormat } from '../options.js';
import { blogFor, outputFor } from '../shared.js';
import { problemCollector, reportProblems } from '../options.js';

const MEDIA_FIELDS = ['id', 'file', 'url', 'title', 'caption', 'alt', 'mimeType', 'size', 'postId', 'createdAt'] as const;

/** `termpress media ...`: the files posts show, in the blog's media/ folder (build copies them into the site). */
export function mediaCommand(cli: Cli) {
  const group = new Command('media').description("the blog's media: files in media/ that build copies into the site");
  group.addCommand(
    new Command('add')
      .description('copy a file into media/<year>/<month>/ and record it')
      .argument('<file>', 'an image, audio, video or document')
      .option('--post <ref>', 'the post or page it belongs to')
      .option('--title <text>', 'its title (default: the file name)')
      .option('--porcelain', 'print only the new id')
      .action(async (file, opts) => {
        const out = outputFor(cli);
        const blog = await blogFor(cli);
        const record = await blog.addMediaFile(path.resolve(cli.ctx.cwd, file), { post: opts.post, title: opts.title });
        out.result(
          opts.porcelain
            ? record.id
            : `Added ${record.id} as media/${record.file} (${record.mimeType}, ${record.size} bytes); link it as /media/${record.file}`,
        );
      }),
  );
  const list = new Command('list')
    .alias('ls')
    .description('list the media records, local copies and remote ones (imported, not yet downloaded)');
  group.addCommand(
    withListFormat(list, MEDIA_FIELDS).action(async (opts) => {
      const out = outputFor(cli);
      const { problems, attempt } = problemCollector();
      const format = await listFormatOf(opts, attempt);
      const fields = await listFieldsOf(opts, MEDIA_FIELDS, attempt);
      reportProblems(problems);
      const records = await (await blogFor(cli)).media();
      const columns: Column<MediaRecord>[] = [
        { field: 'id', header: 'ID', value: (m) => m.id },
        { field: 'file', header: 'FILE', value: (m) => (m.file === null ? `(remote) ${m.url}` : `media/${m.file}`) },
        { field: 'mimeType', header: 'TYPE', value: (m) => m.mimeType },
        { field: 'size', header: 'BYTES', value: (m) => (m.size === null ? '' : String(m.size)) },
        { field: 'title', header: 'TITLE', value: (m) => m.title },
      ];
      const text = await renderList(records, { format: format!, fields, columns, csvFields: MEDIA_FIELDS, color: out.color });
      if (text) out.result(text);
      else if (format === 'table') out.info('No media.');
    }),
  );
  return group;
}
