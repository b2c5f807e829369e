import type { Writable, Readable } from 'node:stream';

/** Everything a command may use from the outside world, passed in so tests can run commands in-process. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

/** The options every command understands, declared on the program itself. */
export interface GlobalOptions {
  blog?: string;
  color: boolean;
  input: boolean;
  debug?: boolean;
  quiet?: boolean;
}

/** The real process as a context. */
export function processContext(): CliContext {
  return { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** What a command group is built with: the outside world and the program's global options. */
export interface Cli {
  ctx: CliContext;
  globals: () => GlobalOptions;
}
