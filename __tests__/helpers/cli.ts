import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyncFn } from 'synckit';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'termpress.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch folder for one test, removed by cleanup(). */
export function tempDir(prefix = 'termpress-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

type InProcess = (args: string[], cwd: string, env: NodeJS.ProcessEnv, input: string) => RunResult;
let inProcess: InProcess | undefined;

/**
 * Whether a run goes through a real process: when TERMPRESS_TEST_PROCESS is set (the whole suite then
 * runs the binary, as before), for a server (it runs until stopped), and when the environment changes
 * what only a process can have: its time zone (TZ) or what node loads first (NODE_OPTIONS, as the
 * fault injection does).
 */
function needsProcess(args: string[], env: NodeJS.ProcessEnv): boolean {
  return (
    process.env.TERMPRESS_TEST_PROCESS !== undefined ||
    args.includes('serve') ||
    env.TZ !== process.env.TZ ||
    env.NODE_OPTIONS !== process.env.NODE_OPTIONS
  );
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Start the binary in a process of its own (see needsProcess for when that happens anyway). */
  process?: boolean;
  timeoutMs?: number;
}

/**
 * Runs termpress with exactly this environment and working folder, as a script runs the built binary.
 * The compiled program runs in a worker thread of the test process (no process start per call); with
 * `process` (or when the run needs one) the binary itself is started.
 */
export function runTermpress(args: string[], options: RunOptions & { cwd: string; env: NodeJS.ProcessEnv }): RunResult {
  const timeout = options.timeoutMs ?? 30000;
  if (!options.process && !needsProcess(args, options.env)) {
    inProcess ??= createSyncFn<InProcess>(path.join(REPO, '__tests__', 'helpers', 'run-worker.mjs'), { timeout: 120000 });
    return inProcess(args, options.cwd, options.env, options.input ?? '');
  }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A sandbox for end-to-end runs: its own user config folder, working folder and environment. */
export class Sandbox {
  readonly root = tempDir();
  readonly home = path.join(this.root, 'home');
  readonly cwd = path.join(this.root, 'work');
  env: NodeJS.ProcessEnv;

  constructor(extra: NodeJS.ProcessEnv = {}) {
    spawnSync('mkdir', ['-p', this.home, this.cwd]);
    const { TERMPRESS_BLOG: _b, TERMPRESS_NOW: _n, NO_COLOR: _c, FORCE_COLOR: _f, ...base } = process.env;
    this.env = { ...base, CI: 'true', TERMPRESS_CONFIG_DIR: this.home, HOME: this.home, ...extra };
  }

  /** Creates a blog in the sandbox with `termpress init <dir> ...initArgs` and makes it the blog of every later run. */
  initBlog(...initArgs: string[]): string {
    const blog = path.join(this.cwd, 'blog');
    this.ok(['init', blog, ...initArgs]);
    this.env.TERMPRESS_BLOG = blog;
    return blog;
  }

  /** Runs termpress the way a script runs the built binary: no terminal, CI set (see runTermpress). */
  run(args: string[], options: RunOptions = {}): RunResult {
    return runTermpress(args, { ...options, cwd: options.cwd ?? this.cwd, env: { ...this.env, ...options.env } });
  }

  /** Runs and expects success, returning stdout; fails the test with stderr otherwise. */
  ok(args: string[], options: RunOptions = {}): string {
    const result = this.run(args, options);
    if (result.code !== 0) throw new Error(`termpress ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  cleanup(): void {
    removeDir(this.root);
  }
}
