import type { SyncReport } from '../../api/sync.js';
import type { Rebuilder } from './rebuild.js';

export interface SyncLoopOptions {
  /** How often to sync, in milliseconds. */
  everyMs: number;
  /** One sync of the blog (commit, fetch, merge, push). */
  sync: () => Promise<SyncReport>;
  /** The server's rebuilder: a sync that brought changes rebuilds what they touch. */
  rebuild: Rebuilder;
  log: (line: string) => void;
}

/** A running sync loop. */
export interface SyncLoop {
  /** Stops syncing and waits for a sync in progress. */
  close(): Promise<void>;
}

/**
 * `serve --sync`: syncs the blog at once and then every interval, one sync at a time (a slow remote
 * delays the next, never doubles it). What a sync brought in is rebuilt; a failure is logged and the
 * next interval tries again, so a remote that is down for a while costs nothing but the log line.
 */
export function syncEvery(options: SyncLoopOptions): SyncLoop {
  let running: Promise<void> | undefined;
  let closed = false;
  const once = async () => {
    try {
      const report = await options.sync();
      for (const line of describe(report)) options.log(line);
      if (report.received > 0) await options.rebuild.request();
    } catch (error) {
      options.log(`sync failed (trying again in ${Math.round(options.everyMs / 1000)}s): ${(error as Error).message}`);
    }
  };
  const tick = () => {
    if (closed || running) return;
    running = once().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  tick();
  return {
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** A sync in the server's log: nothing when nothing happened, else what came, went, and needs a person. */
function describe(report: SyncReport): string[] {
  const lines: string[] = [];
  if (report.received || report.sent || report.committed) {
    lines.push(
      `sync with ${report.remote}/${report.branch}: ${report.committed ? 'committed local changes, ' : ''}received ${report.received}, sent ${report.sent} commit(s)`,
    );
  }
  for (const conflict of report.conflicts) {
    const what = conflict.kind === 'post' ? `post ${conflict.id}` : conflict.file;
    const how = conflict.kind === 'post' ? `termpress post resolve ${conflict.id}` : 'termpress config resolve';
    lines.push(`sync: ${what}: ${conflict.fields.join(', ')} changed on both sides; this side's is kept, the other's recorded (${how})`);
  }
  return lines;
}
