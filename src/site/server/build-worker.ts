/**
 * The site's rebuilds, in a thread of their own: a build of a thousand posts computes for a second
 * or more, and in the server's own thread it would hold every reader's request for that long.
 * One worker lives as long as the server; each message asks for one build and is answered when it is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBlog } from '../../api/blog.js';
import { buildBlog } from '../blog.js';

/** What the server tells the worker once, when it starts it. */
export interface WorkerSetup {
  blogDir: string;
  outDir: string;
  drafts: boolean;
  env: Record<string, string | undefined>;
}

/** One build asked for: the theme digest the user trusts now. */
export interface BuildRequest {
  trustTheme: string | undefined;
}

/** What a finished build did, for the server's log. */
export interface BuildSummary {
  /** Files written because their bytes changed, and files of the last build removed. */
  written: number;
  removed: number;
}

export type BuildAnswer = ({ ok: true } & BuildSummary) | { ok: false; message: string };

const setup = workerData as WorkerSetup;
// One Blog for the worker's life: its store keeps what it parsed while the files stay as they were.
const blog = await openBlog({ blog: setup.blogDir, env: setup.env });

parentPort!.on('message', (request: BuildRequest) => {
  buildBlog(blog, { outDir: setup.outDir, drafts: setup.drafts, trustTheme: request.trustTheme }).then(
    (report) => parentPort!.postMessage({ ok: true, written: report.pagesWritten, removed: report.filesRemoved } satisfies BuildAnswer),
    (error: unknown) => parentPort!.postMessage({ ok: false, message: (error as Error).message } satisfies BuildAnswer),
  );
});
