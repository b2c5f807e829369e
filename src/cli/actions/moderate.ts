import type { Blog } from '../../api/blog.js';
import { STATUS_ACTION_SPECS } from '../../api/comments.js';
import type { CommentEntry, CommentKey } from '../../api/comments.js';
import { CancelledError, NotFoundError, TermpressError, UsageError } from '../../core/errors.js';
import { stripControl } from '../../core/text.js';
import type { ModerateOptions } from '../commands/moderate.js';
import type { Cli } from '../context.js';
import { askKey, releaseKeys } from '../moderate-prompts.js';
import type { KeyChoice } from '../moderate-prompts.js';
import type { Output, Paint } from '../output.js';
import { canPrompt } from '../prompts.js';
import { blogFor, outputFor } from '../shared.js';
import { queueCard, replyNotes } from '../render.js';
import type { Wrap } from '../render.js';
import { editCommentPickup, replyPickup, staffIdentity, writeInEditor } from '../staff.js';
import type { KeptText } from '../../api/recovery.js';
import { keepOnFailure } from '../recovery.js';
import type { Pickup } from '../recovery.js';

type Key = 'approve' | 'spam' | 'trash' | 'reply' | 'edit' | 'skip' | 'undo' | 'quit';

const KEYS: ReadonlyArray<KeyChoice<Key> & { help: string }> = [
  { key: 'a', value: 'approve', label: 'approve', help: 'show the comment on the site' },
  { key: 's', value: 'spam', label: 'spam', help: 'mark it as spam (hidden; termpress comment unspam brings it back)' },
  { key: 't', value: 'trash', label: 'trash', help: 'move it to the trash (termpress comment restore brings it back)' },
  { key: 'r', value: 'reply', label: 'reply', help: 'answer it in your editor, as the blog; approves it too' },
  { key: 'e', value: 'edit', label: 'edit', help: 'change its text in your editor, then decide' },
  { key: 'n', value: 'skip', label: 'skip', help: 'leave it pending and go to the next' },
  { key: 'u', value: 'undo', label: 'undo', help: 'take back the last step' },
  { key: 'q', value: 'quit', label: 'quit', help: 'stop here; the rest stay pending' },
];

/** What `?` shows: every key with what it does. */
function keyHelp(color: Paint): string {
  return [
    ...KEYS.map((k) => `  ${color.bold(k.key)}  ${k.label.padEnd(8)}${k.help}`),
    `  ${color.bold('?')}  ${'keys'.padEnd(8)}this list`,
    `  ${color.bold('Ctrl-C')} stop at once`,
  ].join('\n');
}

/** What the summary counts. */
type Done = 'approved' | 'spam' | 'trashed' | 'replied' | 'edited' | 'skipped';

/** One step taken in the queue, with how to take it back. */
interface Step {
  done: Done;
  index: number;
  id: string;
  undo: () => Promise<void>;
}

function keyLine(color: Paint): string {
  return [...KEYS.map((k) => `${color.bold(k.key)} ${k.label}`), `${color.bold('?')} keys`].join('  ');
}

function summaryOf(steps: Step[], stillPending: number): string {
  const count = (done: Done) => steps.filter((s) => s.done === done).length;
  const parts = (['approved', 'spam', 'trashed', 'replied', 'edited', 'skipped'] as const).map((d) => `${count(d)} ${d}`);
  return `Moderation done: ${parts.join(', ')}; ${stillPending} still pending.`;
}

/** `termpress moderate`: the pending queue, one comment at a time, one key per action, then a summary. */
export async function moderate(cli: Cli, opts: ModerateOptions): Promise<void> {
  const out = outputFor(cli);
  if (!canPrompt(cli.ctx, cli.globals())) {
    throw new UsageError(
      'termpress moderate needs a terminal: in scripts use termpress comment list --status pending, then termpress comment approve|spam|trash <id>... (or --all with filters).',
    );
  }
  const blog = await blogFor(cli);
  const queue = (await blog.listComments({ status: ['pending'], post: opts.post, order: 'oldest' })).map((e) => ({
    postId: e.post.id,
    commentId: e.comment.id,
  }));
  if (queue.length === 0) {
    out.result('No comments are waiting for moderation.');
    return;
  }
  const steps: Step[] = [];
  try {
    await walk(cli, blog, out, queue, steps);
  } finally {
    releaseKeys(cli.ctx);
    const left = await blog.listComments({ status: ['pending'], post: opts.post }).then(
      (l) => l.length,
      () => Number.NaN,
    );
    out.result(summaryOf(steps, left));
  }
}

async function walk(cli: Cli, blog: Blog, out: Output, queue: CommentKey[], steps: Step[]): Promise<void> {
  const color = out.color;
  const timezone = (await blog.settings()).timezone;
  const { default: wrapAnsi } = await import('wrap-ansi');
  const wrap: Wrap = (line, width) => wrapAnsi(line, width, { hard: true, trim: false });
  const columns = () => Math.min((cli.ctx.stdout as { columns?: number }).columns ?? 80, 120);
  let index = 0;
  let note = '';
  const me = await staffIdentity(cli, blog);

  while (index < queue.length) {
    // Each step reads and writes only the comment's own post, whatever the size of the rest of the blog.
    const queued = queue[index]!;
    const id = queued.commentId;
    let entry: CommentEntry;
    try {
      entry = await blog.getComment(id, { post: queued.postId });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      note = `Comment ${id} is gone (deleted elsewhere); moved on.`;
      index++;
      continue;
    }
    if (entry.comment.status !== 'pending') {
      note = `Comment ${id} was ${entry.comment.status} elsewhere meanwhile; moved on.`;
      index++;
      continue;
    }
    // A fresh screen per comment, so that one card is read at a time.
    out.clearScreen();
    if (note) out.result(`${note}\n`);
    note = '';
    out.result(`${queueCard(entry, `${index + 1} of ${queue.length}`, timezone, color, wrap, columns())}\n${keyLine(color)}`);
    const key = await askKey(cli.ctx, out.forStdout(color.bold('Action? ')), KEYS, { help: out.forStdout(keyHelp(color)) });
    try {
      switch (key) {
        case 'approve':
        case 'spam':
        case 'trash': {
          await blog.setCommentStatus(queued, key);
          const { undo, done: verb } = STATUS_ACTION_SPECS[key];
          const done: Done = key === 'approve' ? 'approved' : key === 'spam' ? 'spam' : 'trashed';
          steps.push({ done, index, id, undo: async () => void (await blog.setCommentStatus(queued, undo)) });
          note = `${verb} comment ${id}.`;
          index++;
          break;
        }
        case 'reply': {
          const kept = { reply: id };
          const pickup = replyPickup(id);
          const text = await editorTextOrNote(cli, blog, '', kept, { notes: replyNotes(entry, timezone), pickup });
          if (typeof text !== 'string') {
            note = `Reply not sent: ${text.note}`;
            break;
          }
          if (text.trim() === '') {
            note = 'Reply not sent: the text was empty.';
            break;
          }
          const reply = await keepOnFailure(blog, kept, text, () => blog.replyToComment(id, { body: text, ...me }), pickup);
          steps.push({
            done: 'replied',
            index,
            id,
            undo: async () => {
              await blog.deleteComment({ postId: queued.postId, commentId: reply.comment.id }, { force: true });
              if (reply.approvedParent) await blog.setCommentStatus(queued, 'unapprove');
            },
          });
          note = `Replied ${reply.comment.id} and approved comment ${id}.`;
          index++;
          break;
        }
        case 'edit': {
          const kept = { comment: id };
          const before = entry.comment;
          const pickup = editCommentPickup(id);
          const text = await editorTextOrNote(cli, blog, before.body, kept, { pickup });
          if (typeof text !== 'string') {
            note = `Comment ${id} not edited: ${text.note}`;
            break;
          }
          const result = await keepOnFailure(
            blog,
            kept,
            text,
            () => blog.editComment(id, { body: text }, { base: before, recoveryText: text }),
            pickup,
          );
          if (result.changed.length === 0) {
            note = `No changes to comment ${id}.`;
            break;
          }
          steps.push({ done: 'edited', index, id, undo: async () => void (await blog.editComment(id, { body: before.body })) });
          note = `Edited comment ${id}; now approve, spam, trash or skip it.`;
          break;
        }
        case 'skip':
          steps.push({ done: 'skipped', index, id, undo: async () => undefined });
          index++;
          break;
        case 'undo': {
          const last = steps.pop();
          if (!last) {
            note = 'Nothing to undo.';
            break;
          }
          await last.undo();
          index = last.index;
          note = `Undone: ${last.done} ${last.id}.`;
          break;
        }
        case 'quit':
          return;
      }
    } catch (error) {
      if (error instanceof CancelledError || !(error instanceof TermpressError)) throw error;
      note = color.red(`Not done: ${stripControl(error.message)}`);
    }
  }
  out.clearScreen();
  if (note) out.result(note);
  out.result('The queue is done.');
}

/** Text from the editor, or, when the editor was given up (it exited with an error), why: the queue goes on. */
async function editorTextOrNote(
  cli: Cli,
  blog: Blog,
  initial: string,
  kept: KeptText,
  options: { notes?: string; pickup?: Pickup },
): Promise<string | { note: string }> {
  try {
    return await writeInEditor(cli, blog, initial, kept, options);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    return { note: error.message };
  }
}
