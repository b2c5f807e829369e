/** `termpress comment ...`: its commands and options; each action is loaded when it runs. */
import { Command, Option } from '@commander-js/extra-typings';
import type { StatusAction } from '../../api/comments.js';
import type { Cli } from '../context.js';
import { parseCount, withDateWindow, withListFormat, withShowFormat } from '../options.js';
import type { OptionsOf } from '../options.js';
import { COMMENT_FIELDS } from '../fields.js';

/** `termpress comment ...`: readers' comments and their moderation. */
export function commentCommand(cli: Cli) {
  const comment = new Command('comment').description('add, list, show, edit, reply to and moderate comments');
  comment.addCommand(
    declareAdd().action(async (postRef, opts) => (await import('../actions/comment-add.js')).commentAdd(cli, postRef, opts)),
  );
  comment.addCommand(declareList().action(async (opts) => (await import('../actions/comment-list.js')).commentList(cli, opts)));
  comment.addCommand(declareShow().action(async (ref, opts) => (await import('../actions/comment-show.js')).commentShow(cli, ref, opts)));
  comment.addCommand(declareEdit().action(async (ref, opts) => (await import('../actions/comment-edit.js')).commentEdit(cli, ref, opts)));
  comment.addCommand(
    declareReply().action(async (ref, opts) => (await import('../actions/comment-reply.js')).commentReply(cli, ref, opts)),
  );
  // Every status action has its help line (the Record type holds ACTION_HELP to that), in the order help lists them;
  // the actions are not imported from the comment rules, which would load them with the declarations.
  for (const action of Object.keys(ACTION_HELP) as StatusAction[]) {
    comment.addCommand(
      declareStatus(action).action(async (ids, opts) =>
        (await import('../actions/comment-status.js')).commentStatus(cli, action, ids, opts),
      ),
    );
  }
  comment.addCommand(
    declareDelete().action(async (ids, opts) => (await import('../actions/comment-delete.js')).commentDelete(cli, ids, opts)),
  );
  return comment;
}

function declareAdd() {
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
  return withShowFormat(command);
}
export type CommentAddOptions = OptionsOf<ReturnType<typeof declareAdd>>;

function declareList() {
  const command = new Command('list')
    .alias('ls')
    .description('list comments, newest first (default: pending and approved, not those of trashed posts)')
    .option('--post <ref>', 'only the comments of this post')
    .option('--status <list>', 'a comma list of pending, approved, spam, trash, or all (also shows comments of trashed posts)')
    .option('--author <name>', 'only comments by this name')
    .option('--email <email>', 'only comments from this email')
    .option('--search <text>', 'only comments whose text, name, email or url holds this');
  return withListFormat(withDateWindow(command, 'comments'), COMMENT_FIELDS)
    .option('--oldest', 'oldest first')
    .option('--limit <n>', 'at most this many comments', parseCount('--limit'));
}
export type CommentListOptions = OptionsOf<ReturnType<typeof declareList>>;

function declareShow() {
  const command = new Command('show')
    .description('show one comment in full, with why the rules decided what they did')
    .argument('<id>', 'a comment id or a unique prefix of 4+ characters');
  return withShowFormat(command);
}
export type CommentShowOptions = OptionsOf<ReturnType<typeof declareShow>>;

function declareEdit() {
  return new Command('edit')
    .description("change a comment's name, email, url or text (the editor in a terminal when no flag is given)")
    .argument('<id>', 'a comment id or a unique prefix of 4+ characters')
    .option('--author <name>', 'a new name')
    .option('--email <email>', 'a new email')
    .option('--url <url>', 'a new web address (empty to remove)')
    .option('--body <text>', 'a new text')
    .option('--body-file <path>', 'read the new text from a file, or - for standard input');
}
export type CommentEditOptions = OptionsOf<ReturnType<typeof declareEdit>>;

function declareReply() {
  return new Command('reply')
    .description("reply as the blog's author: approved, threaded under the comment (approves a pending one too)")
    .argument('<id>', 'the comment replied to: an id or a unique prefix of 4+ characters')
    .option('--body <text>', 'the reply')
    .option('--body-file <path>', 'read the reply from a file, or - for standard input')
    .option('--author <name>', 'sign with this name (default: the blog author, then config --global author.name)')
    .option('--email <email>', 'sign with this email (default: config --global author.email)')
    .option('--porcelain', 'print only the new id');
}
export type CommentReplyOptions = OptionsOf<ReturnType<typeof declareReply>>;

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

function declareStatus(action: StatusAction) {
  const command = new Command(action).description(ACTION_HELP[action]).argument('[ids...]', 'comment ids or prefixes of 4+ characters');
  return withSelection(command);
}
export type CommentStatusOptions = OptionsOf<ReturnType<typeof declareStatus>>;

function declareDelete() {
  const command = new Command('delete')
    .description('delete comments for good (only from spam or trash unless --force); replies move up a level')
    .argument('[ids...]', 'comment ids or prefixes of 4+ characters');
  return withSelection(command).option('--force', 'delete even if the comment is not in spam or trash');
}
export type CommentDeleteOptions = OptionsOf<ReturnType<typeof declareDelete>>;
