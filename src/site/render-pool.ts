/**
 * Post bodies and comments rendered (Markdown, WordPress's paragraphs, the sanitiser) on every core: on
 * a cold build they are most of the work, and each post is independent of the others. Worker threads
 * take chunks of posts from one queue while the build's own thread renders chunks too, so a slow start
 * of a worker (it loads the renderer first) costs nothing but its share.
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
const MIN_POSTS_FOR_THREADS = 64;
/** Posts a thread takes at a time: small enough to share the work evenly, large enough to keep messages few. */
const CHUNK = 16;

const WORKER_URL = new URL('./render-worker.js', import.meta.url);

/** Renders each post's body and approved comments, on several threads when there are enough posts. */
export async function renderPosts(posts: readonly Post[], setup: RenderSetup): Promise<RenderedPost[]> {
  const { createPostRenderer } = await import('./render-post.js');
  const render = createPostRenderer(setup);
  const threads = Math.min(availableParallelism(), 8) - 1;
  // Under a test runner the sources are TypeScript and there is no compiled worker to start.
  if (threads < 1 || posts.length < MIN_POSTS_FOR_THREADS || !existsSync(fileURLToPath(WORKER_URL))) return posts.map(render);

  const results: RenderedPost[] = new Array<RenderedPost>(posts.length);
  let next = 0;
  const take = (): { start: number; chunk: Post[] } | null => {
    if (next >= posts.length) return null;
    const start = next;
    next = Math.min(posts.length, next + CHUNK);
    return { start, chunk: posts.slice(start, next) };
  };
  const started: Worker[] = [];
  try {
    const workers = Promise.all(Array.from({ length: threads }, () => runWorker(setup, take, results, started)));
    // Handled now, thrown below: a worker may fail while this thread is still rendering.
    workers.catch(() => undefined);
    // This thread takes its chunks between the workers' messages.
    for (let item = take(); item !== null; item = take()) {
      item.chunk.forEach((post, k) => (results[item.start + k] = render(post)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await workers;
  } finally {
    // After a failure, anywhere, no thread is left waiting for work (it would keep the process alive).
    await Promise.all(started.map((worker) => worker.terminate()));
  }
  return results;
}

/** One worker taking chunks until none is left; one that fails rejects, its chunk unrendered. */
function runWorker(setup: RenderSetup, take: () => { start: number; chunk: Post[] } | null, results: RenderedPost[], started: Worker[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: setup });
    started.push(worker);
    let current: { start: number; chunk: Post[] } | null = null;
    const send = () => {
      current = take();
      if (current === null) {
        resolve();
        return;
      }
      worker.postMessage(current.chunk);
    };
    worker.on('message', (rendered: RenderedPost[]) => {
      if (current) rendered.forEach((post, k) => (results[current!.start + k] = post));
      send();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (current !== null) reject(new Error(`the render thread stopped (exit code ${code})`));
    });
    send();
  });
}
