/** A thread rendering chunks of posts for render-pool.ts: each message is a chunk, answered with its renderings. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Post } from '../core/types.js';
import type { RenderSetup } from './render-pool.js';
import { createPostRenderer } from './render-post.js';

const render = createPostRenderer(workerData as RenderSetup);
parentPort!.on('message', (posts: Post[]) => parentPort!.postMessage(posts.map(render)));
