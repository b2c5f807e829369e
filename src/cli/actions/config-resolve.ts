import { UsageError } from '../../core/errors.js';
import type { ConfigResolveOptions } from '../commands/config.js';
import type { Cli } from '../context.js';
import { reportProblems, sideOf } from '../options.js';
import { resolvedLine } from '../render.js';
import { blogFor, outputFor } from '../shared.js';

/** `config resolve`: ends the merge conflicts recorded in the settings, keeping one side. */
export async function configResolve(cli: Cli, opts: ConfigResolveOptions): Promise<void> {
  const out = outputFor(cli);
  const side = sideOf(opts);
  reportProblems(opts.ours && opts.theirs ? ['give --ours or --theirs, not both'] : []);
  if (!side) throw new UsageError('Missing which side to keep: pass --ours or --theirs.');
  const blog = await blogFor(cli);
  const { resolveSettings } = await import('../../api/resolve.js');
  const { ended } = await resolveSettings(blog, side, { fields: opts.field });
  out.result(resolvedLine('the settings', ended));
}
