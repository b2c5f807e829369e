import type { Blog } from '../../api/blog.js';
import { UsageError } from '../../core/errors.js';
import type { ConflictSide } from '../../core/merge.js';
import type { MergeConflict, Post } from '../../core/types.js';
import type { PostResolveOptions } from '../commands/post.js';
import type { Cli } from '../context.js';
import { reportProblems, sideOf } from '../options.js';
import { canPrompt, prompterFor } from '../prompts.js';
import { keptSentence } from '../recovery.js';
import { resolvedLine, shortValue } from '../render.js';
import { blogFor, outputFor } from '../shared.js';

/** `post resolve <ref>`: ends the merge conflicts of a post, keeping this side, taking the other, or as edited. */
export async function postResolve(cli: Cli, ref: string, opts: PostResolveOptions): Promise<void> {
  const out = outputFor(cli);
  const chosen = [opts.ours, opts.theirs, opts.edit].filter(Boolean).length;
  reportProblems(chosen > 1 ? ['give one of --ours, --theirs and --edit'] : []);
  const blog = await blogFor(cli);
  const { resolvePost } = await import('../../api/resolve.js');
  const post = await blog.getPost(ref);
  if (!post.conflicts?.length) {
    out.result(`Post ${post.id} has no merge conflicts.`);
    return;
  }
  const side = sideOf(opts);
  if (side) {
    const { value, ended } = await resolvePost(blog, post.id, side, { fields: opts.field });
    out.result(resolvedLine(`post ${value.id}`, ended));
    return;
  }
  if (!canPrompt(cli.ctx, cli.globals()))
    throw new UsageError('Missing which side to keep: pass --ours, --theirs or --edit (no terminal to ask on).');
  if (!opts.edit) {
    const prompter = prompterFor(cli.ctx);
    const picks = new Map<string, ConflictSide>();
    const records = post.conflicts.filter((c) => !opts.field || opts.field.includes(c.field));
    for (const record of records) {
      const answer = await prompter.select<ConflictSide | 'edit'>(`${record.field} changed on both sides. Keep which?`, [
        { value: 'ours', name: `This side's: ${shortValue(post as unknown as Record<string, unknown>, record.field)}` },
        { value: 'theirs', name: `The other side's: ${shortValue(record.theirs, record.field)}` },
        { value: 'edit', name: 'Neither as it is: edit the post in my editor' },
      ]);
      if (answer === 'edit') return resolveInEditor(cli, blog, post);
      picks.set(record.field, answer);
    }
    const { value, ended } = await resolvePost(blog, post.id, (record) => picks.get(record.field) ?? 'ours', {
      fields: [...picks.keys()],
    });
    out.result(resolvedLine(`post ${value.id}`, ended));
    return;
  }
  await resolveInEditor(cli, blog, post);
}

/**
 * The post in the editor as `post edit` shows it, its body merged with the overlaps between conflict
 * markers, and the other side's value of every other field in the notes. What is saved is applied as an
 * edit, and then every conflict ends with the post as saved.
 */
async function resolveInEditor(cli: Cli, blog: Blog, post: Post): Promise<void> {
  const out = outputFor(cli);
  const tz = (await blog.settings()).timezone;
  const { editorDocument, readEditedPost } = await import('../../core/post-document.js');
  const { editInEditor } = await import('../editor.js');
  const { hasConflictMarkers, markedText } = await import('../../core/merge.js');
  const { applyEdit } = await import('../post-draft.js');
  const { resolvePost } = await import('../../api/resolve.js');
  const conflicts = post.conflicts ?? [];
  const body = conflicts.find((c) => c.field === 'body');
  const shownBody =
    body && typeof body.theirs.body === 'string'
      ? markedText(typeof body.base?.body === 'string' ? body.base.body : '', post.body, body.theirs.body)
      : post.body;
  const notes = [
    'A git merge found these changed on both sides. Edit the post as it should be and save: that ends the conflicts.',
    ...(body
      ? ['The body holds both sides where they overlap, between <<<<<<< and >>>>>>> lines: keep what belongs and remove the markers.']
      : []),
    ...conflicts
      .filter((c) => c.field !== 'body')
      .map((c: MergeConflict) => `${c.field}: the other side has ${shortValue(c.theirs, c.field)}`),
  ].join('\n');
  const result = await editInEditor(cli.ctx, editorDocument({ ...post, body: shownBody }, tz), { name: `${post.slug}.md`, notes });
  const keep = async (why: string) => {
    const file = await blog.keepText({ post: post.id }, result.text);
    return new UsageError(`${why} ${keptSentence(file, (f) => `termpress post edit ${post.id} --from ${f}`)}`);
  };
  const edited = await readEditedPost(result.text, { base: post, now: blog.now(), timezone: tz }).catch(async (error: unknown) => {
    if (error instanceof UsageError) throw await keep(`${error.message.replace(/\.$/, '')}; the conflicts are still recorded.`);
    throw error;
  });
  if (hasConflictMarkers(edited.body))
    throw await keep('The body still holds conflict markers (<<<<<<< or >>>>>>> lines): the post was not changed.');
  const outcome = await applyEdit(blog, post, edited, { text: result.text, expectedRevision: post.revision, timezone: tz });
  const { value } = await resolvePost(blog, post.id, 'ours');
  const changed = outcome.changed.length ? `: ${outcome.changed.join(', ')}` : '';
  out.result(`Resolved post ${value.id} as edited${changed} (revision ${value.revision})`);
}
