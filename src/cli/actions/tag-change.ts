import type { TagDeleteOptions, TagMergeOptions, TagRenameOptions } from '../commands/taxonomy.js';
import type { Cli } from '../context.js';
import { DRY_RUN_NOTE, blogFor, outputFor } from '../shared.js';

/** Renames a tag (to null: removes it) on every post that has it, and says on how many posts it did or would. */
async function change(cli: Cli, from: string, to: string | null, dryRun: boolean | undefined, line: (n: string) => string) {
  const out = outputFor(cli);
  const blog = await blogFor(cli);
  const { posts } = await blog.changeTag(from, to, { dryRun });
  const n = `${posts.length} post${posts.length === 1 ? '' : 's'}`;
  out.result(dryRun ? `Would do: ${line(n)}` : line(n));
  if (dryRun) out.info(DRY_RUN_NOTE);
}

/** `tag rename <tag> <name>`: on every post that has it (into a tag of that name if there is one). */
export function tagRename(cli: Cli, tag: string, name: string, opts: TagRenameOptions): Promise<void> {
  return change(cli, tag, name, opts.dryRun, (n) => `Renamed tag "${tag}" to "${name}" on ${n}`);
}

/** `tag merge <tag> <into>`: the other tag instead, on every post that has it. */
export function tagMerge(cli: Cli, tag: string, into: string, opts: TagMergeOptions): Promise<void> {
  return change(cli, tag, into, opts.dryRun, (n) => `Merged tag "${tag}" into "${into}" on ${n}`);
}

/** `tag delete <tag>`: gone from every post that has it. */
export function tagDelete(cli: Cli, tag: string, opts: TagDeleteOptions): Promise<void> {
  return change(cli, tag, null, opts.dryRun, (n) => `Removed tag "${tag}" from ${n}`);
}
