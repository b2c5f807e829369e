import { lstatSync, readFileSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import { statPostFile, statPostFiles } from './index-cache.js';
import type { BlogLayout } from './layout.js';

/** A post file's size and time, as statPostFiles gives them. */
export interface PostFileStat {
  file: string;
  size: number;
  mtimeMs: number;
}

/** How often the post files are all looked at, whatever the watch told: for what no watch tells. */
const FULL_LOOK_MS = 1000;

/** Events between two looks past which every file is looked at: see PostFiles. */
const MOST_EVENTS = 1000;

/**
 * The post files with their sizes and times, for a process that asks again and again (the comment
 * server, before each batch of comments): each file is looked at (an lstat) when a watch of the posts
 * folder says it changed, rather than every file each time, which on a blog of thousands of posts is
 * most of what a batch costs.
 *
 * What a watch could miss, and how it is covered:
 * - Events are read by this process's event loop, after the change: a change made before a batch
 *   began (a `git pull`, an editor, another process's write under the lock, which it let go only
 *   after its write) is told before the batch asks, as asking comes after at least one trip through
 *   the event loop (files() is called after the lock is taken and the settings looked at). Linux's
 *   inotify tells the events of one process's watches in the order they happened; elsewhere the
 *   watch is not trusted, and every file is looked at each time.
 * - A burst of events that overflows the kernel's queue loses those after it: such a burst is seen
 *   as one (MOST_EVENTS), and every file is looked at.
 * - The folder replaced by another (a checkout) is found by its inode, looked at each time.
 * - Every file is looked at once a second all the same (FULL_LOOK_MS), and always when the watch
 *   stopped or could not start.
 * - A post is never written over on the strength of this alone: the store compares the file it
 *   replaces with the version it read (see BlogStore.writePostFile).
 */
export class PostFiles {
  private readonly layout: BlogLayout;
  private readonly trusted = process.platform === 'linux';
  private watcher: FSWatcher | undefined;
  // The posts folder's inode when the watch began, the files as last looked at, the names told since.
  private folderIno: number | undefined;
  private known: Map<string, PostFileStat> | undefined;
  private changed = new Set<string>();
  private events = 0;
  private whole = true;
  private lookedAll = 0;

  constructor(layout: BlogLayout) {
    this.layout = layout;
  }

  /**
   * The post files by id (file name without .json), as statPostFiles gives them; those of `also` are
   * looked at whatever the watch told (the posts a batch is about to write).
   */
  async files(also: readonly string[] = []): Promise<Map<string, PostFileStat>> {
    const folder = this.folderNow();
    if (folder !== this.folderIno) this.restart(folder);
    const due = Date.now() - this.lookedAll >= FULL_LOOK_MS;
    if (this.known === undefined || this.watcher === undefined || this.whole || due || this.events > this.mostEvents()) {
      // Taken before the look: what changes during it is looked at again next time.
      this.clear();
      this.known = await statPostFiles(this.layout);
      this.lookedAll = Date.now();
      return new Map(this.known);
    }
    const names = this.changed;
    this.clear();
    for (const id of also) names.add(`${id}.json`);
    const prefix = this.layout.postsDir + path.sep;
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      // A link in a post's place is refused as statPostFiles refuses it.
      const found = statPostFile(this.layout, prefix + name);
      if (found) this.known.set(id, found);
      else this.known.delete(id);
    }
    return new Map(this.known);
  }

  /** Stops watching. */
  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private clear(): void {
    this.changed = new Set();
    this.events = 0;
    this.whole = false;
  }

  private folderNow(): number | undefined {
    try {
      const stat = lstatSync(this.layout.postsDir, { throwIfNoEntry: false });
      return stat?.isDirectory() ? stat.ino : undefined;
    } catch {
      return undefined;
    }
  }

  /** Watches the posts folder anew (it is new, or was replaced), every file to be looked at next. */
  private restart(folder: number | undefined): void {
    this.close();
    this.folderIno = folder;
    this.whole = true;
    if (folder === undefined || !this.trusted) return;
    try {
      const watcher = watch(this.layout.postsDir, { persistent: false }, (_event, name) => {
        this.events++;
        if (name === null) this.whole = true;
        else this.changed.add(String(name));
      });
      watcher.on('error', () => {
        if (this.watcher === watcher) this.close();
      });
      this.watcher = watcher;
    } catch {
      // Not watchable (too many watches, say): every file is looked at each time.
    }
  }

  // The events the kernel keeps for a watch before it drops some, and so the most trusted between looks.
  private limit: number | undefined;

  private mostEvents(): number {
    if (this.limit === undefined) {
      let queued = NaN;
      try {
        queued = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
      } catch {
        // Not to be read: the default below stands.
      }
      this.limit = Number.isFinite(queued) && queued > 0 ? Math.min(MOST_EVENTS, Math.floor(queued / 2)) : MOST_EVENTS;
    }
    return this.limit;
  }
}
