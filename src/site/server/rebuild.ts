import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { BuildSummary } from './build-worker.js';

/** Rebuilds the site when the blog changes, one build at a time. */
export interface Rebuilder {
  /**
   * Asks for a rebuild and resolves once a build that started after the call has finished (a failed
   * build too: it is logged, and the site stays as it was).
   */
  request(): Promise<void>;
  /** Stops watching and waits for a build in progress. */
  close(): Promise<void>;
}

export interface WatchOptions {
  /** The blog folder. */
  dir: string;
  /** Builds the site (incrementally: only what changed is rendered and written). */
  build: () => Promise<BuildSummary | void>;
  log: (line: string) => void;
  /** Quiet time after a change before building, so that a `git pull` of many files is one build. */
  settleMs?: number;
  /** A build at least this often, for scheduled posts whose time comes and changes no watcher sees. */
  everyMs?: number;
}

/** What in the blog folder the site is made from; the rest (public/, .termpress/) changes with every build or lock. */
const SOURCES = new Set(['termpress.json', 'posts', 'likes', 'templates', 'media']);

/**
 * Watches the blog folder (its settings, posts/, likes/ and templates/) and rebuilds the site after
 * each change: a comment approved in another terminal, a post edited, a `git pull`. The build is
 * incremental, so a change to one post rewrites its page, the lists that show it and the feeds.
 */
export function watchBlog(options: WatchOptions): Rebuilder {
  const settleMs = options.settleMs ?? 100;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let waiting: { promise: Promise<void>; resolve: () => void } | undefined;
  let closed = false;

  const run = async () => {
    timer = undefined;
    if (running || closed) return;
    const waiters = waiting;
    waiting = undefined;
    const started = performance.now();
    running = options.build().then(
      (summary) => {
        // A build that found nothing to change is not worth a line (the periodic one, mostly).
        if (summary && summary.written + summary.removed > 0) {
          const ms = Math.round(performance.now() - started);
          options.log(`rebuilt the site in ${ms}ms: ${summary.written} file(s) written, ${summary.removed} removed`);
        }
      },
      (error: unknown) => {
        options.log(`rebuild failed, the site stays as it was: ${(error as Error).message}`);
      },
    );
    await running;
    running = undefined;
    waiters?.resolve();
    if (waiting) schedule(0);
  };
  const schedule = (delay: number) => {
    if (closed) return;
    if (timer !== undefined) {
      if (delay > 0) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => void run(), delay);
  };
  const request = (delay: number): Promise<void> => {
    if (!waiting) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      waiting = { promise, resolve };
    }
    const { promise } = waiting;
    if (!running) schedule(delay);
    return promise;
  };

  const attach = (folder: string, recursive: boolean) => {
    if (closed || watchers.has(folder)) return;
    try {
      const watcher = watch(folder, { recursive, persistent: false }, () => void request(settleMs));
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(folder);
      });
      watchers.set(folder, watcher);
    } catch {
      // Not there yet (likes/ before the first like): the root's watcher attaches it when it appears.
    }
  };
  const attachAll = () => {
    for (const name of ['posts', 'likes', 'media']) attach(path.join(options.dir, name), false);
    attach(path.join(options.dir, 'templates'), true);
  };
  const root = watch(options.dir, { persistent: false }, (_event, name) => {
    if (name === null || !SOURCES.has(String(name))) return;
    // A folder made or replaced (git checkout, the first like) needs a watcher of its own.
    for (const [folder, watcher] of watchers) {
      if (path.basename(folder) === String(name)) {
        watcher.close();
        watchers.delete(folder);
      }
    }
    attachAll();
    void request(settleMs);
  });
  attachAll();
  const tick = setInterval(() => void request(0), options.everyMs ?? 60_000);
  tick.unref();

  return {
    request: () => request(0),
    close: async () => {
      closed = true;
      clearInterval(tick);
      if (timer !== undefined) clearTimeout(timer);
      root.close();
      for (const watcher of watchers.values()) watcher.close();
      await running;
      waiting?.resolve();
    },
  };
}
