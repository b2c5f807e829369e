import { lstatSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { FileVersion, PostWrite } from '../../api/blog.js';
import type { BuildSummary } from './build-worker.js';

/** Rebuilds the site when the blog changes, one build at a time. */
export interface Rebuilder {
  /**
   * Asks for a rebuild and resolves once a build that started after the call has finished (a failed
   * build too: it is logged, and the site stays as it was).
   */
  request(): Promise<void>;
  /**
   * Tells of a write to a post that changes nothing the site shows (comments held for moderation, or
   * taken for spam): that write alone sets off no build. Any other change of the file still does.
   */
  unseen(postId: string, write: PostWrite): void;
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
/** A post's file in posts/; anything else there (a write's temp file) changes nothing until it is renamed into place. */
const POST_FILE = /^([^./\\]+)\.json$/;
/** Writes followed back from a file's version to the one the last build saw, at most. */
const MAX_UNSEEN_CHAIN = 1000;

/**
 * Watches the blog folder (its settings, posts/, likes/ and templates/) and rebuilds the site after
 * each change: a comment approved in another terminal, a post edited, a `git pull`. The build is
 * incremental, so a change to one post rewrites its page, the lists that show it and the feeds.
 *
 * A busy comment server writes a post for every few comments it takes, and most are held for
 * moderation, which changes nothing on the site. Such writes are told (see unseen) with the file's
 * version before and after; a change of post files that leads, write by write, from the versions the
 * last build started from to the versions now on disk only through such writes sets off no build.
 * Anything else (another process's write, a version not accounted for) builds as before.
 */
export function watchBlog(options: WatchOptions): Rebuilder {
  const settleMs = options.settleMs ?? 100;
  const postsDir = path.join(options.dir, 'posts');
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let waiting: { promise: Promise<void>; resolve: () => void } | undefined;
  let closed = false;
  // What set off the next build: post files changed, or anything else (which always builds).
  const changedPosts = new Set<string>();
  let mustBuild = false;
  // The post files' versions as the last build began, and the unseen writes told since.
  let built = postVersions(postsDir);
  let unseen = new Map<string, PostWrite[]>();

  /** Whether a post's file is, now, the one the last build saw, or reached from it only by unseen writes. */
  const unchangedForSite = (postId: string): boolean => {
    const start = built.get(postId);
    let current = versionOf(path.join(postsDir, `${postId}.json`));
    const writes = unseen.get(postId) ?? [];
    for (let step = 0; step < MAX_UNSEEN_CHAIN; step++) {
      if (sameVersion(current, start)) return true;
      if (current === undefined) return false;
      const write = writes.find((w) => sameVersion(w.after, current));
      if (!write) return false;
      current = write.before ?? undefined;
    }
    return false;
  };

  const run = async () => {
    timer = undefined;
    if (running || closed) return;
    const waiters = waiting;
    waiting = undefined;
    const needed = mustBuild || [...changedPosts].some((id) => !unchangedForSite(id));
    mustBuild = false;
    changedPosts.clear();
    if (!needed) {
      waiters?.resolve();
      return;
    }
    // Taken before the build reads anything: a write during the build is judged against these.
    built = postVersions(postsDir);
    unseen = new Map();
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
  const changed = () => {
    mustBuild = true;
    return request(settleMs);
  };

  const attach = (folder: string, recursive: boolean) => {
    if (closed || watchers.has(folder)) return;
    try {
      const onChange =
        folder === postsDir
          ? (_event: string, name: string | null) => {
              if (name === null) return void changed();
              const post = POST_FILE.exec(String(name));
              if (!post) return;
              changedPosts.add(post[1]!);
              void request(settleMs);
            }
          : () => void changed();
      const watcher = watch(folder, { recursive, persistent: false }, onChange);
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
    void changed();
  });
  attachAll();
  const tick = setInterval(() => {
    mustBuild = true;
    void request(0);
  }, options.everyMs ?? 60_000);
  tick.unref();

  return {
    request: () => {
      mustBuild = true;
      return request(0);
    },
    unseen: (postId, write) => {
      const writes = unseen.get(postId) ?? [];
      writes.push(write);
      unseen.set(postId, writes);
    },
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

/** Every post file's version, as the store judges them (size and modification time, links not followed). */
function postVersions(postsDir: string): Map<string, FileVersion> {
  const versions = new Map<string, FileVersion>();
  let names: string[];
  try {
    names = readdirSync(postsDir);
  } catch {
    return versions;
  }
  for (const name of names) {
    const post = POST_FILE.exec(name);
    const version = post ? versionOf(path.join(postsDir, name)) : undefined;
    if (post && version) versions.set(post[1]!, version);
  }
  return versions;
}

function versionOf(file: string): FileVersion | undefined {
  try {
    const stat = lstatSync(file, { throwIfNoEntry: false });
    return stat?.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function sameVersion(a: FileVersion | undefined, b: FileVersion | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.size === b.size && a.mtimeMs === b.mtimeMs;
}
