import path from 'node:path';
import { RefusedError } from '../../core/errors.js';
import type { Cli } from '../context.js';
import { outputFor } from '../shared.js';

/** The files git hands its merge driver: three versions, and the file's path in the repository. */
export interface MergeFiles {
  base: string;
  ours: string;
  theirs: string;
  path: string;
}

/** `termpress merge-file`: one blog file merged field by field into ours; a conflict is recorded and refused (exit 4). */
export async function mergeFile(cli: Cli, files: MergeFiles): Promise<void> {
  const out = outputFor(cli);
  const { runMergeDriver } = await import('../../api/git.js');
  const at = (name: string) => path.resolve(cli.ctx.cwd, name);
  const file = files.path;
  const merged = await runMergeDriver({ base: at(files.base), ours: at(files.ours), theirs: at(files.theirs), path: file });
  for (const note of merged.notes) out.info(`termpress: ${file}: ${note}`);
  if (merged.conflicts.length === 0) return;
  const fields = merged.conflicts.map((c) => c.field).join(', ');
  const resolve = merged.kind === 'post' ? `termpress post resolve ${path.basename(file, '.json')}` : 'termpress config resolve';
  throw new RefusedError(
    `${file}: ${fields} changed on both sides; the file keeps this side's and records the other's (valid JSON). ${resolve} ends the conflict.`,
  );
}
