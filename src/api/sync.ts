/**
 * `termpress sync`: the blog's changes committed, the remote's fetched and merged with termpress's
 * merge driver, the result pushed. A merge never leaves conflict markers in a blog file: a field
 * changed on both sides is recorded in the post (valid JSON) for `post resolve`, and a merge that
 * would leave anything else unmerged or invalid is undone, with the file named.
 */
import path from 'node:path';
import { NotFoundError, RefusedError, StorageError, TermpressError } from '../core/errors.js';
import { oneLine } from '../core/text.js';
import type { MergeConflict } from '../core/types.js';
import { gitOutput, lastWords, runGit } from '../store/git.js';
import type { GitResult } from '../store/git.js';
import { likesFile, readLikes } from '../store/likes.js';
import { displayPath, postFile } from '../store/layout.js';
import { mergeFileTexts, mergeKindOf } from '../store/merge-files.js';
import type { MergeKind } from '../store/merge-files.js';
import type { Blog } from './blog.js';
import { DRIVER, attributesNameDriver, driverCommand, gitTopLevel } from './git.js';

export interface SyncOptions {
  /** The remote to sync with (default: the branch's upstream, else origin, else the only remote). */
  remote?: string | undefined;
  /** false: fetch and merge only (a read-only mirror). */
  push?: boolean | undefined;
  /** How many times to fetch and merge again when the remote moved before the push (default 3). */
  attempts?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** A blog file whose merge recorded a conflict. */
export interface SyncConflict {
  /** The file, relative to the blog folder. */
  file: string;
  kind: 'post' | 'settings';
  /** The post's id and title, for a post. */
  id?: string;
  title?: string;
  fields: string[];
}

export interface SyncReport {
  remote: string;
  branch: string;
  /** The commit made of the blog's own changes, if there were any. */
  committed: string | null;
  /** Commits that came from the remote. */
  received: number;
  /** Commits sent to the remote (0 with push off). */
  sent: number;
  /** Blog files the remote's changes touched, relative to the blog folder. */
  changed: string[];
  /** Fields the merge found changed on both sides: kept on this side, the other side's recorded. */
  conflicts: SyncConflict[];
  /** What the merge decided that people should know (a comment changed on both sides ...). */
  notes: string[];
}

interface Repo {
  blog: Blog;
  /** The repository's top folder. */
  top: string;
  env: NodeJS.ProcessEnv | undefined;
}

const DRIVER_CONFIG = () => ({ [`merge.${DRIVER}.name`]: 'termpress', [`merge.${DRIVER}.driver`]: driverCommand() });

function git(repo: Repo, args: string[], config?: Record<string, string>): Promise<GitResult> {
  return runGit(args, { cwd: repo.blog.dir, env: repo.env, config });
}

async function gitText(repo: Repo, args: string[], what?: string): Promise<string> {
  return (await gitOutput(args, { cwd: repo.blog.dir, env: repo.env }, what)).trim();
}

/** Syncs the blog with its git remote: commit, fetch, merge (termpress's way), push. */
export async function syncBlog(blog: Blog, options: SyncOptions = {}): Promise<SyncReport> {
  if (!(await blog.exists()))
    throw new NotFoundError(`No blog at ${displayPath(blog.dir)}: run termpress init there, or pass --blog <dir>.`);
  const top = await gitTopLevel(blog.dir, options.env);
  if (top === null)
    throw new NotFoundError(
      `The blog at ${displayPath(blog.dir)} is not in a git repository: run termpress git setup, then git remote add origin <url>.`,
    );
  const repo: Repo = { blog, top, env: options.env };
  if (!(await attributesNameDriver(blog.dir, options.env))) {
    throw new RefusedError(
      ".gitattributes does not send the blog's files to termpress's merge driver, so a merge could break them: run termpress git setup, commit, then sync.",
    );
  }
  if ((await git(repo, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'])).code === 0) {
    throw new RefusedError(
      "A git merge is in progress in the blog's repository: finish it (git commit) or undo it (git merge --abort), then sync.",
    );
  }
  const branch = (await git(repo, ['symbolic-ref', '--short', '-q', 'HEAD'])).stdout.trim();
  if (!branch) throw new RefusedError('The repository is not on a branch (a detached HEAD): git switch <branch>, then sync.');
  const { remote, ref } = await remoteOf(repo, branch, options.remote);

  const report: SyncReport = { remote, branch, committed: null, received: 0, sent: 0, changed: [], conflicts: [], notes: [] };
  const attempts = Math.max(1, options.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    const theirs = await fetchRemote(repo, remote, ref);
    await blog.store.withLock(async () => {
      const commit = await commitLocal(repo);
      if (commit) report.committed = commit;
      if (theirs) await mergeRemote(repo, theirs, report);
      // The index is a cache checked by size and time: brought up to date at once, doctor finds it clean.
      await blog.store.summaries().catch(() => undefined);
    });
    if (options.push === false) return report;
    const ahead = Number(await gitText(repo, ['rev-list', '--count', theirs ? `${theirs}..HEAD` : 'HEAD']));
    if (ahead === 0) return report;
    const pushed = await git(repo, [
      'push',
      '--quiet',
      ...((await hasUpstream(repo, branch)) ? [] : ['--set-upstream']),
      remote,
      `HEAD:${ref}`,
    ]);
    if (pushed.code === 0) {
      report.sent = ahead;
      return report;
    }
    if (!isRejected(pushed)) throw remoteFailure('push to', remote, pushed);
    if (attempt >= attempts) {
      throw new StorageError(`The remote ${remote} kept changing while this blog synced (${attempts} tries): run termpress sync again.`);
    }
  }
}

/** The remote to sync with and the branch there, as git would pick them for a pull. */
async function remoteOf(repo: Repo, branch: string, wanted: string | undefined): Promise<{ remote: string; ref: string }> {
  const remotes = (await gitText(repo, ['remote'])).split('\n').filter(Boolean);
  const upstream = (await git(repo, ['config', '--get', `branch.${branch}.remote`])).stdout.trim();
  const remote = wanted ?? (upstream || (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0]! : ''));
  if (!remote) {
    throw new NotFoundError(
      remotes.length === 0
        ? "The blog's repository has no remote to sync with: git remote add origin <url>, then sync."
        : `The blog's repository has several remotes (${remotes.join(', ')}) and the branch follows none: pass --remote <name>.`,
    );
  }
  if (!remotes.includes(remote))
    throw new NotFoundError(`No remote "${remote}" in the blog's repository (it has: ${remotes.join(', ') || 'none'}).`);
  const merge = remote === upstream ? (await git(repo, ['config', '--get', `branch.${branch}.merge`])).stdout.trim() : '';
  return { remote, ref: merge || `refs/heads/${branch}` };
}

async function hasUpstream(repo: Repo, branch: string): Promise<boolean> {
  return (await git(repo, ['config', '--get', `branch.${branch}.remote`])).code === 0;
}

/** Fetches the remote's branch: its commit, or null when the remote does not have the branch yet. */
async function fetchRemote(repo: Repo, remote: string, ref: string): Promise<string | null> {
  const fetched = await git(repo, ['fetch', '--quiet', remote, ref]);
  if (fetched.code !== 0) {
    if (/couldn't find remote ref/i.test(fetched.stderr)) return null;
    throw remoteFailure('fetch from', remote, fetched);
  }
  return gitText(repo, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}']);
}

function isRejected(result: GitResult): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|failed to push some refs/i.test(result.stderr) && !isAuthFailure(result);
}

function isAuthFailure(result: GitResult): boolean {
  return /authentication failed|permission denied|could not read (username|password)|terminal prompts disabled|403|401/i.test(
    result.stderr,
  );
}

/** A failed fetch or push as one line that says what to do. */
function remoteFailure(action: string, remote: string, result: GitResult): StorageError {
  if (isAuthFailure(result)) {
    return new StorageError(
      `git could not sign in to ${action.split(' ')[0] === 'push' ? 'push to' : 'fetch from'} ${remote} (${lastWords(result)}): ` +
        'give this machine an SSH key or a credential helper the remote accepts, then sync again.',
    );
  }
  if (
    /could not resolve host|connection refused|timed out|unable to access|could not read from remote repository|does not appear to be a git repository/i.test(
      result.stderr,
    )
  ) {
    return new StorageError(
      `Cannot reach ${remote} to ${action.split(' ')[0]} (${lastWords(result)}): check the remote's address (git remote -v) and the network, then sync again.`,
    );
  }
  return new StorageError(`git could not ${action} ${remote}: ${lastWords(result)}`);
}

/** Commits the blog folder's own changes (and only them); the new commit, or null when there were none. */
async function commitLocal(repo: Repo): Promise<string | null> {
  await gitText(repo, ['add', '--all', '--', '.'], 'git add');
  const staged = (await gitText(repo, ['diff', '--cached', '--name-only', '--', '.'])).split('\n').filter(Boolean);
  if (staged.length === 0) return null;
  const posts = staged.filter((file) => mergeKindOf(file)?.kind === 'post').length;
  const others = staged.length - posts;
  const parts = [
    posts ? `${posts} post${posts === 1 ? '' : 's'}` : '',
    others ? `${others} other file${others === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const result = await git(repo, ['commit', '--quiet', '--no-verify', '-m', `termpress sync: ${parts.join(', ')}`, '--', '.']);
  if (result.code !== 0) {
    if (/tell me who you are|user\.email|user\.name/i.test(result.stderr)) {
      throw new StorageError(
        'git needs to know who commits: git config --global user.name "Your Name" and git config --global user.email you@example.com, then sync again.',
      );
    }
    throw new StorageError(`git could not commit the blog's changes: ${lastWords(result)}`);
  }
  return gitText(repo, ['rev-parse', 'HEAD']);
}

/** Merges the fetched commit into the branch with termpress's merge driver, recording conflicts in the files. */
async function mergeRemote(repo: Repo, theirs: string, report: SyncReport): Promise<void> {
  if ((await git(repo, ['merge-base', '--is-ancestor', theirs, 'HEAD'])).code === 0) return;
  const before = await gitText(repo, ['rev-parse', 'HEAD']).catch(() => null);
  const count = async () => Number(await gitText(repo, ['rev-list', '--count', before ? `${before}..${theirs}` : theirs]));
  if (before === null || (await git(repo, ['merge-base', '--is-ancestor', 'HEAD', theirs])).code === 0) {
    const received = await count();
    const forward = await git(repo, ['merge', '--ff-only', '--quiet', theirs]);
    if (forward.code !== 0) throw new StorageError(`git could not bring in the remote's changes: ${lastWords(forward)}`);
    report.received += received;
    report.changed.push(...(await changedSince(repo, before)));
    return;
  }
  const received = await count();
  const merged = await git(repo, ['merge', '--no-ff', '--no-commit', '--quiet', theirs], DRIVER_CONFIG());
  if (merged.code !== 0 && (await git(repo, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'])).code !== 0) {
    if (/unrelated histories/i.test(merged.stderr)) {
      throw new RefusedError(
        "This blog and the remote's have no history in common: clone the remote (git clone <url>) and work in the clone.",
      );
    }
    throw new StorageError(`git could not merge the remote's changes: ${lastWords(merged)}`);
  }
  // The driver's notes (a comment changed on both sides ...) come through git's own output.
  for (const line of merged.stderr.split('\n')) {
    const note = /^termpress: (.+)$/.exec(line.trim());
    if (note) report.notes.push(note[1]!);
  }
  try {
    await settleUnmerged(repo, report);
    await checkMerged(repo);
  } catch (error) {
    await git(repo, ['merge', '--abort']);
    throw error;
  }
  const lines = report.conflicts.map((c) => `  ${c.file}: ${c.fields.join(', ')} changed on both sides (recorded, to resolve)`);
  const message = [
    `Merge ${theirs.slice(0, 12)} (termpress sync)`,
    ...(lines.length ? ['', 'Conflicts recorded in the files:', ...lines] : []),
  ].join('\n');
  const committed = await git(repo, ['commit', '--quiet', '--no-verify', '-m', message]);
  if (committed.code !== 0) {
    await git(repo, ['merge', '--abort']);
    throw new StorageError(`git could not commit the merge: ${lastWords(committed)}`);
  }
  report.received += received;
  report.changed.push(...(await changedSince(repo, before)));
  report.notes = [...new Set(report.notes)];
}

/** Blog files changed since a commit, relative to the blog folder. */
async function changedSince(repo: Repo, before: string | null): Promise<string[]> {
  const args = before ? ['diff', '--name-only', '--relative', before, 'HEAD', '--', '.'] : ['ls-files', '--', '.'];
  return (await gitText(repo, args)).split('\n').filter(Boolean);
}

/** One unmerged path's versions, by stage: 1 the common ancestor, 2 ours, 3 theirs. */
type Stages = Partial<Record<1 | 2 | 3, string>>;

/**
 * Settles every path git left unmerged: a blog file is merged again here from git's three versions
 * (also when one side deleted it, which git does not hand to a driver), written and staged; anything
 * else is refused, and the merge undone by the caller.
 */
async function settleUnmerged(repo: Repo, report: SyncReport): Promise<void> {
  const listing = (await gitOutput(['ls-files', '--unmerged', '-z', '--full-name'], { cwd: repo.top, env: repo.env }, 'git ls-files'))
    .split('\0')
    .filter(Boolean);
  const paths = new Map<string, Stages>();
  for (const entry of listing) {
    const match = /^\d+ ([0-9a-f]+) ([123])\t(.*)$/s.exec(entry);
    if (!match) continue;
    const stages = paths.get(match[3]!) ?? {};
    stages[Number(match[2]) as 1 | 2 | 3] = match[1]!;
    paths.set(match[3]!, stages);
  }
  const blogDir = path.resolve(repo.blog.dir);
  for (const [repoPath, stages] of paths) {
    const file = path.join(repo.top, repoPath);
    const relative = path.relative(blogDir, file);
    const kind = relative.startsWith('..') ? null : mergeKindOf(relative);
    // The single files (settings, taxonomy, media) are merged where the blog has them, not in a subfolder.
    if (!kind || (kind.kind !== 'post' && kind.kind !== 'likes' && relative !== path.basename(relative))) {
      throw new RefusedError(
        `${repoPath} changed on both sides and is not a file termpress merges: merge by hand (git pull, fix ${repoPath}, git commit), then sync again.`,
      );
    }
    const blob = async (stage: 1 | 2 | 3) =>
      stages[stage] ? gitOutput(['cat-file', 'blob', stages[stage]!], { cwd: repo.top, env: repo.env }, 'git cat-file') : null;
    const [base, ours, theirs] = [await blob(1), await blob(2), await blob(3)];
    let text: string | null;
    let conflicts: MergeConflict[] = [];
    if (ours !== null && theirs !== null) {
      const merged = mergeFileTexts(relative, { base, ours, theirs });
      ({ text, conflicts } = merged);
      report.notes.push(...merged.notes.map((note) => `${relative}: ${note}`));
    } else {
      ({ text, conflicts } = deletedOnOneSide(relative, kind.kind, base, ours ?? theirs!));
      if (text !== null && kind.kind !== 'likes')
        report.notes.push(`${relative}: deleted on one side and changed on the other; kept (delete it again if it should go)`);
    }
    if (text === null) {
      await repo.blog.store.files.remove(file);
      await gitText(repo, ['rm', '--quiet', '--cached', '--ignore-unmatch', '--', relative], 'git rm');
      continue;
    }
    await repo.blog.store.files.write(file, text);
    await gitText(repo, ['add', '--', relative], 'git add');
    if (conflicts.length)
      report.conflicts.push(await describeConflict(repo, relative, kind.kind === 'post' ? kind.id : undefined, conflicts));
  }
}

/**
 * A file deleted on one side and changed on the other: likes merge with none on the deleted side (a
 * reset), and whatever else was changed is kept, so that nothing acknowledged is lost. Null: deleted.
 */
function deletedOnOneSide(
  relative: string,
  kind: MergeKind,
  base: string | null,
  kept: string,
): { text: string | null; conflicts: MergeConflict[] } {
  if (kind !== 'likes') return { text: kept, conflicts: [] };
  const id = mergeKindOf(relative)!.id!;
  const none = JSON.stringify({ post: id, likes: [] });
  const merged = mergeFileTexts(relative, { base, ours: kept, theirs: none });
  const likes = (JSON.parse(merged.text) as { likes: unknown[] }).likes;
  return { text: likes.length ? merged.text : null, conflicts: [] };
}

async function describeConflict(repo: Repo, relative: string, id: string | undefined, conflicts: MergeConflict[]): Promise<SyncConflict> {
  const fields = conflicts.map((c) => c.field);
  if (id === undefined) return { file: relative, kind: 'settings', fields };
  const post = await repo.blog.store.readPost(id).catch(() => null);
  return { file: relative, kind: 'post', id, ...(post ? { title: oneLine(post.title) } : {}), fields };
}

/** Every blog file the merge changed is read back and validated: a merge never leaves a broken file. */
async function checkMerged(repo: Repo): Promise<void> {
  const files = (await gitText(repo, ['diff', '--cached', '--name-only', '--relative', 'HEAD', '--', '.'])).split('\n').filter(Boolean);
  const { store } = repo.blog;
  for (const relative of files) {
    const kind = mergeKindOf(relative);
    if (!kind) continue;
    const file = path.join(repo.blog.dir, relative);
    if ((await store.files.stat(file)) === null) continue;
    try {
      if (kind.kind === 'post' && path.dirname(file) === store.layout.postsDir) {
        if (file === postFile(store.layout, kind.id!)) await store.readPost(kind.id!);
      } else if (kind.kind === 'likes' && file === likesFile(store.layout, kind.id!)) {
        await readLikes(store.files, store.layout, kind.id!);
      } else if (kind.kind === 'settings' && file === store.layout.settingsFile) {
        await store.readSettings();
      } else if (kind.kind === 'taxonomy' && file === store.layout.taxonomyFile) {
        await store.readTaxonomy();
      } else if (kind.kind === 'media' && file === store.layout.mediaFile) {
        await store.readMedia();
      }
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      throw new StorageError(`The merge would leave a broken file, so it was undone: ${error.message}`);
    }
  }
}
