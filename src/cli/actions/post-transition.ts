import type { Blog, PostTransition, TransitionOptions } from '../../api/blog.js';
import type { PostTransitionName, PostTransitionOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import type { Kind } from '../kinds.js';
import { alreadyLine, describePost } from '../render.js';
import { DRY_RUN_NOTE, blogFor, forEachItem, outputFor } from '../shared.js';

/** What each transition does to a post, and how its lines say it. */
const TRANSITIONS: Readonly<
  Record<
    PostTransitionName,
    { change: (blog: Blog, ref: string, options: TransitionOptions) => Promise<PostTransition>; done: string; would: string }
  >
> = {
  unpublish: { change: (blog, ref, options) => blog.unpublishPost(ref, options), done: 'Unpublished', would: 'Would unpublish' },
  trash: { change: (blog, ref, options) => blog.trashPost(ref, options), done: 'Trashed', would: 'Would trash' },
  restore: { change: (blog, ref, options) => blog.restorePost(ref, options), done: 'Restored', would: 'Would restore' },
};

/** `post unpublish|trash|restore` and the same for pages: each post named, one line each. */
export async function postTransition(
  cli: Cli,
  kind: Kind,
  name: PostTransitionName,
  refs: string[],
  opts: PostTransitionOptions,
): Promise<void> {
  const { change, done, would } = TRANSITIONS[name];
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const settings = await blog.settings();
  await forEachItem(out, refs, async (ref) => {
    const { post, changed } = await change(blog, ref, { dryRun: opts.dryRun });
    if (!changed) return alreadyLine(post, settings.timezone, kind.noun);
    return `${opts.dryRun ? would : done} ${describePost(post, settings.timezone)}`;
  });
  if (opts.dryRun) out.info(DRY_RUN_NOTE);
}
