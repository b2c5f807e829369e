import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BIN } from '../__tests__/helpers/cli.js';
import type { Sandbox } from '../__tests__/helpers/cli.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A running process whose output is collected; `done` settles when it exits. */
export interface Running {
  child: ChildProcess;
  done: Promise<Finished>;
  /** The output so far (what a killed process managed to report). */
  stdout(): string;
}

/** Starts a node program (the built termpress by default) without waiting for it. */
export function start(sb: Sandbox, args: string[], options: { env?: NodeJS.ProcessEnv; script?: string } = {}): Running {
  const started = Date.now();
  const child = spawn(process.execPath, [options.script ?? BIN, ...args], {
    cwd: sb.cwd,
    env: { ...sb.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const done = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - started }));
  });
  return { child, done, stdout: () => out };
}

/** Runs the built termpress and waits for it. */
export function run(sb: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return start(sb, args, { env }).done;
}

/** Every post file of the blog parsed (a file that does not parse fails the test, naming it). */
/* eslint-disable @typescript-eslint/no-explicit-any -- the files as they are on disk, of whatever shape a crash left */
export function readPosts(blog: string): Map<string, any> {
  const posts = new Map<string, any>();
  /* eslint-enable @typescript-eslint/no-explicit-any */
  for (const name of readdirSync(path.join(blog, 'posts'))) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(blog, 'posts', name);
    try {
      posts.set(name.slice(0, -5), JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new Error(`${file} does not parse: ${(error as Error).message}`);
    }
  }
  return posts;
}
