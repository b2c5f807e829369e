import { requireHumanDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import type { PostPublishOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import type { Kind } from '../kinds.js';
import { alreadyLine, describePost } from '../render.js';
import { DRY_RUN_NOTE, blogFor, forEachItem, outputFor } from '../shared.js';

/** `post publish` and `page publish`: the posts named, now or at a date, or with --due every scheduled one whose time has come. */
export async function postPublish(cli: Cli, kind: Kind, refs: string[], opts: PostPublishOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.due && refs.length) throw new UsageError('Give post references or --due, not both.');
  if (opts.due && opts.at !== undefined) throw new UsageError('--due publishes at the scheduled dates; drop --at.');
  if (!opts.due && refs.length === 0) throw new UsageError('Name the posts to publish (ids, prefixes or slugs), or pass --due.');
  const blog = await blogFor(cli);
  const settings = await blog.settings();
  const dryRun = opts.dryRun;
  if (opts.due) {
    const published = await blog.publishDue({ dryRun });
    for (const post of published) out.result(`${dryRun ? 'Would publish' : 'Published'} ${describePost(post, settings.timezone)}`);
    if (published.length === 0) out.info('No scheduled posts are due.');
    else if (dryRun) out.info(DRY_RUN_NOTE);
    return;
  }
  const at = opts.at !== undefined ? await requireHumanDate(opts.at, blog.now(), settings.timezone, '--at') : undefined;
  await forEachItem(out, refs, async (ref) => {
    const { post, changed } = await blog.publishPost(ref, { at, dryRun });
    if (!changed) return alreadyLine(post, settings.timezone, kind.noun);
    const scheduled = post.status === 'scheduled';
    const verb = dryRun ? (scheduled ? 'Would schedule' : 'Would publish') : scheduled ? 'Scheduled' : 'Published';
    return `${verb} ${describePost(post, settings.timezone)}`;
  });
  if (dryRun) out.info(DRY_RUN_NOTE);
}
