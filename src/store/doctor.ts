/**
 * `termpress doctor`: checks the settings, every post and likes file, the index and the references
 * between them, through the store's own reading, locking and writing; with fix, repairs what it can.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SymlinkError, TermpressError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { nextRevision } from '../core/posts.js';
import { parentLoops } from '../core/threads.js';
import { SCHEMA_VERSION } from '../core/types.js';
import type { Post } from '../core/types.js';
import { writeLeftoverOf } from './confined.js';
import type { ConfinedFolder } from './confined.js';
import { readIndexChecked, statPostFiles } from './index-cache.js';
import type { IndexEntry } from './index-cache.js';
import { SETTINGS_FILE, displayPath, misnamedPostFile, postFile } from './layout.js';
import type { BlogLayout } from './layout.js';
import { readLikes } from './likes.js';
import type { BlogStore } from './store.js';
import { summarize } from './summary.js';

/** One thing doctor found: damage it cannot repair, or a problem it repaired (or can with --fix). */
export interface Finding {
  file: string;
  problem: string;
  /** What --fix does about it; absent when it needs a person. */
  fix?: string;
  fixed?: boolean;
  /**
   * A leftover of a process killed mid-write or while taking the lock: nothing is damaged (the write
   * it belonged to was never acknowledged), so it does not make the blog unhealthy; --fix removes it.
   */
  debris?: boolean;
}

export interface DoctorReport {
  blog: string;
  posts: number;
  comments: number;
  findings: Finding[];
  /** Where the blog was backed up before repairs, when any were made. */
  backup?: string;
  /** True when nothing is left that needs a person or --fix (debris aside). */
  healthy: boolean;
}

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

const INTERRUPTED = 'leftover temporary file from an interrupted write';

/** Leftovers of interrupted writes and lock takeovers outside posts/: whole paths, safe to remove under the lock. */
async function otherLeftovers(store: BlogStore): Promise<Array<{ file: string; problem: string }>> {
  const { layout, files } = store;
  const found: Array<{ file: string; problem: string }> = [];
  for (const name of await readNames(files, layout.dir)) {
    if (writeLeftoverOf(name) === SETTINGS_FILE) found.push({ file: path.join(layout.dir, name), problem: INTERRUPTED });
  }
  const caches = [path.basename(layout.indexFile), path.basename(layout.commentIndexFile)];
  for (const name of await readNames(files, layout.privateDir)) {
    if (caches.includes(writeLeftoverOf(name) ?? '')) found.push({ file: path.join(layout.privateDir, name), problem: INTERRUPTED });
  }
  for (const { file, pid, kind } of await store.lockLeftovers()) {
    found.push({
      file,
      problem: `leftover lock ${kind === 'takeover' ? 'takeover ' : ''}file of process ${pid}, which is no longer running`,
    });
  }
  return found;
}

/** Checks the settings, every post file, the index and the references between them; with fix, repairs what it can. */
/** A problem found outside the store (the blog's git set-up, say), reported on the blog's folder and repaired with the rest. */
export interface OuterProblem {
  problem: string;
  fix: string;
  repair(): Promise<void>;
}

export async function checkBlog(
  store: BlogStore,
  options: { fix?: boolean | undefined; outer?: readonly OuterProblem[] | undefined } = {},
): Promise<DoctorReport> {
  const layout = store.layout;
  const findings: Finding[] = [];
  const report: DoctorReport = { blog: store.dir, posts: 0, comments: 0, findings, healthy: true };
  const note = (file: string, problem: string, fix?: string) => {
    const finding: Finding = fix ? { file: displayPath(file), problem, fix } : { file: displayPath(file), problem };
    findings.push(finding);
    return finding;
  };
  const debris = (file: string, problem: string) => {
    note(file, problem, 'remove it').debris = true;
  };
  const blogFiles = store.files;
  const links = await linksInside(blogFiles, layout);
  for (const link of links) {
    const kind = (await fs.stat(link).catch(() => null))?.isDirectory() ? 'folder' : 'file';
    note(link, withoutPath(blogFiles.linkError(link, kind).message, link));
  }
  const linked = (file: string) => links.some((link) => file === link || file.startsWith(link + path.sep));

  // A blog of a schema this termpress cannot use is checked but never repaired: it does not know its files.
  const schemaRefused = (await store.schemaRefusal()) !== null;
  // The index is a cache that every listing refreshes by size and time (after a git pull or merge, say):
  // refreshed the same way first, so that only an index that lies about its files shows as damage. The
  // lies are read before that refresh, which would write over them.
  const indexBefore = linked(layout.indexFile) ? null : await readIndexChecked(layout).catch(() => null);
  if (!schemaRefused && links.length === 0) await store.summaries().catch(() => undefined);
  try {
    const settings = await store.readSettings();
    if (settings.conflicts?.length) {
      note(
        layout.settingsFile,
        `unresolved merge conflict in ${settings.conflicts.map((c) => c.field).join(', ')}: end it with termpress config resolve --ours (or --theirs)`,
      );
    }
  } catch (error) {
    if (!(error instanceof TermpressError)) throw error;
    // A link was named above already.
    if (!(error instanceof SymlinkError)) note(layout.settingsFile, error.message);
  }

  const postsReadable = !linked(layout.postsDir);
  const names = postsReadable ? await readNames(blogFiles, layout.postsDir) : [];
  const temps = names.filter((name) => writeLeftoverOf(name)?.endsWith('.json'));
  const toRepair: Array<{ post: Post; detach: string[] }> = [];
  const slugs = new Map<string, string>();
  const files = postsReadable
    ? await statPostFiles(layout, { links: 'skip' })
    : new Map<string, { size: number; mtimeMs: number; file: string }>();
  const summaries = new Map<string, IndexEntry>();
  // Pages by id with their files, to check each page's parent once every post has been read.
  const pages = new Map<string, { post: Post; file: string }>();
  const postIds = new Set<string>();
  for (const [id, { file, size, mtimeMs }] of files) {
    if (!isId(id)) {
      note(file, misnamedPostFile(file).message.slice(`${displayPath(file)} `.length));
      continue;
    }
    let post: Post;
    try {
      post = await store.readPostFile(id);
    } catch (error) {
      if (!(error instanceof TermpressError)) throw error;
      note(file, withoutPath(error.message, file));
      continue;
    }
    if (post.id !== id) {
      const twin = files.has(post.id)
        ? `, the id of ${displayPath(postFile(layout, post.id))} too (a duplicate: remove one, or give this one a new id)`
        : '';
      note(file, `holds post id "${post.id}" but is named ${id}.json${twin}; rename it to ${post.id}.json or fix its "id"`);
      continue;
    }
    report.posts++;
    report.comments += post.comments.length;
    postIds.add(post.id);
    if (post.type === 'page') pages.set(post.id, { post, file });
    if (post.conflicts?.length) {
      note(
        file,
        `unresolved merge conflict in ${post.conflicts.map((c) => c.field).join(', ')}: see termpress post show ${id}, then termpress post resolve ${id}`,
      );
    }
    // As the index holds it: JSON, without the keys whose value is undefined.
    summaries.set(id, { size, mtimeMs, summary: JSON.parse(JSON.stringify(summarize(post))) as IndexEntry['summary'] });
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
      else
        note(
          file,
          `comments ${loop.join(', ')} reply to one another in a loop (${[...loop, oldest].join(' -> ')}, each a reply to the next)`,
          `make comment ${oldest} a top-level comment`,
        );
    }
    if (orphans.length || breakers.length) toRepair.push({ post, detach: [...orphans, ...breakers] });
  }
  for (const name of temps) debris(path.join(layout.postsDir, name), INTERRUPTED);

  // A page under a parent that is gone (or is a post) is shown at the top level, as WordPress does; said
  // here so that the tree in the files is the tree on the site.
  const orphanPages: string[] = [];
  for (const { post, file } of pages.values()) {
    const parent = post.parentId;
    if (typeof parent !== 'string' || pages.has(parent)) continue;
    const what = postIds.has(parent) ? 'is a post, not a page' : 'does not exist';
    note(file, `page ${post.id} is under ${parent}, which ${what}, so the site shows it at the top level`, 'make it a top-level page');
    orphanPages.push(post.id);
  }

  // Readers' likes, one file per post: each must parse, and belong to a post that is there.
  const likeRemovals: string[] = [];
  const likeNames = linked(layout.likesDir) ? [] : await readNames(blogFiles, layout.likesDir);
  for (const name of likeNames) {
    const file = path.join(layout.likesDir, name);
    const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (writeLeftoverOf(name)?.endsWith('.json')) {
      debris(file, INTERRUPTED);
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
  const leftovers = linked(layout.privateDir) ? [] : await otherLeftovers(store);
  for (const { file, problem } of leftovers) debris(file, problem);

  // The index is trusted by size and time alone, so an entry that matches its file's but not its content
  // (a hand edit, a bad merge, another program) would give wrong answers until the file next changes.
  if (indexBefore !== null) {
    // An entry of the file's size and time whose summary is not the file's, or not a summary at all, lies.
    const lies = Object.entries(indexBefore.index.posts).filter(([id, entry]) => {
      const known = summaries.get(id);
      return (
        known !== undefined &&
        known.size === entry.size &&
        known.mtimeMs === entry.mtimeMs &&
        !isDeepStrictEqual(entry.summary, known.summary)
      );
    });
    const wrong = indexBefore.dropped.length + lies.length;
    const { index } = await readIndexChecked(layout);
    const entries = Object.entries(index.posts);
    const stale =
      entries.some(([id]) => !files.has(id)) ||
      [...files].some(([id, stat]) => isId(id) && (index.posts[id]?.size !== stat.size || index.posts[id]?.mtimeMs !== stat.mtimeMs));
    if (wrong > 0)
      note(layout.indexFile, `${wrong} ${wrong === 1 ? 'entry' : 'entries'} of the index do not match the post files`, 'rebuild it');
    else if (stale) note(layout.indexFile, 'the index is out of date with the post files', 'rebuild it');
  }

  if (options.fix && schemaRefused) {
    note(
      layout.settingsFile,
      `this termpress knows schemaVersion ${SCHEMA_VERSION} only, so it repairs nothing in this blog; upgrade termpress or restore termpress.json from git`,
    );
  } else if (options.fix && links.length > 0) {
    // Repairs write (a backup, the index, posts) inside the blog, which the links would lead out of.
    note(layout.dir, 'doctor --fix repairs nothing while symbolic links are inside the blog; replace them first');
  } else if (options.fix && findings.some((f) => f.fix)) {
    await store.withLock(async () => {
      // The backup is taken under the lock, so it holds exactly what the repairs start from.
      report.backup = await store.backup('doctor');
      for (const { post, detach } of toRepair) {
        // Read again under the lock: another process may have written it since; only what is still broken is changed.
        const current = await store.readPostFile(post.id);
        const ids = new Set(current.comments.map((c) => c.id));
        const broken = new Set([
          ...current.comments.filter((c) => c.parentId !== null && !ids.has(c.parentId)).map((c) => c.id),
          ...parentLoops(current.comments).map(([oldest]) => oldest!),
        ]);
        const comments = current.comments.map((c) => (broken.has(c.id) && detach.includes(c.id) ? { ...c, parentId: null } : c));
        await store.writePost({ ...current, comments, revision: nextRevision(current) });
      }
      for (const id of orphanPages) {
        const current = await store.readPostFile(id);
        const parent = current.parentId;
        if (typeof parent !== 'string' || (await store.readPostFile(parent).catch(() => null))?.type === 'page') continue;
        await store.writePost({ ...current, parentId: null, revision: nextRevision(current) });
      }
      for (const name of temps) await blogFiles.remove(path.join(layout.postsDir, name));
      for (const file of likeRemovals) await blogFiles.remove(file);
      // Under the lock no takeover guard can belong to the current lock, so removing dead ones is safe.
      for (const { file } of leftovers) await blogFiles.remove(file);
      // From what was read above: only the files written since (the repairs among them) are read again.
      await store.rebuildIndex(summaries);
    });
    for (const finding of findings) if (finding.fix) finding.fixed = true;
  }
  for (const outer of options.outer ?? []) {
    const finding = note(layout.dir, outer.problem, outer.fix);
    if (options.fix && !schemaRefused && links.length === 0) {
      await outer.repair();
      finding.fixed = true;
    }
  }
  report.healthy = findings.every((f) => f.fixed || f.debris);
  return report;
}
