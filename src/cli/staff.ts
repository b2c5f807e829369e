/** Writing as the blog's own people: who a reply is signed by, and text from the editor that is never lost. */
import type { Blog } from '../api/blog.js';
import { keptTextName } from '../api/recovery.js';
import type { KeptText } from '../api/recovery.js';
import type { Cli } from './context.js';
import { releaseKeys } from './moderate-prompts.js';
import { keepText } from './recovery.js';
import type { Pickup } from './recovery.js';
import { outputFor } from './shared.js';

/** The name and email a reply of the blog's people is signed with: blog author, else the user's own. */
export async function staffIdentity(cli: Cli, blog: Blog): Promise<{ author?: string; email?: string }> {
  const { openUserConfig } = await import('../api/user.js');
  const user = (await openUserConfig(cli.ctx.env)).all();
  const settings = await blog.settings();
  const author = settings.author || user['author.name'];
  return { ...(author ? { author } : {}), ...(user['author.email'] ? { email: user['author.email'] } : {}) };
}

/**
 * Text written in the person's editor for a comment, with notes below a scissors line that are removed
 * on save. Once written, the text is never lost: if the editor is given up (Ctrl-C, an error exit) it is
 * kept under .termpress/recovery/ and the error says where and which command picks it up.
 */
export async function writeInEditor(
  cli: Cli,
  blog: Blog,
  initial: string,
  kept: KeptText,
  options: { notes?: string; pickup?: Pickup } = {},
): Promise<string> {
  // The moderation queue holds the terminal in raw mode between keys; the editor needs it back as it was.
  releaseKeys(cli.ctx);
  const { editInEditor, quickReturnWarning } = await import('./editor.js');
  const result = await editInEditor(cli.ctx, initial, {
    name: keptTextName(kept),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
    onAbandoned: (text) => keepText(blog, kept, text, options.pickup),
  });
  if (result.quick && !result.changed) outputFor(cli).warn(quickReturnWarning(result.command));
  return result.text;
}

/** How a kept comment edit is saved after all. */
export const editCommentPickup =
  (id: string): Pickup =>
  (file) =>
    `termpress comment edit ${id} --body-file ${file}`;

/** How a kept reply is sent after all. */
export const replyPickup =
  (id: string): Pickup =>
  (file) =>
    `termpress comment reply ${id} --body-file ${file}`;
