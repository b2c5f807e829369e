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

type Keypress = { text: string | undefined; key: { name?: string; ctrl?: boolean } | undefined };

/** Keys typed on a terminal in raw mode, kept in order until a prompt takes them. */
interface KeyBuffer {
  pending: Keypress[];
  waiter: ((press: Keypress | null) => void) | undefined;
  ended: boolean;
  wasRaw: boolean;
  onKey: (text: string | undefined, key: Keypress['key']) => void;
  onEnd: () => void;
}

const buffers = new WeakMap<object, KeyBuffer>();

/**
 * Puts the terminal in raw mode and starts keeping keypresses. The buffer stays for the whole queue, so
 * keys typed while an action is being saved (a moderator pressing "a" down a long queue) are taken by
 * the next prompts in order instead of being lost between them.
 */
function attachKeys(stdin: CliContext['stdin'] & RawInput): KeyBuffer {
  const existing = buffers.get(stdin);
  if (existing) return existing;
  emitKeypressEvents(stdin);
  const buffer: KeyBuffer = {
    pending: [],
    waiter: undefined,
    ended: false,
    wasRaw: Boolean(stdin.isRaw),
    onKey: (text, key) => {
      const take = buffer.waiter;
      buffer.waiter = undefined;
      if (take) take({ text, key });
      else buffer.pending.push({ text, key });
    },
    onEnd: () => {
      buffer.ended = true;
      const take = buffer.waiter;
      buffer.waiter = undefined;
      take?.(null);
    },
  };
  stdin.setRawMode!(true);
  stdin.on('keypress', buffer.onKey);
  stdin.once('end', buffer.onEnd);
  stdin.resume();
  buffers.set(stdin, buffer);
  return buffer;
}

/** Gives the terminal back as it was (before an editor runs, and when the queue ends); typed-ahead keys are dropped. */
export function releaseKeys(ctx: CliContext): void {
  const stdin = ctx.stdin as CliContext['stdin'] & RawInput;
  const buffer = buffers.get(stdin);
  if (!buffer) return;
  buffers.delete(stdin);
  stdin.off('keypress', buffer.onKey);
  stdin.off('end', buffer.onEnd);
  stdin.setRawMode?.(buffer.wasRaw);
  stdin.pause();
}

function nextKey(buffer: KeyBuffer): Promise<Keypress | null> {
  const first = buffer.pending.shift();
  if (first) return Promise.resolve(first);
  if (buffer.ended) return Promise.resolve(null);
  return new Promise((resolve) => (buffer.waiter = resolve));
}

/**
 * Waits for one key among the choices (no Enter needed) and returns its value; other keys are ignored.
 * Ctrl-C or Ctrl-D is a clean cancel. Inquirer's `expand` wants Enter after the key, which doubles the
 * keystrokes of a long queue, hence raw keypresses here. The terminal stays raw between prompts so
 * that typed-ahead keys count; call releaseKeys when the prompts are over.
 */
export async function askKey<T extends string>(ctx: CliContext, message: string, choices: ReadonlyArray<KeyChoice<T>>): Promise<T> {
  const stdin = ctx.stdin as CliContext['stdin'] & RawInput;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new UsageError('This prompt needs a terminal on standard input.');
  }
  ctx.stdout.write(message);
  const buffer = attachKeys(stdin);
  for (;;) {
    const press = await nextKey(buffer);
    if (press === null || (press.key?.ctrl && (press.key.name === 'c' || press.key.name === 'd'))) {
      releaseKeys(ctx);
      ctx.stdout.write('\n');
      throw new CancelledError();
    }
    const typed = (press.text ?? '').toLowerCase();
    const choice = choices.find((c) => c.key === typed || (c.key === ' ' && press.key?.name === 'space'));
    if (!choice) continue;
    ctx.stdout.write(`${choice.label}\n`);
    return choice.value;
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
  // The editor needs the terminal as it normally is, without our raw mode or key buffer.
  releaseKeys(ctx);
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
