/**
 * Running git on the blog's repository: one child process per command, never through a shell, never
 * prompting (sync runs from cron and from the comment server), its output captured for messages.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StorageError } from '../core/errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** The folder git runs in (the blog's). */
  cwd: string;
  env?: NodeJS.ProcessEnv | undefined;
  /** Configuration for this command only (`git -c key=value`). */
  config?: Readonly<Record<string, string>>;
}

/** Runs git with these arguments; a git that cannot be started at all is a storage error saying so. */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  const config = Object.entries(options.config ?? {}).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const env = {
    ...(options.env ?? process.env),
    // Never ask for a password or an editor: answer with an error the person can act on.
    GIT_TERMINAL_PROMPT: '0',
    GIT_MERGE_AUTOEDIT: 'no',
    GIT_EDITOR: 'true',
    LC_ALL: 'C',
  };
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...config, ...args],
      { cwd: options.cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as (Error & { code?: unknown }) | null)?.code;
        if (code === 'ENOENT') {
          // The same error comes for a folder that is not there as for a git that is not installed.
          if (!existsSync(options.cwd)) reject(new StorageError(`${options.cwd} does not exist, so git cannot run there.`));
          else reject(new StorageError('git was not found: install git (https://git-scm.com) to share a blog through it.'));
          return;
        }
        if (error && typeof code !== 'number') {
          reject(new StorageError(`git ${args[0] ?? ''} could not run: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ code: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and returns its output; a failure is a storage error with git's own last words. */
export async function gitOutput(args: readonly string[], options: GitOptions, what = `git ${args[0] ?? ''}`): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) throw new StorageError(`${what} failed: ${lastWords(result)}`);
  return result.stdout;
}

/** git's message of a failure, on one line: its error lines, else the last line it printed. */
export function lastWords(result: GitResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const errors = lines.filter((line) => /^(fatal|error):/.test(line));
  return (errors.length ? errors : lines.slice(-1)).join(' ').replace(/\s+/g, ' ') || `exit code ${result.code}`;
}
