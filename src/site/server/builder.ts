import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BuildAnswer, BuildSummary, WorkerMessage, WorkerSetup } from './build-worker.js';

/** How much the build process yields to the server's (a nice value): readers first, the rebuild with what is left. */
const BUILD_NICENESS = 10;

/** How long the build process may take to stop when the server does, before it is killed. */
const STOP_GRACE_MS = 5000;

/** Builds the site away from the server's thread, one build at a time (the Rebuilder never asks for two at once). */
export interface ThreadBuilder {
  build(trustTheme: string | undefined): Promise<BuildSummary>;
  close(): Promise<void>;
}

/**
 * Starts the process that rebuilds the site (see build-worker.ts for why a process). A process that
 * dies (out of memory, a crash) is started again for the next build; the build that was running is
 * reported as failed.
 */
export function threadBuilder(setup: WorkerSetup): ThreadBuilder {
  let child: ChildProcess | undefined;
  let pending: { resolve: (summary: BuildSummary) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    pending?.reject(error);
    pending = undefined;
  };
  const start = () => {
    // Its output is nobody's: a failure comes back as a message, or as the exit below.
    const started = fork(fileURLToPath(new URL('./build-worker.js', import.meta.url)), [], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    try {
      if (started.pid !== undefined) setPriority(started.pid, BUILD_NICENESS);
    } catch {
      // Not allowed here: the build runs at the server's own priority.
    }
    started.on('message', (answer: BuildAnswer) => {
      const waiting = pending;
      pending = undefined;
      if (answer.ok) waiting?.resolve({ written: answer.written, removed: answer.removed });
      else waiting?.reject(new Error(answer.message));
    });
    started.on('error', fail);
    started.on('exit', (code, signal) => {
      if (child === started) child = undefined;
      fail(new Error(`the build process stopped (${signal ?? `exit code ${code}`})`));
    });
    started.send({ setup } satisfies WorkerMessage);
    return started;
  };
  return {
    build(trustTheme) {
      child ??= start();
      const current = child;
      return new Promise<BuildSummary>((resolve, reject) => {
        pending = { resolve, reject };
        current.send({ build: { trustTheme } } satisfies WorkerMessage);
      });
    },
    async close() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill();
      // A build that will not stop (stuck on a disk) must not keep the server from stopping.
      const stuck = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(stuck);
    },
  };
}
