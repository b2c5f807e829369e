import path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import type { Blog } from '../../api/blog.js';
import type { BulkOutcome, CommentEntry, CommentQuery, CommentTarget, StatusAction, StatusChange } from '../../api/comments.js';
import { STATUS_ACTIONS, STATUS_ACTION_SPECS, parseCommentStatuses } from '../../api/comments.js';
import { formatDate } from '../../core/dates.js';
import { UsageError } from '../../core/errors.js';
import { oneLine, truncate } from '../../core/text.js';
import type { CommentStatus } from '../../core/types.js';
import type { Cli } from '../context.js';
import { dropPickedUp, keepOnFailure } from '../recovery.js';
import type { Pickup } from '../recovery.js';
import { renderList, toJson } from '../output.js';
import { dateWindowOf, listFieldsOf, listFormatOf, showFormatOf, withDateWindow, withListFormat, withShowFormat } from '../options.js';
import type { Column, Output } from '../output.js';
import { canPrompt, confirmOrCancel, missingValue } from '../prompts.js';
import { blogFor, itemReport, outputFor } from '../shared.js';
import { parseCount, problemCollector, reportProblems } from '../options.js';
import { readBodySource } from '../post-input.js';
import { recordOf, renderCommentText, replyNotes } from '../render.js';
import type { CommentRecord } from '../render.js';
import { editCommentPickup, replyPickup, staffIdentity, writeInEditor } from '../staff.js';

const RECORD_FIELDS = [
  'id',
  'postId',
  'parentId',
  'author',
  'email',
  'url',
  'ip',
  'userAgent',
  'body',
  'status',
  'previousStatus',
  'createdAt',
  'updatedAt',
  'type',
  'reasons',
] as const;
const CSV_FIELDS = ['id', 'postId', 'parentId', 'status', 'author', 'email', 'url', 'ip', 'createdAt', 'type', 'body'] as const;

/** `termpress comment ...`: readers' comments and their moderation. */
export function commentCommand(cli: Cli) {
  const comment = new Command('comment').description('add, list, show, edit, reply to and moderate comments');
  comment.addCommand(addCommand(cli));
  comment.addCommand(listCommand(cli));
  comment.addCommand(showCommand(cli));
  comment.addCommand(editCommand(cli));
  comment.addCommand(replyCommand(cli));
  for (const action of STATUS_ACTIONS) comment.addCommand(statusCommand(cli, action));
  comment.addCommand(deleteCommand(cli));
  return comment;
}

const VERB: Record<CommentStatus, string> = {
  approved: 'Approved',
  pending: 'Held for moderation',
  spam: 'Marked as spam',
  trash: 'Trashed',
};

function addedLine(entry: CommentEntry): string {
  const { comment, post } = entry;
  const reasons = comment.reasons.length ? `: ${comment.reasons.map(oneLine).join('; ')}` : '';
  return `${VERB[comment.status]} comment ${comment.id} by ${oneLine(comment.author) || 'Anonymous'} on "${oneLine(post.title)}"${reasons}`;
}

async function bodyFrom(cli: Cli, opts: { body?: string | undefined; bodyFile?: string | undefined }): Promise<string | undefined> {
  if (opts.body !== undefined) return opts.body;
  if (opts.bodyFile !== undefined) return readBodySource(opts.bodyFile, cli.ctx);
  return undefined;
}

function addCommand(cli: Cli) {
  const command = new Command('add')
    .description("add a reader's comment to a post; the moderation rules decide its status and say why")
    .argument('<post-ref>', 'the post: an id, an id prefix of 4+ characters, or a slug')
    .option('--author <name>', "the commenter's name")
    .option('--email <email>', "the commenter's email")
    .option('--url <url>', "the commenter's web address")
    .option('--body <text>', 'the comment text')
    .option('--body-file <path>', 'read the comment text from a file, or - for standard input')
    .option('--parent <id>', 'the comment this one replies to (id or prefix, on the same post)')
    .option('--ip <address>', "the commenter's ip address")
    .option('--user-agent <text>', "the commenter's browser")
    .addOption(
      new Option('--type <type>', 'comment, pingback or trackback')
        .choices(['comment', 'pingback', 'trackback'] as const)
        .default('comment' as const),
    )
    .option('--approve', "written by the blog's people: approve without the moderation rules")
    .option('--porcelain', 'print only the new id');
  return withShowFormat(command).action(async (postRef, opts) => {
    const out = outputFor(cli);
    const problems: string[] = [];
    if (opts.body !== undefined && opts.bodyFile !== undefined) problems.push('give --body or --body-file, not both');
    let format: 'text' | 'json' = 'text';
    try {
      format = showFormatOf(opts);
    } catch (error) {
      problems.push((error as Error).message.replace(/\.$/, ''));
    }
    if (opts.porcelain && format === 'json') problems.push('give --porcelain (the id) or --format json (the whole comment), not both');
    reportProblems(problems);
    const blog = await blogFor(cli);
    let body = await bodyFrom(cli, opts);
    if (body === undefined) {
      if (!canPrompt(cli.ctx, cli.globals())) throw missingValue('comment text', '--body <text> or --body-file <path|->');
      body = await writeInEditor(cli, blog, '', { newComment: postRef });
    }
    const text = body;
    const added = await keepOnFailure(
      blog,
      { newComment: postRef },
      opts.bodyFile === undefined && opts.body === undefined ? text : '',
      () =>
        blog.addComment(postRef, {
          author: opts.author,
          email: opts.email,
          url: opts.url,
          ip: opts.ip,
          userAgent: opts.userAgent,
          body: text,
          parentId: opts.parent,
          type: opts.type,
          approve: opts.approve,
        }),
    );
    // A form handler or mail hook learns at once whether the comment was held, and why.
    if (format === 'json') out.result(toJson(recordOf(added)));
    else out.result(opts.porcelain ? added.comment.id : addedLine(added));
  });
}

function listCommand(cli: Cli) {
  const command = new Command('list')
    .alias('ls')
    .description('list comments, newest first (default: pending and approved, not those of trashed posts)')
    .option('--post <ref>', 'only the comments of this post')
    .option('--status <list>', 'a comma list of pending, approved, spam, trash, or all (also shows comments of trashed posts)')
    .option('--author <name>', 'only comments by this name')
    .option('--email <email>', 'only comments from this email')
    .option('--search <text>', 'only comments whose text, name, email or url holds this');
  return withListFormat(withDateWindow(command, 'comments'), RECORD_FIELDS)
    .option('--oldest', 'oldest first')
    .option('--limit <n>', 'at most this many comments', parseCount('--limit'))
    .action(async (opts) => {
      const out = outputFor(cli);
      const blog = await blogFor(cli);
      const { problems, attempt } = problemCollector();
      const settings = await blog.settings();
      const format = await listFormatOf(opts, attempt);
      const query: CommentQuery = {
        ...(await dateWindowOf(opts, blog.now(), settings.timezone, attempt)),
        post: opts.post,
        status: opts.status !== undefined ? await attempt(() => parseCommentStatuses(opts.status!)) : undefined,
        author: opts.author,
        email: opts.email,
        search: opts.search,
        order: opts.oldest ? 'oldest' : 'newest',
        limit: opts.limit,
      };
      const fields = await listFieldsOf(opts, RECORD_FIELDS, attempt);
      reportProblems(problems);
      const entries = await blog.listComments(query);
      const slugOf = new Map(entries.map((e) => [e.post.id, e.post.slug]));
      const tz = settings.timezone;
      const columns: Column<CommentRecord>[] = [
        { field: 'id', header: 'ID', value: (c) => c.id },
        { field: 'status', header: 'STATUS', value: (c) => c.status },
        { field: 'createdAt', header: 'DATE', value: (c) => formatDate(c.createdAt, tz) },
        { field: 'author', header: 'AUTHOR', value: (c) => truncate(oneLine(c.author) || 'Anonymous', 24) },
        { field: 'postId', header: 'POST', value: (c) => truncate(slugOf.get(c.postId) ?? c.postId, 24) },
        { field: 'body', header: 'COMMENT', value: (c) => truncate(oneLine(c.body), 50) },
      ];
      const records = entries.map(recordOf);
      const text = await renderList(records, { format: format!, fields, columns, csvFields: CSV_FIELDS, color: out.color });
      if (text) out.result(text);
      else if (format === 'table') out.info('No comments.');
    });
}

function showCommand(cli: Cli) {
  const command = new Command('show')
    .description('show one comment in full, with why the rules decided what they did')
    .argument('<id>', 'a comment id or a unique prefix of 4+ characters');
  return withShowFormat(command).action(async (ref, opts) => {
    const out = outputFor(cli);
    const format = showFormatOf(opts);
    const blog = await blogFor(cli);
    const entry = await blog.getComment(ref);
    if (format === 'json') out.result(toJson(recordOf(entry)));
    else out.result(renderCommentText(entry, (await blog.settings()).timezone, out.color));
  });
}

function editCommand(cli: Cli) {
  return new Command('edit')
    .description("change a comment's name, email, url or text (the editor in a terminal when no flag is given)")
    .argument('<id>', 'a comment id or a unique prefix of 4+ characters')
    .option('--author <name>', 'a new name')
    .option('--email <email>', 'a new email')
    .option('--url <url>', 'a new web address (empty to remove)')
    .option('--body <text>', 'a new text')
    .option('--body-file <path>', 'read the new text from a file, or - for standard input')
    .action(async (ref, opts) => {
      const out = outputFor(cli);
      if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('Give --body or --body-file, not both.');
      const blog = await blogFor(cli);
      const changes = { author: opts.author, email: opts.email, url: opts.url, body: await bodyFrom(cli, opts) };
      let result;
      if (Object.values(changes).every((v) => v === undefined)) {
        if (!canPrompt(cli.ctx, cli.globals())) {
          throw new UsageError('Nothing to change: pass --body, --body-file, --author, --email or --url (no terminal for the editor).');
        }
        const { comment } = await blog.getComment(ref);
        const kept = { comment: comment.id };
        const pickup = editCommentPickup(comment.id);
        const text = await writeInEditor(cli, blog, comment.body, kept, { pickup });
        result = await keepOnFailure(
          blog,
          kept,
          text,
          () => blog.editComment(comment.id, { body: text }, { base: comment, recoveryText: text }),
          pickup,
        );
      } else {
        result = await blog.editComment(ref, changes);
        if (opts.bodyFile !== undefined && opts.bodyFile !== '-') await dropPickedUp(blog, path.resolve(cli.ctx.cwd, opts.bodyFile), out);
      }
      if (result.changed.length === 0) out.result(`No changes to comment ${result.comment.id}.`);
      else out.result(`Updated comment ${result.comment.id}: ${result.changed.join(', ')}`);
    });
}

function replyCommand(cli: Cli) {
  return new Command('reply')
    .description("reply as the blog's author: approved, threaded under the comment (approves a pending one too)")
    .argument('<id>', 'the comment replied to: an id or a unique prefix of 4+ characters')
    .option('--body <text>', 'the reply')
    .option('--body-file <path>', 'read the reply from a file, or - for standard input')
    .option('--author <name>', 'sign with this name (default: the blog author, then config --global author.name)')
    .option('--email <email>', 'sign with this email (default: config --global author.email)')
    .option('--porcelain', 'print only the new id')
    .action(async (ref, opts) => {
      const out = outputFor(cli);
      if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('Give --body or --body-file, not both.');
      const blog = await blogFor(cli);
      let body = await bodyFrom(cli, opts);
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
    });
}

/** The help line of each status command. */
const ACTION_HELP: Readonly<Record<StatusAction, string>> = {
  approve: 'approve comments (they appear on the site)',
  unapprove: 'return approved comments to pending',
  spam: 'mark comments as spam (unspam returns them)',
  unspam: 'return spam to the status it had before',
  trash: 'move comments to the trash (restore returns them)',
  restore: 'return trashed comments to the status they had before',
};

/** Options of the bulk commands: ids, or --all with filters. */
function withSelection(command: Command<[string[]]>) {
  return command
    .option('--all', 'every comment the filters select (with no --status: those the action applies to)')
    .option('--status <list>', 'with --all: a comma list of pending, approved, spam, trash, or all')
    .option('--post <ref>', 'with --all: only the comments of this post')
    .option('--author <name>', 'with --all: only comments by this name')
    .option('--email <email>', 'with --all: only comments from this email')
    .option('--dry-run', 'say what would be done to each comment, and write nothing')
    .option('-y, --yes', 'do not ask for confirmation');
}

interface SelectionOptions {
  all?: true | undefined;
  dryRun?: true | undefined;
  status?: string | undefined;
  post?: string | undefined;
  author?: string | undefined;
  email?: string | undefined;
  yes?: true | undefined;
}

/** The comments a bulk command works on: the ids given, or those --all and the filters select. */
async function selectTargets(
  blog: Blog,
  ids: string[],
  opts: SelectionOptions,
  defaults: CommentStatus[],
  verb: string,
): Promise<CommentTarget[]> {
  const { problems, attempt } = problemCollector();
  const filters = (['status', 'post', 'author', 'email'] as const).filter((f) => opts[f] !== undefined);
  if (opts.all && ids.length) problems.push('give comment ids or --all, not both');
  if (!opts.all && ids.length === 0) problems.push(`name the comments to ${verb} (ids or prefixes), or pass --all with filters`);
  if (!opts.all && filters.length) problems.push(`${filters.map((f) => `--${f}`).join(', ')} select comments with --all: add --all`);
  const status = opts.status !== undefined ? await attempt(() => parseCommentStatuses(opts.status!)) : undefined;
  reportProblems(problems);
  if (!opts.all) return ids;
  const entries = await blog.listComments({
    status: status ?? defaults,
    post: opts.post,
    author: opts.author,
    email: opts.email,
    order: 'oldest',
  });
  return entries.map((e) => ({ postId: e.post.id, commentId: e.comment.id }));
}

/** Runs a bulk action, printing each comment's line in the order selected as the posts are done. */
async function reportBulk<T>(
  out: Output,
  targets: CommentTarget[],
  run: (onOutcome: (index: number, outcome: BulkOutcome<T>) => void) => Promise<unknown>,
  line: (value: T) => string,
): Promise<void> {
  const report = itemReport(out, targets.length);
  await run((index, outcome) => report.settle(index, outcome.ok ? { ok: true, value: line(outcome.value) } : outcome));
  report.finish();
}

function statusCommand(cli: Cli, action: StatusAction) {
  const spec = STATUS_ACTION_SPECS[action];
  const command = new Command(action).description(ACTION_HELP[action]).argument('[ids...]', 'comment ids or prefixes of 4+ characters');
  return withSelection(command).action(async (ids, opts) => {
    const out = outputFor(cli);
    const blog = await blogFor(cli);
    const selected = await selectTargets(blog, ids, opts, [...spec.appliesTo], action);
    if (selected.length === 0) {
      out.info('No comments match.');
      return;
    }
    if (opts.all && !opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
      await confirmOrCancel(
        cli.ctx,
        `${action[0]!.toUpperCase()}${action.slice(1)} ${selected.length} comment${selected.length === 1 ? '' : 's'}?`,
      );
    }
    await reportBulk(
      out,
      selected,
      (onOutcome) => blog.setCommentStatuses(selected, action, { onOutcome, dryRun: opts.dryRun }),
      ({ comment, post, from, changed }: StatusChange) => {
        if (!changed) return `Comment ${comment.id} is already ${comment.status}`;
        const verb = opts.dryRun ? `Would ${action}` : spec.done;
        return `${verb} comment ${comment.id} by ${oneLine(comment.author) || 'Anonymous'} on "${oneLine(post.title)}" (${from} -> ${comment.status})`;
      },
    );
    if (opts.dryRun) out.info('Dry run: nothing was written.');
  });
}

function deleteCommand(cli: Cli) {
  const command = new Command('delete')
    .description('delete comments for good (only from spam or trash unless --force); replies move up a level')
    .argument('[ids...]', 'comment ids or prefixes of 4+ characters');
  return withSelection(command)
    .option('--force', 'delete even if the comment is not in spam or trash')
    .action(async (ids, opts) => {
      const out = outputFor(cli);
      const blog = await blogFor(cli);
      const selected = await selectTargets(blog, ids, opts, ['spam', 'trash'], 'delete');
      if (selected.length === 0) {
        out.info('No comments match.');
        return;
      }
      if (!opts.yes && !opts.dryRun && canPrompt(cli.ctx, cli.globals())) {
        const one = selected.length === 1 ? selected[0]! : undefined;
        const named = one === undefined ? '' : typeof one === 'string' ? one : one.commentId;
        await confirmOrCancel(cli.ctx, `Delete ${one !== undefined ? `comment ${named}` : `${selected.length} comments`} for good?`);
      }
      await reportBulk(
        out,
        selected,
        (onOutcome) => blog.deleteComments(selected, { force: opts.force, onOutcome, dryRun: opts.dryRun }),
        ({ comment, post }: CommentEntry) =>
          `${opts.dryRun ? 'Would delete' : 'Deleted'} comment ${comment.id} by ${oneLine(comment.author) || 'Anonymous'} on "${oneLine(post.title)}"`,
      );
      if (opts.dryRun) out.info('Dry run: nothing was written.');
    });
}
