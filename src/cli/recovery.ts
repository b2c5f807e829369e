/** Keeping what a person wrote when a save fails or is cancelled, and saying how to pick it up again. */
import type { Blog } from '../api/blog.js';
import type { KeptText } from '../api/recovery.js';
import { ConflictError } from '../core/errors.js';
import type { Output } from './output.js';

/** The command that picks a kept file up again, given the file: "termpress post create --from <file>". */
export type Pickup = (file: string) => string;

/** Where kept text is, and the command that picks it up: one sentence for every message that keeps text. */
export function keptSentence(file: string, pickup?: Pickup): string {
  return `Your text is kept in ${file}${pickup ? ` (${pickup(shellWord(file))} tries again)` : ''}.`;
}

/** A path as one word a shell reads back unchanged, quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Keeps text under the blog's recovery folder and returns the sentence that says where and how to pick it up. */
export async function keepText(blog: Blog, kept: KeptText, text: string, pickup?: Pickup, replace?: string): Promise<string> {
  return keptSentence(await blog.keepText(kept, text, { replace }), pickup);
}

/**
 * Runs a step that comes after the person wrote text (saving it, asking what next); if the step fails or
 * is cancelled, the text is kept under recovery first and the error names the file and the command that
 * picks it up. Blank text is not worth keeping, and an edit conflict has kept it already.
 */
export async function keepOnFailure<T>(
  blog: Blog,
  kept: KeptText,
  text: string | undefined,
  step: () => Promise<T>,
  pickup?: Pickup,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (text === undefined || text.trim() === '' || !(error instanceof Error)) throw error;
    if (error instanceof ConflictError && error.recoveryPath) throw error;
    const sentence = await keepText(blog, kept, text, pickup);
    error.message = `${error.message.replace(/[\s.]+$/, '')}. ${sentence}`;
    throw error;
  }
}

/** After text read from a kept file was saved for good, the file goes, so that recovery files do not pile up. */
export async function dropPickedUp(blog: Blog, file: string, out: Output): Promise<void> {
  if (await blog.dropKeptText(file)) out.info(`Removed ${file}: its text is saved.`);
}

/** How `post create` picks up a kept draft. */
export const createPickup: Pickup = (file) => `termpress post create --from ${file}`;
