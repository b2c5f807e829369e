/**
 * Who writes a new post when neither a flag, the post file nor the blog names an author: the user's
 * own setting, else git's user.name (most people who clone a repository have set it), else asked once in a
 * terminal and kept. An empty author is never saved without a word.
 */
import { execFile } from 'node:child_process';
import { singleLine } from '../core/text.js';
import type { Cli } from './context.js';
import type { Output } from './output.js';
import { canPrompt, prompterFor } from './prompts.js';

/** git's user.name as seen from the working folder, or undefined when git is missing or has none. */
export function gitUserName(ctx: Cli['ctx']): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: ctx.cwd, env: ctx.env, timeout: 5000, encoding: 'utf8' }, (error, stdout) => {
      const name = error ? '' : singleLine(stdout).trim();
      resolve(name === '' ? undefined : name);
    });
  });
}

/**
 * The author of a post that names none; see the module comment for the order. Undefined when there is
 * none: the caller warns once the post is saved (a post that fails needs no warning about its author).
 */
export async function defaultAuthor(cli: Cli, out: Output): Promise<string | undefined> {
  const { openUserConfig } = await import('../api/user.js');
  const user = await openUserConfig(cli.ctx.env);
  const configured = user.get('author.name');
  if (configured) return configured;
  const fromGit = await gitUserName(cli.ctx);
  if (fromGit) return fromGit;
  if (canPrompt(cli.ctx, cli.globals())) {
    const name = singleLine(
      await prompterFor(cli.ctx).text('Your name, shown as the author of your posts', {
        validate: (value) => (singleLine(value).trim() ? true : 'Please type a name (it can be changed later).'),
      }),
    ).trim();
    user.set('author.name', name);
    out.info(`Saved your name in your user settings; termpress config --global set author.name "<name>" changes it.`);
    return name;
  }
  return undefined;
}

/** The warning for a post saved without an author. */
export function warnNoAuthor(out: Output): void {
  out.warn('This post has no author: set your name once with termpress config --global set author.name "<name>", or pass --author.');
}
