/** Prompts of the moderation commands: a one-key choice, and text written in the person's editor. */

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import { CancelledError, UsageError } from '../core/errors.js';
import type { CliContext } from './context.js';

/** A choice answered with one key. */
export interface KeyChoice<T extends string> {
  key: string;
  value: T;
  label: string;
}

interface RawInput {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  isRaw?: boolean;
}

/**
 * Waits for one key among the choices (no Enter needed) and returns its value; other keys are ignored.
 * Ctrl-C or Ctrl-D is a clean cancel. Inquirer's `expand` wants Enter after the key, which doubles the
 * keystrokes of a long queue, hence raw keypresses here.
 */
export async function askKey<T extends string>(ctx: CliContext, message: string, choices: ReadonlyArray<KeyChoice<T>>): Promise<T> {
  const stdin = ctx.stdin as CliContext['stdin'] & RawInput;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new UsageError('This prompt needs a terminal on standard input.');
  }
  ctx.stdout.write(message);
  emitKeypressEvents(stdin);
  const wasRaw = Boolean(stdin.isRaw);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<T>((resolve, reject) => {
      const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
        if (key?.ctrl && (key.name === 'c' || key.name === 'd')) {
          finish();
          ctx.stdout.write('\n');
          reject(new CancelledError());
          return;
        }
        const typed = (text ?? '').toLowerCase();
        const choice = choices.find((c) => c.key === typed || (c.key === ' ' && key?.name === 'space'));
        if (!choice) return;
        finish();
        ctx.stdout.write(`${choice.label}\n`);
        resolve(choice.value);
      };
      const onEnd = () => {
        finish();
        reject(new CancelledError());
      };
      const finish = () => {
        stdin.off('keypress', onKey);
        stdin.off('end', onEnd);
      };
      stdin.on('keypress', onKey);
      stdin.once('end', onEnd);
    });
  } finally {
    stdin.setRawMode(wasRaw);
    stdin.pause();
  }
}

/** The editor command: `termpress config --global set editor`, else $VISUAL, else $EDITOR, else vi. */
export function editorCommand(env: NodeJS.ProcessEnv, configured?: string): string {
  const pick = [configured, env.VISUAL, env.EDITOR].find((e) => e !== undefined && e.trim() !== '');
  return pick?.trim() ?? (process.platform === 'win32' ? 'notepad' : 'vi');
}

/**
 * Opens text in the person's editor and returns what they saved. The command may carry arguments
 * ("code --wait"); it runs through the shell with the file as its last argument. When the editor
 * fails after the text changed, `keep` saves the text and the error says where.
 */
export async function editText(
  ctx: CliContext,
  text: string,
  options: { name: string; editor: string; keep: (text: string) => Promise<string> },
): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'termpress-edit-'));
  const file = path.join(dir, options.name);
  try {
    await fs.writeFile(file, text, 'utf8');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(`${options.editor} "$TERMPRESS_EDIT_FILE"`, {
        shell: true,
        stdio: 'inherit',
        cwd: ctx.cwd,
        env: { ...ctx.env, TERMPRESS_EDIT_FILE: file },
      });
      child.once('error', reject);
      child.once('exit', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
    });
    const edited = await fs.readFile(file, 'utf8');
    if (code !== 0) {
      const kept = edited !== text ? ` Your text is kept in ${await options.keep(edited)}.` : '';
      throw new UsageError(
        `The editor "${options.editor}" exited with code ${code}.${kept} Set one with termpress config --global set editor <command>, or $VISUAL/$EDITOR.`,
      );
    }
    return edited;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
