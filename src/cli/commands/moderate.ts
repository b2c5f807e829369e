import { Command } from '@commander-js/extra-typings';
import type { Blog } from '../../api/blog.js';
import { STATUS_ACTION_SPECS } from '../../api/comments.js';
import type { CommentEntry, CommentKey } from '../../api/comments.js';
import { formatDate } from '../../core/dates.js';
import { CancelledError, NotFoundError, TermpressError, UsageError } from '../../core/errors.js';
import { oneLine, stripControl, truncate } from '../../core/text.js';
import type { Cli } from '../context.js';
import { askKey, releaseKeys } from '../moderate-prompts.js';
import type { KeyChoice } from '../moderate-prompts.js';
import type { Output, Paint } from '../output.js';
import { canPrompt } from '../prompts.js';
import { blogFor, outputFor } from '../shared.js';
import { editCommentPickup, replyNotes, replyPickup, staffIdentity, whoLine, writeInEditor } from './comment.js';
import { keepOnFailure } from '../recovery.js';
import type { Pickup } from '../recovery.js';

type Key = 'approve' | 'spam' | 'trash' | 'reply' | 'edit' | 'skip' | 'undo' | 'quit';

const KEYS: ReadonlyArray<KeyChoice<Key>> = [
  { key: 'a', value: 'approve', label: 'approve' },
  { key: 's', value: 'spam', label: 'spam' },
  { key: 't', value: 'trash', label: 'trash' },
  { key: 'r', value: 'reply', label: 'reply' },
  { key: 'e', value: 'edit', label: 'edit' },
  { key: 'n', value: 'skip', label: 'skip' },
  { key: 'u', value: 'undo', label: 'undo' },
  { key: 'q', value: 'quit', label: 'quit' },
];

/** What the summary counts. */
type Done = 'approved' | 'spam' | 'trashed' | 'replied' | 'edited' | 'skipped';

/** One step taken in the queue, with how to take it back. */
interface Step {
  done: Done;
  index: number;
  id: string;
  undo: () => Promise<void>;
}

const BODY_LINES = 18;
const LINK = /(<a\s[^<>]*>)|(https?:\/\/[^\s<>"')\]]+)/gi;

/** A comment's text for the queue: made safe, links highlighted, cut to what a screen holds. */
function bodyForQueue(body: string, color: Paint): string {
  const lines = stripControl(body).trimEnd().split('\n');
  const shown = lines.slice(0, BODY_LINES).map((line) => `  ${line.replace(LINK, (link) => color.underline(color.cyan(link)))}`);
  if (lines.length > BODY_LINES) shown.push(color.dim(`  … ${lines.length - BODY_LINES} more lines (e opens the whole text)`));
  return shown.join('\n');
}

/** The card of one queued comment. */
function card(entry: CommentEntry, position: string, timezone: string, color: Paint): string {
  const { comment, post } = entry;
  const row = (label: string, value: string) => `${color.dim(label.padEnd(9))}${value}`;
  const lines = [
    `${color.bold(`Pending comment ${position}`)}  ${color.dim(comment.id)}`,
    row('Post', `"${oneLine(post.title)}" (${post.slug})`),
    row('Author', whoLine(comment)),
    row('URL', comment.url ? color.underline(color.cyan(oneLine(comment.url))) : color.dim('-')),
    row('IP', oneLine(comment.ip) || color.dim('-')),
    row('Date', formatDate(comment.createdAt, timezone)),
    row('Held', color.yellow(comment.reasons.map(oneLine).join('; ') || 'no reason recorded')),
  ];
  if (comment.type !== 'comment') lines.push(row('Type', comment.type));
  if (comment.parentId) {
    const parent = post.comments.find((c) => c.id === comment.parentId);
    lines.push(
      row(
        'Reply to',
        parent
          ? `${oneLine(parent.author) || 'Anonymous'} (${parent.status}, ${formatDate(parent.createdAt, timezone)}): ${color.italic(truncate(oneLine(parent.body), 80))}`
          : `${comment.parentId} (no longer there)`,
      ),
    );
  }
  lines.push('', bodyForQueue(comment.body, color), '');
  return lines.join('\n');
}

function keyLine(color: Paint): string {
  return KEYS.map((k) => `${color.bold(k.key)} ${k.label}`).join('  ');
}

function summaryOf(steps: Step[], stillPending: number): string {
  const count = (done: Done) => steps.filter((s) => s.done === done).length;
  const parts = (['approved', 'spam', 'trashed', 'replied', 'edited', 'skipped'] as const).map((d) => `${count(d)} ${d}`);
  return `Moderation done: ${parts.join(', ')}; ${stillPending} still pending.`;
}

/** `termpress moderate`: the pending queue, one comment at a time, one key per action. */
export function moderateCommand(cli: Cli) {
  return new Command('moderate')
    .description('walk the pending comments oldest first: approve, spam, trash, reply, edit, skip, undo (needs a terminal)')
    .option('--post <ref>', 'only the comments of this post')
    .action(async (opts) => {
      const out = outputFor(cli);
      if (!canPrompt(cli.ctx, cli.globals())) {
        throw new UsageError(
          'termpress moderate needs a terminal: in scripts use termpress comment list --status pending, then termpress comment approve|spam|trash <id>... (or --all with filters).',
        );
      }
      const blog = await blogFor(cli);
      const queue = (await blog.listComments({ status: ['pending'], post: opts.post, order: 'oldest' })).map((e) => ({ postId: e.post.id, commentId: e.comment.id }));
      if (queue.length === 0) {
        out.result('No comments are waiting for moderation.');
        return;
      }
      const steps: Step[] = [];
      try {
        await walk(cli, blog, out, queue, steps);
      } finally {
        releaseKeys(cli.ctx);
        const left = await blog.listComments({ status: ['pending'], post: opts.post }).then((l) => l.length, () => Number.NaN);
        out.result(summaryOf(steps, left));
      }
    });
}

async function walk(cli: Cli, blog: Blog, out: Output, queue: CommentKey[], steps: Step[]): Promise<void> {
  const color = out.color;
  const timezone = (await blog.settings()).timezone;
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
    out.result(`${card(entry, `${index + 1} of ${queue.length}`, timezone, color)}\n${keyLine(color)}`);
    const key = await askKey(cli.ctx, out.forStdout(color.bold('Action? ')), KEYS);
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
          const name = `reply-${id}.md`;
          const pickup = replyPickup(id);
          const text = await editorTextOrNote(cli, blog, '', name, { notes: replyNotes(entry, timezone), pickup });
          if (typeof text !== 'string') {
            note = `Reply not sent: ${text.note}`;
            break;
          }
          if (text.trim() === '') {
            note = 'Reply not sent: the text was empty.';
            break;
          }
          const reply = await keepOnFailure(blog, name, text, () => blog.replyToComment(id, { body: text, ...me }), pickup);
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
          const name = `comment-${id}.md`;
          const before = entry.comment;
          const pickup = editCommentPickup(id);
          const text = await editorTextOrNote(cli, blog, before.body, name, { pickup });
          if (typeof text !== 'string') {
            note = `Comment ${id} not edited: ${text.note}`;
            break;
          }
          const result = await keepOnFailure(blog, name, text, () => blog.editComment(id, { body: text }, { base: before, recoveryText: text }), pickup);
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
  name: string,
  options: { notes?: string; pickup?: Pickup },
): Promise<string | { note: string }> {
  try {
    return await writeInEditor(cli, blog, initial, name, options);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    return { note: error.message };
  }
}
