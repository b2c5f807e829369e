import type { PostChanges } from '../../api/blog.js';
import { UsageError } from '../../core/errors.js';
import { assertEditableStatus } from '../../core/posts.js';
import type { PostEditOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import { pagePlacement } from '../kinds.js';
import type { Kind } from '../kinds.js';
import { reportProblems } from '../options.js';
import { editFromFile, editInEditorFlow } from '../post-draft.js';
import { readBodySource } from '../post-input.js';
import { canPrompt } from '../prompts.js';
import { blogFor, outputFor } from '../shared.js';

/** The flags that change a field, which --from replaces all of. */
const FIELD_FLAGS = [
  'title',
  'slug',
  'body',
  'bodyFile',
  'category',
  'tag',
  'addTag',
  'removeTag',
  'excerpt',
  'author',
  'comments',
  'sticky',
  'status',
  'parent',
  'topLevel',
  'order',
] as const;

/** `post edit` and `page edit`: the fields the flags change, a --from file, or the post in the editor in a terminal. */
export async function postEdit(cli: Cli, kind: Kind, ref: string, opts: PostEditOptions): Promise<void> {
  const out = outputFor(cli);
  const problems: string[] = [];
  if (opts.body !== undefined && opts.bodyFile !== undefined) problems.push('give --body or --body-file, not both');
  if (opts.tag !== undefined && (opts.addTag !== undefined || opts.removeTag !== undefined)) {
    problems.push('give --tag (replace) or --add-tag/--remove-tag, not both');
  }
  let status: 'draft' | 'pending' | undefined;
  try {
    if (opts.status !== undefined) status = assertEditableStatus(opts.status);
  } catch (error) {
    problems.push((error as Error).message.replace(/\.$/, ''));
  }
  if (opts.parent !== undefined && opts.topLevel) problems.push('give --parent or --top-level, not both');
  if (opts.from !== undefined && FIELD_FLAGS.some((flag) => opts[flag] !== undefined)) {
    problems.push('--from holds every field already: drop the field flags, or drop --from');
  }
  reportProblems(problems);
  const placement = pagePlacement(kind, { parent: opts.topLevel ? '' : opts.parent, order: opts.order });
  const blog = await blogFor(cli);
  if (opts.from !== undefined) return editFromFile(cli, blog, ref, opts.from, opts.ifRevision);
  const changes: PostChanges = {};
  if (placement.parent !== undefined) changes.parent = placement.parent === '' ? null : placement.parent;
  if (placement.menuOrder !== undefined) changes.menuOrder = placement.menuOrder;
  if (opts.title !== undefined) changes.title = opts.title;
  if (opts.slug !== undefined) changes.slug = opts.slug;
  if (opts.body !== undefined) changes.body = opts.body;
  if (opts.bodyFile !== undefined) changes.body = await readBodySource(opts.bodyFile, cli.ctx);
  if (opts.category !== undefined) changes.categories = opts.category;
  if (opts.tag !== undefined) changes.tags = opts.tag;
  // Applied to the tags as they are under the lock, so concurrent --add-tag runs all keep theirs.
  if (opts.addTag !== undefined) changes.addTags = opts.addTag;
  if (opts.removeTag !== undefined) changes.removeTags = opts.removeTag;
  if (opts.excerpt !== undefined) changes.excerpt = opts.excerpt;
  if (opts.author !== undefined) changes.author = opts.author;
  if (opts.comments !== undefined) changes.commentStatus = opts.comments;
  if (opts.sticky !== undefined) changes.sticky = opts.sticky;
  if (status !== undefined) changes.status = status;
  if (Object.keys(changes).length === 0) {
    if (canPrompt(cli.ctx, cli.globals())) return editInEditorFlow(cli, blog, ref, opts.ifRevision);
    throw new UsageError('Nothing to change: pass a field flag such as --title, --body-file or --tag (see termpress post edit --help).');
  }
  const { post, changed } = await blog.updatePost(ref, changes, { expectedRevision: opts.ifRevision });
  if (changed.length === 0) out.result(`No changes to ${post.id} (revision ${post.revision}).`);
  else out.result(`Updated ${post.id} "${post.title}": ${changed.join(', ')} (revision ${post.revision})`);
}
