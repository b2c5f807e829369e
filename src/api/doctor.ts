import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TermpressError } from '../core/errors.js';
import type { Post } from '../core/types.js';
import { isErrno, toJsonText, writeFileAtomic } from '../store/fsx.js';
import { readIndex, statPostFiles, writeIndex } from '../store/index-cache.js';
import { displayPath, postFile } from '../store/layout.js';
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
  try {
    await blog.store.readSettings();
  } catch (error) {
    if (!(error instanceof TermpressError)) throw error;
    note(layout.settingsFile, error.message);
  }

  const names = await fs.readdir(layout.postsDir).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return [] as string[];
    throw error;
  });
  const temps = names.filter((name) => TEMP_FILE.test(name));
  const toRepair: Array<{ post: Post; orphans: string[] }> = [];
  const slugs = new Map<string, string>();
  const files = await statPostFiles(layout);
  for (const [id, { file }] of files) {
    let post: Post;
    try {
      const text = await fs.readFile(file, 'utf8');
      post = validatePost(parseJsonFile(text, file), file);
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      note(file, error.message);
      continue;
    }
    if (post.id !== id) {
      note(file, `holds post id "${post.id}" but is named ${id}.json; rename it to ${post.id}.json or fix its "id"`);
      continue;
    }
    report.posts++;
    report.comments += post.comments.length;
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

  const index = await readIndex(layout);
  const stale =
    Object.keys(index.posts).some((id) => !files.has(id)) ||
    [...files].some(([id, stat]) => index.posts[id]?.size !== stat.size || index.posts[id]?.mtimeMs !== stat.mtimeMs);
  if (stale) note(layout.indexFile, 'the index is out of date with the post files', 'rebuild it');

  if (options.fix && findings.some((f) => f.fix)) {
    report.backup = await backupBlog(layout, 'doctor', blog.now());
    await blog.store.withLock(async () => {
      for (const { post, orphans } of toRepair) {
        // Read again under the lock: another process may have written it since.
        const current = validatePost(parseJsonFile(await fs.readFile(postFile(layout, post.id), 'utf8'), postFile(layout, post.id)), postFile(layout, post.id));
        const ids = new Set(current.comments.map((c) => c.id));
        const comments = current.comments.map((c) =>
          c.parentId !== null && !ids.has(c.parentId) && orphans.includes(c.id) ? { ...c, parentId: null } : c,
        );
        await writeFileAtomic(postFile(layout, post.id), toJsonText(canonicalPost({ ...current, comments, revision: current.revision + 1 })));
      }
      for (const name of temps) await fs.rm(path.join(layout.postsDir, name), { force: true });
      const rebuilt = { version: index.version, posts: {} as typeof index.posts };
      for (const [id, { file }] of await statPostFiles(layout)) {
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
