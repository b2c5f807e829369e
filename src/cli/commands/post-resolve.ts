/** `termpress post resolve` and `config resolve`: ending what a git merge recorded as changed on both sides. */
import { Command } from '@commander-js/extra-typings';
import type { Blog } from '../../api/blog.js';
import { UsageError } from '../../core/errors.js';
import type { ConflictSide } from '../../core/merge.js';
import { oneLine, truncate } from '../../core/text.js';
import type { MergeConflict, Post } from '../../core/types.js';
import type { Cli } from '../context.js';
import type { Output } from '../output.js';
import { canPrompt, prompterFor } from '../prompts.js';
import { keptSentence } from '../recovery.js';
import { blogFor, collectList, outputFor, reportProblems } from '../shared.js';

/** A recorded value in a few words, for a line or a prompt. */
export function shortValue(values: Record<string, unknown>, field: string): string {
  const keys = Object.keys(values);
  if (keys.length === 0) return '(none)';
  const main = field in values ? values[field] : values[keys[0]!];
  const text = typeof main === 'string' ? JSON.stringify(truncate(oneLine(main), 60)) : JSON.stringify(main);
  return keys.length > 1 && field === 'status' && typeof values.publishedAt === 'string' ? `${text} (date ${values.publishedAt})` : text;
}

/** The lines `post show` prints above a post that has unresolved merge conflicts. */
export function conflictLines(post: Post): string[] {
  const ours: Record<string, unknown> = Object.fromEntries(Object.entries(post));
  return (post.conflicts ?? []).map(
    (c) =>
      `Merge conflict in ${c.field}: this side ${shortValue(ours, c.field)}, the other side ${shortValue(c.theirs, c.field)} (termpress post resolve ${post.id})`,
  );
}

function sideOf(opts: { ours?: true; theirs?: true }): ConflictSide | undefined {
  return opts.ours ? 'ours' : opts.theirs ? 'theirs' : undefined;
}

function reportEnded(out: Output, what: string, ended: Array<{ field: string; side: ConflictSide }>): void {
  if (ended.length === 0) {
    out.result(`${what} has no merge conflicts.`);
    return;
  }
  const list = ended.map(({ field, side }) => `${field} (${side === 'ours' ? "this side's" : "the other side's"})`).join(', ');
  out.result(`Resolved ${what}: ${list}`);
}

/** `post resolve <ref>`: keep this side's values, take the other side's, or settle them in the editor. */
export function resolveCommand(cli: Cli, noun: 'post' | 'page' = 'post') {
  return new Command('resolve')
    .description(`end the merge conflicts a git merge recorded in a ${noun}: keep this side, take the other, or edit`)
    .argument('<ref>', 'an id, an id prefix of 4+ characters, or a slug')
    .option('--ours', 'keep the values the post holds now')
    .option('--theirs', "take the other side's values, as the merge recorded them")
    .option('--edit', "settle them in your editor: the post with the other side's values shown, the body's overlaps between markers")
    .option('--field <name>', 'only these fields (repeatable, or a comma list); default: all', collectList)
    .action(async (ref, opts) => {
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
        reportEnded(out, `post ${value.id}`, ended);
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
        reportEnded(out, `post ${value.id}`, ended);
        return;
      }
      await resolveInEditor(cli, blog, post);
    });
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
  const { applyEdit } = await import('./post-draft.js');
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

/** `config resolve`: ends the merge conflicts recorded in the settings. */
export function configResolveCommand(cli: Cli) {
  return new Command('resolve')
    .description('end the merge conflicts a git merge recorded in the settings')
    .option('--ours', 'keep the values the settings hold now')
    .option('--theirs', "take the other side's values, as the merge recorded them")
    .option('--field <key>', 'only these settings (repeatable, or a comma list); default: all', collectList)
    .action(async (opts) => {
      const out = outputFor(cli);
      const side = sideOf(opts);
      reportProblems(opts.ours && opts.theirs ? ['give --ours or --theirs, not both'] : []);
      if (!side) throw new UsageError('Missing which side to keep: pass --ours or --theirs.');
      const blog = await blogFor(cli);
      const { resolveSettings } = await import('../../api/resolve.js');
      const { ended } = await resolveSettings(blog, side, { fields: opts.field });
      reportEnded(out, 'the settings', ended);
    });
}
