/** Running the person's editor on a temporary file, the way git does, and reading back what they saved. */

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledError, UsageError } from '../core/errors.js';
import type { CliContext } from './context.js';

/** An editor that returns sooner than this without changes probably did not wait for the person. */
export const QUICK_RETURN_MS = 1000;

/** What came back from the editor. */
export interface EditorResult {
  text: string;
  /** Whether the saved text differs from the text the editor opened with. */
  changed: boolean;
  /** Whether the editor returned within QUICK_RETURN_MS. */
  quick: boolean;
  /** The editor command that ran. */
  command: string;
}

/**
 * The editor command: the one set with `termpress config --global set editor` (it was set for termpress,
 * like git's core.editor), else $VISUAL, else $EDITOR, else vi (notepad on Windows).
 */
export async function chooseEditor(env: NodeJS.ProcessEnv): Promise<string> {
  const { openUserConfig } = await import('../api/user.js');
  const configured = (await openUserConfig(env)).get('editor');
  const pick = [configured, env.VISUAL, env.EDITOR].find((e) => e !== undefined && e.trim() !== '');
  return pick?.trim() ?? (process.platform === 'win32' ? 'notepad' : 'vi');
}

/**
 * Splits an editor command into words the way a shell would, simply: blanks separate words, single
 * quotes keep everything, double quotes keep all but \" and \\, a backslash outside quotes escapes the
 * next character. No variables, globs or pipes.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) word += command[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`The editor command ${command} has an unclosed ${quote} quote.`);
  if (inWord) words.push(word);
  return words;
}

/** The warning for an editor that came back at once: it most likely runs in the background. */
export function quickReturnWarning(command: string): string {
  return (
    `The editor (${command}) returned at once without changes; if it opens a window and does not wait, ` +
    `tell it to: EDITOR="code --wait" (or termpress config --global set editor "code --wait").`
  );
}

/**
 * The line below which the editor's file holds notes for the person (git's "scissors" line): it and
 * everything after it are removed from what was saved. Below a line rather than in a comment syntax, so
 * that a quoted comment holding "-->" or a "#" heading cannot end the notes early or hide part of the text.
 */
export const SCISSORS = '# ------------------------ >8 ------------------------';

/** Text with notes for the person below the scissors line; the text itself comes first, where the cursor starts. */
export function withNotes(text: string, notes: string): string {
  const gap = text === '' ? '\n' : text.endsWith('\n') ? '\n' : '\n\n';
  const lines = notes
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`));
  return `${text}${gap}${SCISSORS}\n${lines.join('\n')}\n`;
}

/** Saved text without the scissors line and what follows it, nor the blank lines left before it. */
export function withoutNotes(text: string): string {
  const lines = text.split('\n');
  const cut = lines.findIndex((line) => line.replace(/\r$/, '').trim() === SCISSORS);
  if (cut === -1) return text;
  const kept = lines.slice(0, cut).join('\n').replace(/\s+$/, '');
  return kept === '' ? '' : `${kept}\n`;
}

/**
 * Opens text in the editor, with the terminal handed over (stdio inherited), and returns what was saved.
 * The file is named after `name` so the editor picks Markdown highlighting; `notes` are shown below a
 * scissors line and removed on save. An editor that cannot start is a usage error naming the setting.
 *
 * While the editor runs, Ctrl-C belongs to it (as in git): termpress does not die with it. An editor
 * that ends with an error (vim's :cq) or is ended by a signal (Ctrl-C reaching `code --wait` or nano)
 * cancels, and what it saved is handed to onAbandoned first, which keeps it and says how to pick it up.
 */
export async function editInEditor(
  ctx: CliContext,
  text: string,
  options: { name: string; command?: string; notes?: string; onAbandoned?: (text: string) => Promise<string> },
): Promise<EditorResult> {
  const command = options.command ?? (await chooseEditor(ctx.env));
  const [program, ...args] = splitCommand(command);
  if (!program) throw new UsageError('The editor command is empty: set $EDITOR, or termpress config --global set editor <command>.');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'termpress-edit-'));
  const file = path.join(dir, options.name.replace(/[^\w.-]+/g, '-'));
  const opened = options.notes !== undefined ? withNotes(text, options.notes) : text;
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
  };
  try {
    await fs.writeFile(file, opened, 'utf8');
    const started = Date.now();
    process.on('SIGINT', onInterrupt);
    let ended: { code: number | null; signal: NodeJS.Signals | null };
    try {
      ended = await run(program, [...args, file], ctx, command);
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    const elapsed = Date.now() - started;
    const raw = await fs.readFile(file, 'utf8');
    const saved = options.notes !== undefined ? withoutNotes(raw) : raw;
    if (ended.code !== 0) {
      const how =
        ended.signal === 'SIGINT' || (interrupted && ended.code === null)
          ? `The editor (${command}) was interrupted (Ctrl-C)`
          : ended.signal
            ? `The editor (${command}) was stopped by ${ended.signal}`
            : `The editor (${command}) exited with code ${ended.code}`;
      const changed = saved !== text && saved.trim() !== '';
      const kept = changed && options.onAbandoned ? ` ${await options.onAbandoned(saved)}` : '';
      throw new CancelledError(`${how}; nothing was saved.${kept}`);
    }
    return { text: saved, changed: saved !== text, quick: elapsed < QUICK_RETURN_MS, command };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function run(
  program: string,
  args: string[],
  ctx: CliContext,
  command: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'inherit', env: ctx.env, cwd: ctx.cwd });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'it was not found' : error.message;
      reject(
        new UsageError(`Cannot start the editor "${command}": ${why}. Set $EDITOR, or termpress config --global set editor "<command>".`),
      );
    });
    child.on('close', (code, signal) => resolve({ code: signal ? null : (code ?? 1), signal }));
  });
}
