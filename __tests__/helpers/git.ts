import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTermpress, tempDir, removeDir } from './cli.js';
import type { RunOptions, RunResult } from './cli.js';

/**
 * A shared blog on several machines, made of real git: a bare remote and clones, each with its own
 * user config folder, all under one scratch folder. git's identity and default branch come from a
 * .gitconfig in the scratch home; nothing reaches the network.
 */
export class GitWorld {
  readonly root = tempDir('termpress-git-');
  readonly home = path.join(this.root, 'home');
  readonly remote = path.join(this.root, 'remote.git');
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    mkdirSync(this.home, { recursive: true });
    writeFileSync(
      path.join(this.home, '.gitconfig'),
      '[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
    );
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_') && !key.startsWith('TERMPRESS_')),
    );
    const { NO_COLOR: _c, FORCE_COLOR: _f, ...rest } = base;
    this.env = { ...rest, CI: 'true', HOME: this.home, GIT_CONFIG_NOSYSTEM: '1', TERMPRESS_CONFIG_DIR: this.home };
    this.git(this.root, ['init', '--quiet', '--bare', this.remote]);
  }

  /** Runs git in a folder and returns its output; a failure fails the test with git's message. */
  git(cwd: string, args: string[]): string {
    const result = spawnSync('git', args, { cwd, env: this.env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  }

  /** A machine whose blog is a new folder (not yet a clone). */
  machine(name: string): Machine {
    return new Machine(this, path.join(this.root, name));
  }

  /** A machine whose blog is a clone of the remote, set up with termpress git setup. */
  clone(name: string): Machine {
    const dir = path.join(this.root, name);
    this.git(this.root, ['clone', '--quiet', this.remote, dir]);
    const machine = new Machine(this, dir);
    machine.ok(['git', 'setup']);
    return machine;
  }

  cleanup(): void {
    removeDir(this.root);
  }
}

export class Machine {
  constructor(
    readonly world: GitWorld,
    readonly dir: string,
  ) {}

  run(args: string[], options: RunOptions = {}): RunResult {
    return runTermpress(args, {
      timeoutMs: 60000,
      ...options,
      cwd: options.cwd ?? this.world.root,
      env: { ...this.world.env, TERMPRESS_BLOG: this.dir, ...options.env },
    });
  }

  ok(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
    const result = this.run(args, options);
    if (result.code !== 0)
      throw new Error(`termpress ${args.join(' ')} on ${path.basename(this.dir)} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  git(args: string[]): string {
    return this.world.git(this.dir, args);
  }

  /** A post as `post show --json` gives it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any field of the JSON, as a script does
  post(ref: string): Record<string, any> {
    return JSON.parse(this.ok(['post', 'show', ref, '--json']));
  }
}
