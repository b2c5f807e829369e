import type { PostDeleteOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import type { Kind } from '../kinds.js';
import { canPrompt, confirmOrCancel } from '../prompts.js';
import { DRY_RUN_NOTE, blogFor, forEachItem, outputFor } from '../shared.js';

/** `post delete` and `page delete`: posts gone for good, with their comments, after a question in a terminal. */
export async function postDelete(cli: Cli, kind: Kind, refs: string[], opts: PostDeleteOptions): Promise<void> {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  if (!opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
    await confirmOrCancel(
      cli.ctx,
      `Delete ${refs.length === 1 ? `${kind.noun} ${refs[0]}` : `${refs.length} ${kind.plural}`} for good, with their comments?`,
    );
  }
  await forEachItem(out, refs, async (ref) => {
    const post = await blog.deletePost(ref, { force: opts.force, dryRun: opts.dryRun });
    return `${opts.dryRun ? 'Would delete' : 'Deleted'} ${post.id} "${post.title}"`;
  });
  if (opts.dryRun) out.info(DRY_RUN_NOTE);
}
