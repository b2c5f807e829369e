import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import type { CommentReplyOptions } from '../commands/comment.js';
import type { Cli } from '../context.js';
import { bodyFrom } from '../post-input.js';
import { canPrompt, missingValue } from '../prompts.js';
import { dropPickedUp, keepOnFailure } from '../recovery.js';
import type { Pickup } from '../recovery.js';
import { replyNotes } from '../render.js';
import { blogFor, outputFor } from '../shared.js';
import { replyPickup, staffIdentity, writeInEditor } from '../staff.js';

/** `comment reply <id>`: a reply signed by the blog's people, approved, threaded under the comment. */
export async function commentReply(cli: Cli, ref: string, opts: CommentReplyOptions): Promise<void> {
  const out = outputFor(cli);
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('Give --body or --body-file, not both.');
  const blog = await blogFor(cli);
  let body = await bodyFrom(opts, cli.ctx);
  const typed = body === undefined;
  let pickup: Pickup | undefined;
  let repliedTo = ref;
  if (body === undefined) {
    if (!canPrompt(cli.ctx, cli.globals())) throw missingValue('reply text', '--body <text> or --body-file <path|->');
    const entry = await blog.getComment(ref);
    repliedTo = entry.comment.id;
    pickup = replyPickup(repliedTo);
    const notes = replyNotes(entry, (await blog.settings()).timezone);
    body = await writeInEditor(cli, blog, '', { reply: repliedTo }, { notes, pickup });
  }
  const text = body;
  const me = await staffIdentity(cli, blog);
  const reply = await keepOnFailure(
    blog,
    { reply: repliedTo },
    typed ? text : '',
    () => blog.replyToComment(ref, { body: text, author: opts.author ?? me.author, email: opts.email ?? me.email }),
    pickup,
  );
  if (opts.bodyFile !== undefined && opts.bodyFile !== '-') await dropPickedUp(blog, path.resolve(cli.ctx.cwd, opts.bodyFile), out);
  if (opts.porcelain) {
    out.result(reply.comment.id);
    return;
  }
  out.result(`Replied ${reply.comment.id} to comment ${reply.comment.parentId} on "${oneLine(reply.post.title)}"`);
  if (reply.approvedParent) out.info(`Approved comment ${reply.approvedParent.id} along with the reply.`);
}
