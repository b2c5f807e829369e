import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { TermpressError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { nextRevision } from '../core/posts.js';
import { SCHEMA_VERSION } from '../core/types.js';
import type { Post } from '../core/types.js';
import { isErrno, toJsonText, writeFileAtomic } from '../store/fsx.js';
import { readIndexChecked, statPostFiles, writeIndex } from '../store/index-cache.js';
import { displayPath, misnamedPostFile, postFile } from '../store/layout.js';
import { isAlive } from '../store/lock.js';
import { backupBlog } from '../store/migrate.js';
import { canonicalPost, parseJsonFile, validatePost } from '../store/schema.js';
import { summarize } from '../store/summary.js';
import type { Blog } from './blog.js';

/** One thing doctor found: damage it cannot repair, or a problem it repaired (or can with --fix). */
export interface Finding {
  file: string;
  problem: string;
  /** What --fix does about it; absent when it needs a person. */
  fix?: string;
  fixed?: boolean;
}

export interface DoctorReport {
  blog: string;
  posts: number;
  comments: number;
  findings: Finding[];
  /** Where the blog was backed up before repairs, when any were made. */
  backup?: string;
  /** True when nothing is left that needs a person or --fix. */
  healthy: boolean;
}

// write-file-atomic's temp files: the target name followed by a dot and a hash.
const TEMP_FILE = /\.json\.\d+$|\.json\.[0-9a-f]{6,}$/;
// What a process killed while taking the lock leaves in .termpress/: its lock's temp file (named by the
// token, which starts with the pid) and takeover guards (which name their pid inside).
const LOCK_TEMP = /^lock(?:\.takeover-[\w-]+)*\.(\d+)-[a-z0-9]+\.tmp$/;
const LOCK_GUARD = /^lock(?:\.takeover-[\w-]+)+$/;


async function readNames(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return [] as string[];
    throw error;
  });
}

/** Leftovers of interrupted writes and lock takeovers outside posts/: whole paths, safe to remove. */
async function otherLeftovers(layout: Blog['store']['layout']): Promise<Array<{ file: string; problem: string }>> {
  const found: Array<{ file: string; problem: string }> = [];
  for (const name of await readNames(layout.dir)) {
    if (/^termpress\.json\.\d+$/.test(name)) found.push({ file: path.join(layout.dir, name), problem: 'leftover temporary file from an interrupted write' });
  }
  for (const name of await readNames(layout.privateDir)) {
    const file = path.join(layout.privateDir, name);
    if (/^index\.json\.\d+$/.test(name)) {
      found.push({ file, problem: 'leftover temporary file from an interrupted write' });
      continue;
    }
    const temp = LOCK_TEMP.exec(name);
    if (temp && !isAlive(Number(temp[1]))) {
      found.push({ file, problem: `leftover lock file of process ${temp[1]}, which is no longer running` });
      continue;
    }
    if (LOCK_GUARD.test(name)) {
      let holder: { pid?: unknown; host?: unknown } = {};
      try {
        holder = JSON.parse(await fs.readFile(file, 'utf8')) as typeof holder;
      } catch {
        // Unreadable: judged by the lock itself, not here.
      }
      if (typeof holder.pid === 'number' && holder.host === os.hostname() && !isAlive(holder.pid)) {
        found.push({ file, problem: `leftover lock takeover file of process ${holder.pid}, which is no longer running` });
      }
    }
  }
  return found;
}

/** Checks the settings, every post file, the index and the references between them; with fix, repairs what it can. */
export async function runDoctor(blog: Blog, options: { fix?: boolean } = {}): Promise<DoctorReport> {
  const layout = blog.store.layout;
  const findings: Finding[] = [];
  const report: DoctorReport = { blog: blog.dir, posts: 0, comments: 0, findings, healthy: true };
  const note = (file: string, problem: string, fix?: string) => {
    const finding: Finding = fix ? { file: displayPath(file), problem, fix } : { file: displayPath(file), problem };
    findings.push(finding);
    return finding;
  };
  // A blog of a schema this termpress cannot use is checked but never repaired: it does not know its files.
  const schemaRefused = (await blog.store.schemaRefusal()) !== null;
  try {
    await blog.store.readSettings();
  } catch (error) {
    if (!(error instanceof TermpressError)) throw error;
    note(layout.settingsFile, error.message);
  }

  const names = await readNames(layout.postsDir);
  const temps = names.filter((name) => TEMP_FILE.test(name));
  const toRepair: Array<{ post: Post; orphans: string[] }> = [];
  const slugs = new Map<string, string>();
  const files = await statPostFiles(layout);
  const summaries = new Map<string, ReturnType<typeof summarize>>();
  for (const [id, { file }] of files) {
    if (!isId(id)) {
      note(file, misnamedPostFile(file).message.slice(`${displayPath(file)} `.length));
      continue;
    }
    let post: Post;
    try {
      const text = await fs.readFile(file, 'utf8');
      post = validatePost(parseJsonFile(text, file), file);
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      // The finding names the file already; the message need not say it twice.
      const own = `${displayPath(file)} `;
      note(file, error.message.startsWith(own) ? error.message.slice(own.length) : error.message);
      continue;
    }
    if (post.id !== id) {
      const twin = files.has(post.id) ? `, the id of ${displayPath(postFile(layout, post.id))} too (a duplicate: remove one, or give this one a new id)` : '';
      note(file, `holds post id "${post.id}" but is named ${id}.json${twin}; rename it to ${post.id}.json or fix its "id"`);
      continue;
    }
    report.posts++;
    report.comments += post.comments.length;
    // As the index holds it: JSON, without the keys whose value is undefined.
    summaries.set(id, JSON.parse(JSON.stringify(summarize(post))) as ReturnType<typeof summarize>);
    const other = slugs.get(post.slug);
    if (other) note(file, `slug "${post.slug}" is also used by post ${other}; change one with termpress post edit --slug`);
    else slugs.set(post.slug, post.id);
    const ids = new Set<string>();
    for (const comment of post.comments) {
      if (ids.has(comment.id)) note(file, `comment id ${comment.id} appears twice; remove or rename one by hand`);
      ids.add(comment.id);
    }
    const orphans = post.comments.filter((c) => c.parentId !== null && !ids.has(c.parentId)).map((c) => c.id);
    for (const orphan of orphans) {
      const parent = post.comments.find((c) => c.id === orphan)?.parentId;
      note(file, `comment ${orphan} replies to comment ${parent}, which does not exist`, 'make it a top-level comment');
    }
    if (orphans.length) toRepair.push({ post, orphans });
  }
  for (const name of temps) note(path.join(layout.postsDir, name), 'leftover temporary file from an interrupted write', 'remove it');
  const leftovers = await otherLeftovers(layout);
  for (const { file, problem } of leftovers) note(file, problem, 'remove it');

  // The index is trusted by size and time alone, so an entry that matches its file's but not its content
  // (a hand edit, a bad merge, another program) would give wrong answers until the file next changes.
  const { index, dropped } = await readIndexChecked(layout);
  const entries = Object.entries(index.posts);
  const wrong = dropped.length + entries.filter(([id, entry]) => summaries.has(id) && !isDeepStrictEqual(entry.summary, summaries.get(id))).length;
  const stale =
    entries.some(([id]) => !files.has(id)) ||
    [...files].some(([id, stat]) => isId(id) && (index.posts[id]?.size !== stat.size || index.posts[id]?.mtimeMs !== stat.mtimeMs));
  if (wrong > 0) note(layout.indexFile, `${wrong} ${wrong === 1 ? 'entry' : 'entries'} of the index do not match the post files`, 'rebuild it');
  else if (stale) note(layout.indexFile, 'the index is out of date with the post files', 'rebuild it');

  if (options.fix && schemaRefused) {
    note(layout.settingsFile, `this termpress knows schemaVersion ${SCHEMA_VERSION} only, so it repairs nothing in this blog; upgrade termpress or restore termpress.json from git`);
  } else if (options.fix && findings.some((f) => f.fix)) {
    await blog.store.withLock(async () => {
      // The backup is taken under the lock, so it holds exactly what the repairs start from.
      report.backup = await backupBlog(layout, 'doctor', blog.now());
      for (const { post, orphans } of toRepair) {
        // Read again under the lock: another process may have written it since.
        const current = validatePost(parseJsonFile(await fs.readFile(postFile(layout, post.id), 'utf8'), postFile(layout, post.id)), postFile(layout, post.id));
        const ids = new Set(current.comments.map((c) => c.id));
        const comments = current.comments.map((c) =>
          c.parentId !== null && !ids.has(c.parentId) && orphans.includes(c.id) ? { ...c, parentId: null } : c,
        );
        await writeFileAtomic(postFile(layout, post.id), toJsonText(canonicalPost({ ...current, comments, revision: nextRevision(current) })));
      }
      for (const name of temps) await fs.rm(path.join(layout.postsDir, name), { force: true });
      // Under the lock no takeover guard can belong to the current lock, so removing dead ones is safe.
      for (const { file } of leftovers) await fs.rm(file, { force: true });
      const rebuilt = { version: index.version, posts: {} as typeof index.posts };
      for (const [id, { file }] of await statPostFiles(layout)) {
        if (!isId(id)) continue;
        try {
          const post = validatePost(parseJsonFile(await fs.readFile(file, 'utf8'), file), file);
          if (post.id !== id) continue;
          const stat = await fs.stat(file);
          rebuilt.posts[id] = { size: stat.size, mtimeMs: stat.mtimeMs, summary: summarize(post) };
        } catch (error) {
          if (!(error instanceof TermpressError)) throw error;
        }
      }
      await writeIndex(layout, rebuilt);
    });
    for (const finding of findings) if (finding.fix) finding.fixed = true;
  }
  report.healthy = findings.every((f) => f.fixed);
  return report;
}
