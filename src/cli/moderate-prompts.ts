/** The one-key prompt of the moderation queue, with keys typed ahead kept in order. */

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
 * Waits for one key among the choices (no Enter needed) and returns its value. `?` shows the help and
 * asks again; any other key says it is not one and asks again. Ctrl-C or Ctrl-D is a clean cancel.
 * Inquirer's `expand` wants Enter after the key, which doubles the keystrokes of a long queue, hence raw
 * keypresses here. The terminal stays raw between prompts so that typed-ahead keys count; call
 * releaseKeys when the prompts are over.
 */
export async function askKey<T extends string>(
  ctx: CliContext,
  message: string,
  choices: ReadonlyArray<KeyChoice<T>>,
  options: { help?: string } = {},
): Promise<T> {
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
    if (choice) {
      ctx.stdout.write(`${choice.label}\n`);
      return choice.value;
    }
    if (typed === '?' && options.help !== undefined) {
      ctx.stdout.write(`?\n${options.help}\n${message}`);
      continue;
    }
    const name = keyName(press);
    ctx.stdout.write(`\nUnknown key${name ? ` ${name}` : ''}: press ? to see the keys.\n${message}`);
  }
}

/** A key as the person knows it: the character typed, else its name ("up", "return"), never raw escape codes. */
function keyName(press: Keypress): string {
  const text = press.text ?? '';
  if (text.length === 1 && /^[\x21-\x7e]$/.test(text)) return `"${text}"`;
  const name = press.key?.name;
  if (name && /^[a-z0-9]+$/i.test(name)) return `${press.key?.ctrl ? 'Ctrl-' : ''}${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return '';
}
