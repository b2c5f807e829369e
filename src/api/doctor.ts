import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { SymlinkError, TermpressError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { nextRevision } from '../core/posts.js';
import { parentLoops } from '../core/threads.js';
import { SCHEMA_VERSION } from '../core/types.js';
import type { Post } from '../core/types.js';
import type { ConfinedFolder } from '../store/confined.js';
import { toJsonText } from '../store/fsx.js';
import { INDEX_VERSION, readIndexChecked, statPostFiles, writeIndex } from '../store/index-cache.js';
import type { IndexFile } from '../store/index-cache.js';
import { SETTINGS_FILE, displayPath, misnamedPostFile, postFile } from '../store/layout.js';
import type { BlogLayout } from '../store/layout.js';
import { readLikes } from '../store/likes.js';
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

// Temp files of atomic writes: the target name followed by a dot and digits (or, from older versions, a hash).
const TEMP_FILE = /\.json\.\d+$|\.json\.[0-9a-f]{6,}$/;
// What a process killed while taking the lock leaves in .termpress/: its lock's temp file (named by the
// token, which starts with the pid) and takeover guards (which name their pid inside).
const LOCK_TEMP = /^lock(?:\.takeover-[\w-]+)*\.(\d+)-[a-z0-9]+\.tmp$/;
const LOCK_GUARD = /^lock(?:\.takeover-[\w-]+)+$/;
/** An error's message as a finding's problem: the finding names the file already, the message need not say it twice. */
function withoutPath(message: string, file: string): string {
  const own = `${displayPath(file)} `;
  return message.startsWith(own) ? message.slice(own.length) : message;
}

/** The names in a folder of the blog that are plain files or folders (links are reported on their own). */
async function readNames(files: ConfinedFolder, dir: string): Promise<string[]> {
  return (await files.list(dir)).filter((entry) => !entry.isSymbolicLink()).map((entry) => entry.name);
}

/** How far doctor looks for links below each of the blog's own folders (templates/ holds the theme's tree). */
const LINK_DEPTHS: Record<string, number> = { posts: 0, likes: 0, '.termpress': 1, templates: 8 };
/** The names at the top of the blog that termpress reads or writes. */
const OWN_NAMES = [SETTINGS_FILE, ...Object.keys(LINK_DEPTHS), 'public'];

/**
 * The symbolic links inside the blog's own folders: termpress refuses to follow them (a clone could
 * point them at the user's files), so each needs a person to replace it with a real file or folder.
 */
async function linksInside(files: ConfinedFolder, layout: BlogLayout): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await files.list(dir)) {
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) found.push(file);
      else if (entry.isDirectory() && depth > 0) await walk(file, depth - 1);
    }
  };
  for (const entry of await files.list(layout.dir)) {
    if (!OWN_NAMES.includes(entry.name)) continue;
    const file = path.join(layout.dir, entry.name);
    if (entry.isSymbolicLink()) found.push(file);
    else if (entry.isDirectory() && entry.name in LINK_DEPTHS) await walk(file, LINK_DEPTHS[entry.name]!);
  }
  return found;
}

/** Leftovers of interrupted writes and lock takeovers outside posts/: whole paths, safe to remove. */
async function otherLeftovers(files: ConfinedFolder, layout: BlogLayout): Promise<Array<{ file: string; problem: string }>> {
  const found: Array<{ file: string; problem: string }> = [];
  for (const name of await readNames(files, layout.dir)) {
    if (/^termpress\.json\.\d+$/.test(name)) found.push({ file: path.join(layout.dir, name), problem: 'leftover temporary file from an interrupted write' });
  }
  for (const name of await readNames(files, layout.privateDir)) {
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
        holder = JSON.parse((await files.readText(file)) ?? '') as typeof holder;
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
  const blogFiles = blog.store.files;
  const links = await linksInside(blogFiles, layout);
  for (const link of links) {
    const kind = (await fs.stat(link).catch(() => null))?.isDirectory() ? 'folder' : 'file';
    note(link, withoutPath(blogFiles.linkError(link, kind).message, link));
  }
  const linked = (file: string) => links.some((link) => file === link || file.startsWith(link + path.sep));

  // A blog of a schema this termpress cannot use is checked but never repaired: it does not know its files.
  const schemaRefused = (await blog.store.schemaRefusal()) !== null;
  try {
    await blog.store.readSettings();
  } catch (error) {
    if (!(error instanceof TermpressError)) throw error;
    // A link was named above already.
    if (!(error instanceof SymlinkError)) note(layout.settingsFile, error.message);
  }

  const postsReadable = !linked(layout.postsDir);
  const names = postsReadable ? await readNames(blogFiles, layout.postsDir) : [];
  const temps = names.filter((name) => TEMP_FILE.test(name));
  const toRepair: Array<{ post: Post; detach: string[] }> = [];
  const slugs = new Map<string, string>();
  const files = postsReadable ? await statPostFiles(layout, { links: 'skip' }) : new Map<string, { size: number; mtimeMs: number; file: string }>();
  const summaries = new Map<string, ReturnType<typeof summarize>>();
  for (const [id, { file }] of files) {
    if (!isId(id)) {
      note(file, misnamedPostFile(file).message.slice(`${displayPath(file)} `.length));
      continue;
    }
    let post: Post;
    try {
      const text = (await blogFiles.readText(file)) ?? '';
      post = validatePost(parseJsonFile(text, file), file);
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      note(file, withoutPath(error.message, file));
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
    // A loop of replies has no top to thread from; it is broken where threading shows it, at its oldest comment.
    const breakers: string[] = [];
    for (const loop of parentLoops(post.comments)) {
      const [oldest] = loop as [string, ...string[]];
      breakers.push(oldest);
      if (loop.length === 1) note(file, `comment ${oldest} replies to itself`, `make comment ${oldest} a top-level comment`);
      else note(file, `comments ${loop.join(', ')} reply to one another in a loop (${[...loop, oldest].join(' -> ')}, each a reply to the next)`, `make comment ${oldest} a top-level comment`);
    }
    if (orphans.length || breakers.length) toRepair.push({ post, detach: [...orphans, ...breakers] });
  }
  for (const name of temps) note(path.join(layout.postsDir, name), 'leftover temporary file from an interrupted write', 'remove it');

  // Readers' likes, one file per post: each must parse, and belong to a post that is there.
  const likeRemovals: string[] = [];
  const likeNames = linked(layout.likesDir) ? [] : await readNames(blogFiles, layout.likesDir);
  for (const name of likeNames) {
    const file = path.join(layout.likesDir, name);
    const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (TEMP_FILE.test(name)) {
      note(file, 'leftover temporary file from an interrupted write', 'remove it');
      likeRemovals.push(file);
    } else if (!isId(id)) {
      note(file, 'is not the likes of a post (likes/<post id>.json); move it out of likes/');
    } else if (!files.has(id)) {
      note(file, `holds the likes of post ${id}, which does not exist`, 'remove it');
      likeRemovals.push(file);
    } else {
      try {
        await readLikes(blogFiles, layout, id);
      } catch (error) {
        if (!(error instanceof TermpressError)) throw error;
        note(file, withoutPath(error.message, file));
      }
    }
  }
  const leftovers = linked(layout.privateDir) ? [] : await otherLeftovers(blogFiles, layout);
  for (const { file, problem } of leftovers) note(file, problem, 'remove it');

  // The index is trusted by size and time alone, so an entry that matches its file's but not its content
  // (a hand edit, a bad merge, another program) would give wrong answers until the file next changes.
  if (!linked(layout.indexFile)) {
    const { index, dropped } = await readIndexChecked(layout);
    const entries = Object.entries(index.posts);
    const wrong = dropped.length + entries.filter(([id, entry]) => summaries.has(id) && !isDeepStrictEqual(entry.summary, summaries.get(id))).length;
    const stale =
      entries.some(([id]) => !files.has(id)) ||
      [...files].some(([id, stat]) => isId(id) && (index.posts[id]?.size !== stat.size || index.posts[id]?.mtimeMs !== stat.mtimeMs));
    if (wrong > 0) note(layout.indexFile, `${wrong} ${wrong === 1 ? 'entry' : 'entries'} of the index do not match the post files`, 'rebuild it');
    else if (stale) note(layout.indexFile, 'the index is out of date with the post files', 'rebuild it');
  }

  if (options.fix && schemaRefused) {
    note(layout.settingsFile, `this termpress knows schemaVersion ${SCHEMA_VERSION} only, so it repairs nothing in this blog; upgrade termpress or restore termpress.json from git`);
  } else if (options.fix && links.length > 0) {
    // Repairs write (a backup, the index, posts) inside the blog, which the links would lead out of.
    note(layout.dir, 'doctor --fix repairs nothing while symbolic links are inside the blog; replace them first');
  } else if (options.fix && findings.some((f) => f.fix)) {
    await blog.store.withLock(async () => {
      // The backup is taken under the lock, so it holds exactly what the repairs start from.
      report.backup = await backupBlog(layout, 'doctor', blog.now());
      for (const { post, detach } of toRepair) {
        // Read again under the lock: another process may have written it since; only what is still broken is changed.
        const file = postFile(layout, post.id);
        const current = validatePost(parseJsonFile((await blogFiles.readText(file)) ?? '', file), file);
        const ids = new Set(current.comments.map((c) => c.id));
        const broken = new Set([
          ...current.comments.filter((c) => c.parentId !== null && !ids.has(c.parentId)).map((c) => c.id),
          ...parentLoops(current.comments).map(([oldest]) => oldest!),
        ]);
        const comments = current.comments.map((c) => (broken.has(c.id) && detach.includes(c.id) ? { ...c, parentId: null } : c));
        await blogFiles.write(file, toJsonText(canonicalPost({ ...current, comments, revision: nextRevision(current) })));
      }
      for (const name of temps) await blogFiles.remove(path.join(layout.postsDir, name));
      for (const file of likeRemovals) await blogFiles.remove(file);
      // Under the lock no takeover guard can belong to the current lock, so removing dead ones is safe.
      for (const { file } of leftovers) await blogFiles.remove(file);
      const rebuilt: IndexFile = { version: INDEX_VERSION, posts: {} };
      for (const [id, { file, size, mtimeMs }] of await statPostFiles(layout)) {
        if (!isId(id)) continue;
        try {
          const post = validatePost(parseJsonFile((await blogFiles.readText(file)) ?? '', file), file);
          if (post.id !== id) continue;
          rebuilt.posts[id] = { size, mtimeMs, summary: summarize(post) };
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
