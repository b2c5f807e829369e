import { openBlog } from '../api/blog.js';
import type { Blog } from '../api/blog.js';
import { PartialFailureError, TermpressError } from '../core/errors.js';
import type { Cli } from './context.js';
import { checkListOptions, dateWindowOf } from './options.js';
import type { Attempt, DateWindowOptions, ListFormatOptions } from './options.js';
import { Output } from './output.js';

/**
 * The blog the command works on, chosen by --blog and the rest of the discovery order. A write to the
 * user's default blog (no folder named or found) says so, with how to keep a blog in a folder instead.
 */
export function blogFor(cli: Cli): Promise<Blog> {
  return openBlog({
    blog: cli.globals().blog,
    cwd: cli.ctx.cwd,
    env: cli.ctx.env,
    onDefaultBlogWrite: async (blog) => {
      const title = await blog.settings().then(
        (settings) => settings.title,
        () => undefined,
      );
      outputFor(cli).info(defaultBlogNote(title, blog.dir));
    },
  });
}

/** What a write to the default blog says about where it went. */
export function defaultBlogNote(title: string | undefined, dir: string): string {
  return (
    `This went into your default blog${title ? ` "${title}"` : ''} in ${dir}, used when no blog folder is named or found here. ` +
    `To keep a blog in a folder of its own: termpress init <folder>, then work inside it (or pass --blog <folder>).`
  );
}

/** The command's writer, honouring --no-color, NO_COLOR and --quiet. */
export function outputFor(cli: Cli): Output {
  return new Output(cli.ctx, cli.globals());
}

/**
 * The prelude of the lists of posts and comments: the writer, the blog and its settings, then every
 * option checked at once (--format, --since and --until in the blog's timezone, the command's own
 * through own, --fields).
 */
export async function prepareList<T extends object>(
  cli: Cli,
  opts: ListFormatOptions & DateWindowOptions,
  fields: readonly string[],
  own: (attempt: Attempt) => Promise<T>,
) {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const settings = await blog.settings();
  const checked = await checkListOptions(opts, fields, async (attempt) => ({
    ...(await dateWindowOf(opts, blog.now(), settings.timezone, attempt)),
    ...(await own(attempt)),
  }));
  return { out, blog, settings, ...checked };
}

/** What a --dry-run says after its lines. */
export const DRY_RUN_NOTE = 'Dry run: nothing was written.';

/** One item's outcome in a bulk command: the line that reports it, or the error it met. */
export type ItemResult = { ok: true; value: string } | { ok: false; error: TermpressError };

/**
 * Reports the items of a bulk command in their order, each success or failure on its own line as soon
 * as it and every item before it are known (they may come in any order); finish() then fails with the
 * code of the first failure, so a script learns that any of them failed.
 */
export function itemReport(out: Output, total: number) {
  const waiting = new Map<number, ItemResult>();
  let next = 0;
  let firstCode = 0;
  let failed = 0;
  return {
    settle(index: number, result: ItemResult): void {
      waiting.set(index, result);
      for (let ready = waiting.get(next); ready !== undefined; ready = waiting.get(next)) {
        waiting.delete(next++);
        if (ready.ok) {
          out.result(ready.value);
        } else {
          failed++;
          if (!firstCode) firstCode = ready.error.exitCode;
          out.error(ready.error.message);
        }
      }
    },
    finish(): void {
      if (failed) throw new PartialFailureError(firstCode, failed, total);
    },
  };
}

/** Runs an action for each item in turn, reported as itemReport does. */
export async function forEachItem<T>(out: Output, items: T[], action: (item: T) => Promise<string>): Promise<void> {
  const report = itemReport(out, items.length);
  for (const [index, item] of items.entries()) {
    try {
      report.settle(index, { ok: true, value: await action(item) });
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      report.settle(index, { ok: false, error });
    }
  }
  report.finish();
}
