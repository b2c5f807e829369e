import type { Blog } from '../api/blog.js';
import { ConflictError } from '../core/errors.js';

/**
 * Runs a step that comes after the person wrote text (saving it, asking what next); if the step fails or
 * is cancelled, the text is kept under recovery first and the error names the file. Blank text is not
 * worth keeping, and an edit conflict has kept it already.
 */
export async function keepOnFailure<T>(blog: Blog, name: string, text: string | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (text === undefined || text.trim() === '' || !(error instanceof Error)) throw error;
    if (error instanceof ConflictError && error.recoveryPath) throw error;
    const file = await blog.store.saveRecovery(name, text);
    const again = name.startsWith('new-') ? ` (termpress post create --from ${file} tries again)` : '';
    error.message = `${error.message.replace(/[\s.]+$/, '')}. Your text is kept in ${file}${again}.`;
    throw error;
  }
}
