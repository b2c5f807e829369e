import { Worker } from 'node:worker_threads';
import type { BuildAnswer, BuildRequest, BuildSummary, WorkerSetup } from './build-worker.js';

/** Builds the site in a worker thread, one build at a time (the Rebuilder never asks for two at once). */
export interface ThreadBuilder {
  build(trustTheme: string | undefined): Promise<BuildSummary>;
  close(): Promise<void>;
}

/**
 * Starts the worker that rebuilds the site. A worker that dies (out of memory, a crash) is started
 * again for the next build; the build that was running is reported as failed.
 */
export function threadBuilder(setup: WorkerSetup): ThreadBuilder {
  let worker: Worker | undefined;
  let pending: { resolve: (summary: BuildSummary) => void; reject: (error: Error) => void } | undefined;
  const start = () => {
    const started = new Worker(new URL('./build-worker.js', import.meta.url), { workerData: setup });
    started.on('message', (answer: BuildAnswer) => {
      const waiting = pending;
      pending = undefined;
      if (answer.ok) waiting?.resolve({ written: answer.written, removed: answer.removed });
      else waiting?.reject(new Error(answer.message));
    });
    started.on('error', (error) => {
      pending?.reject(error);
      pending = undefined;
    });
    started.on('exit', () => {
      if (worker === started) worker = undefined;
      pending?.reject(new Error('the build thread stopped'));
      pending = undefined;
    });
    return started;
  };
  return {
    build(trustTheme) {
      worker ??= start();
      const current = worker;
      return new Promise<BuildSummary>((resolve, reject) => {
        pending = { resolve, reject };
        current.postMessage({ trustTheme } satisfies BuildRequest);
      });
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
