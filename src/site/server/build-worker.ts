/**
 * The site's rebuilds, in a process of their own: a build of a thousand posts computes for a second
 * or more and asks the disk thousands of questions. In the server's thread it would hold every
 * reader's request for that long; in a worker thread it would still queue its file operations in
 * the same thread pool as the server's (a reader's comment waiting behind a build's stat calls). A
 * process of its own has its own pool, and the system can give it a lower priority than the readers.
 * One process lives as long as the server; each message asks for one build and is answered when it is done.
 */
import { openBlog } from '../../api/blog.js';
import { buildBlog } from '../blog.js';

/** What the server tells the build process once, in its first message. */
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

/** The messages the server sends: the setup first, then build requests. */
export type WorkerMessage = { setup: WorkerSetup } | { build: BuildRequest };

const send = (answer: BuildAnswer) => process.send!(answer);
// The server gone (stopped, or killed with SIGKILL): nothing is left to build for.
process.on('disconnect', () => process.exit(0));

let ready: Promise<{ blog: Awaited<ReturnType<typeof openBlog>>; setup: WorkerSetup }> | undefined;
process.on('message', (message: WorkerMessage) => {
  if ('setup' in message) {
    // One Blog for the process's life: its store keeps what it parsed while the files stay as they were.
    ready = openBlog({ blog: message.setup.blogDir, env: message.setup.env }).then((blog) => ({ blog, setup: message.setup }));
    return;
  }
  const request = message.build;
  ready!
    .then(({ blog, setup }) => buildBlog(blog, { outDir: setup.outDir, drafts: setup.drafts, trustTheme: request.trustTheme }))
    .then(
      (report) => send({ ok: true, written: report.pagesWritten, removed: report.filesRemoved }),
      (error: unknown) => send({ ok: false, message: (error as Error).message }),
    );
});
