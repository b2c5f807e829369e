/**
 * Post bodies and comments rendered (Markdown, WordPress's paragraphs, the sanitiser) on every core: on
 * a cold build they are most of the work, and each post is independent of the others. Worker threads
 * take chunks of posts from one queue while the build's own thread renders chunks too, so a slow start
 * of a worker (it loads the renderer first) costs nothing but its share; a build that will render many
 * posts starts them before it reads the posts, so that they are ready when the work comes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MediaRecord } from '../core/media.js';
import type { Post } from '../core/types.js';
import type { RenderedBody } from './markdown.js';

/** A post as its pages show it: the body, and the HTML of each of its comments (by position; '' for those not approved). */
export interface RenderedPost {
  body: RenderedBody;
  comments: string[];
}

/** What a render thread is given once. */
export interface RenderSetup {
  media: readonly MediaRecord[];
  base: string;
}

/** Below this many posts the threads would cost more to start than they save. */
export const MIN_POSTS_FOR_THREADS = 64;
/** Posts a thread takes at a time: small enough to share the work evenly, large enough to keep messages few. */
const CHUNK = 16;

const WORKER_URL = new URL('./render-worker.js', import.meta.url);

/** Render threads for one build: started early when much is bound to be rendered, used once, then stopped. */
export interface RenderPool {
  /** Starts the threads now, so that they have loaded the renderer by the time there is work for them. */
  start(): void;
  /**
   * Renders each post's body and approved comments, on several threads when there are enough posts; the
   * threads stop after. `onRendered` hears of each post as it is done (by its index), in any order.
   */
  render(posts: readonly Post[], onRendered?: (index: number, rendered: RenderedPost) => void): Promise<RenderedPost[]>;
  /** Stops the threads, if render did not. */
  close(): Promise<void>;
}

/** The render threads of a build (none until started or given enough posts). */
export function renderPool(setup: RenderSetup): RenderPool {
  const threads = Math.min(availableParallelism(), 8) - 1;
  let workers: RenderThread[] = [];
  const start = () => {
    // Under a test runner the sources are TypeScript and there is no compiled worker to start.
    if (workers.length > 0 || threads < 1 || !existsSync(fileURLToPath(WORKER_URL))) return;
    workers = Array.from({ length: threads }, () => {
      const thread: RenderThread = { worker: new Worker(WORKER_URL, { workerData: setup }), failure: null };
      // A thread may fail or stop before it is given work: that is kept for when it is.
      thread.worker.once('error', (error) => (thread.failure ??= error));
      thread.worker.once('exit', (code) => (thread.failure ??= new Error(`the render thread stopped (exit code ${code})`)));
      return thread;
    });
  };
  const close = async () => {
    const stopping = workers;
    workers = [];
    // After a failure, anywhere, no thread is left waiting for work (it would keep the process alive).
    await Promise.all(stopping.map((thread) => thread.worker.terminate()));
  };
  return {
    start,
    close,
    async render(posts, onRendered = () => undefined) {
      const { createPostRenderer } = await import('./render-post.js');
      const render = createPostRenderer(setup);
      if (posts.length >= MIN_POSTS_FOR_THREADS) start();
      const results: RenderedPost[] = new Array<RenderedPost>(posts.length);
      const done = (index: number, rendered: RenderedPost) => {
        results[index] = rendered;
        onRendered(index, rendered);
      };
      if (workers.length === 0) {
        posts.forEach((post, k) => done(k, render(post)));
        return results;
      }

      let next = 0;
      const take = (): { start: number; chunk: Post[] } | null => {
        // Once the threads are closed (the build failed), nothing more is taken.
        if (next >= posts.length || workers.length === 0) return null;
        const start = next;
        next = Math.min(posts.length, next + CHUNK);
        return { start, chunk: posts.slice(start, next) };
      };
      try {
        const working = Promise.all(workers.map((worker) => runWorker(worker, take, done)));
        // Handled now, thrown below: a worker may fail while this thread is still rendering.
        working.catch(() => undefined);
        // This thread takes its chunks between the workers' messages.
        for (let item = take(); item !== null; item = take()) {
          item.chunk.forEach((post, k) => done(item.start + k, render(post)));
          await new Promise((resolve) => setImmediate(resolve));
        }
        await working;
      } finally {
        await close();
      }
      return results;
    },
  };
}

/** A render thread, and why it failed or stopped, if it did. */
interface RenderThread {
  worker: Worker;
  failure: Error | null;
}

/**
 * One worker taking chunks until none is left; one that fails rejects, its chunks unrendered. It is given
 * its next chunk before it is done with the one it has, so that it never waits for this thread to be free
 * to answer (this thread renders chunks and pages too).
 */
function runWorker(
  thread: RenderThread,
  take: () => { start: number; chunk: Post[] } | null,
  done: (index: number, rendered: RenderedPost) => void,
): Promise<void> {
  const { worker } = thread;
  return new Promise<void>((resolve, reject) => {
    if (thread.failure) {
      reject(thread.failure);
      return;
    }
    // The chunks sent and not yet answered, in the order the worker answers them.
    const sent: { start: number; chunk: Post[] }[] = [];
    const send = () => {
      const item = take();
      if (item !== null) {
        sent.push(item);
        worker.postMessage(item.chunk);
      } else if (sent.length === 0) {
        resolve();
      }
    };
    worker.on('message', (rendered: RenderedPost[]) => {
      const item = sent.shift();
      if (item) rendered.forEach((post, k) => done(item.start + k, post));
      send();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (sent.length > 0) reject(new Error(`the render thread stopped (exit code ${code})`));
    });
    send();
    send();
  });
}
