import path from 'node:path';
import type { MediaAddOptions } from '../commands/media.js';
import type { Cli } from '../context.js';
import { blogFor, outputFor } from '../shared.js';

/** `media add <file>`: the file copied into media/<year>/<month>/ and recorded. */
export async function mediaAdd(cli: Cli, file: string, opts: MediaAddOptions): Promise<void> {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const record = await blog.addMediaFile(path.resolve(cli.ctx.cwd, file), { post: opts.post, title: opts.title });
  out.result(
    opts.porcelain
      ? record.id
      : `Added ${record.id} as media/${record.file} (${record.mimeType}, ${record.size} bytes); link it as /media/${record.file}`,
  );
}
