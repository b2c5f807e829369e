import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

  /** Runs the built binary the way a script would: no terminal, CI set. */
  run(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? this.cwd,
      env: { ...this.env, ...options.env },
      input: options.input ?? '',
      encoding: 'utf8',
      timeout: 30000,
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs and expects success, returning stdout; fails the test with stderr otherwise. */
  ok(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
    const result = this.run(args, options);
    if (result.code !== 0) throw new Error(`termpress ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  cleanup(): void {
    removeDir(this.root);
  }
}
