import { AsyncLocalStorage } from 'node:async_hooks';
import { lstatSync, promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, NotFoundError, StorageError, TermpressError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import type * as z from 'zod';
import { mediaListSchema, type MediaRecord } from '../core/media.js';
import { addedCommentsProblem, commentsAdded, describeIssue, postProblem } from '../core/schema.js';
import { emptyTaxonomy, taxonomySchema, type Taxonomy } from '../core/taxonomy.js';
import { SCHEMA_VERSION } from '../core/types.js';
import type { BlogSettings, Comment, Post } from '../core/types.js';
import type { CommentDigest } from '../core/comments.js';
import { commentDigests } from './comment-index.js';
import { blogFolder } from './confined.js';
import type { ConfinedFolder } from './confined.js';
import { isErrno, storageFailure, toJsonText } from './fsx.js';
import { INDEX_VERSION, readIndexChecked, statPostFiles, writeIndex } from './index-cache.js';
import type { IndexEntry, IndexFile } from './index-cache.js';
import { displayPath, layoutOf, misnamedPostFile, postFile } from './layout.js';
import { PostFiles } from './post-files.js';
import type { BlogLayout } from './layout.js';
import { acquireLock, letWaitersIn, lockLeftovers, waitingFor } from './lock.js';
import type { Lock, LockLeftover, LockOptions } from './lock.js';
import { MIGRATIONS, backupBlog } from './migrate.js';
import type { Migration } from './migrate.js';
import { canonicalPost, parseJsonFile, settingsWithDefaults, textWithComments, validatePost, validateSettings } from './schema.js';
import { summarize } from './summary.js';
import type { PostSummary } from './summary.js';

export interface StoreOptions {
  lock?: LockOptions;
  now?: () => Date;
  migrations?: Record<number, Migration>;
}

/** How a hold of the lock is taken. */
export interface LockTurn {
  /**
   * Let the processes waiting for the lock have it first: for each hold of a long run of writes after
   * the first, so that the run does not keep every other writer out until it ends.
   */
  afterWaiters?: boolean;
  /**
   * Keep the lock once the hold is over, for the next hold of this store (a run of writes one after
   * another: a comment server's batches), until a process waits for it or letGoOfLock is called:
   * taking and letting go of the lock are writes to the disk of their own.
   */
  keep?: boolean;
}

/** A file's size and modification time: what tells one version of a post file from another. */
export interface FileVersion {
  size: number;
  mtimeMs: number;
}

/** A write of a post's file: its version before (null when it is new) and after. */
export interface PostWrite {
  before: FileVersion | null;
  after: FileVersion;
}

function versionKey(version: FileVersion): string {
  return `${version.size}:${version.mtimeMs}`;
}

/** Texts of posts written a store keeps at most (see writePostFile): those a comment server writes again and again. */
const MAX_WRITTEN_TEXTS = 200;

/** Parsed posts a store keeps at most (see readPostsShared): a blog of many more is parsed in parts. */
const MAX_SHARED_POSTS = 20_000;

/** How long the index may stay behind the post writes of a server that asked to update it later (see writePosts), in milliseconds. */
const INDEX_LATER_MS = 250;

/** Post files a bulk write has in flight at once: enough to keep the file system's threads busy. */
const BULK_WRITES = 8;

/** The results of fn for each item, in order, with at most `limit` running at once; the first failure is thrown once all have stopped. */
async function eachAtOnce<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** The value with every object and array inside it frozen. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

// The stores whose lock the current async call chain holds, so that nested calls do not wait on themselves.
const heldBy = new AsyncLocalStorage<Set<BlogStore>>();

/** The blog folder on disk: settings, post files, the index and the lock. */
export class BlogStore {
  readonly layout: BlogLayout;
  /** The blog's folder: every file of the blog is read and written through it, never through a link inside. */
  readonly files: ConfinedFolder;
  private readonly options: StoreOptions;
  private changes = 0;

  constructor(dir: string, options: StoreOptions = {}) {
    this.layout = layoutOf(dir);
    this.files = blogFolder(this.layout.dir);
    this.options = options;
  }

  get dir(): string {
    return this.layout.dir;
  }

  /** Whether the folder holds a blog (a termpress.json; one that is a link is there, and refused when read). */
  async exists(): Promise<boolean> {
    try {
      await fs.lstat(this.layout.settingsFile);
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return false;
      throw storageFailure('read', this.layout.settingsFile, error);
    }
  }

  /** Creates the blog folder with these settings; refuses to overwrite an existing blog. */
  async create(settings: BlogSettings): Promise<void> {
    await this.files.folder(this.layout.postsDir, true);
    await this.withLock(async () => {
      if (await this.exists()) throw new StorageError(`${displayPath(this.layout.settingsFile)} already exists.`);
      await this.files.write(this.layout.settingsFile, toJsonText(settings));
      await this.files.write(path.join(this.layout.privateDir, '.gitignore'), '*\n');
    });
  }

  /**
   * What tells one version of the settings file from another (inode, size, time), or null when it is
   * not a plain file: a reader that keeps the settings reads them again when this changes. Synchronous,
   * as one quick look that must not queue behind the writes of the thread pool.
   */
  settingsVersion(): string | null {
    try {
      const stat = lstatSync(this.layout.settingsFile, { throwIfNoEntry: false });
      return stat?.isFile() ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : null;
    } catch {
      return null;
    }
  }

  /** The blog's settings, validated; an older schema is migrated (after a backup), a newer one refused. */
  async readSettings(): Promise<BlogSettings> {
    const raw = await this.readRawSettings();
    const state = this.schemaState(raw);
    if (state instanceof StorageError) throw state;
    if (state === 'older') return this.migrate();
    return this.settingsFrom(raw);
  }

  /**
   * What the settings' schemaVersion means to this termpress: its own, an older one it can migrate, or
   * the refusal of one it cannot use (newer, older without a migration, or not a version at all).
   */
  private schemaState(raw: Record<string, unknown>): 'current' | 'older' | StorageError {
    const version = raw.schemaVersion;
    // Settings a person left out take their defaults, the schemaVersion too.
    if (version === undefined || version === SCHEMA_VERSION) return 'current';
    const file = displayPath(this.layout.settingsFile);
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      return new StorageError(
        `${file} has schemaVersion ${version}, newer than this termpress knows (${SCHEMA_VERSION}): upgrade termpress to use this blog.`,
      );
    }
    const table = this.options.migrations ?? MIGRATIONS;
    let migratable = typeof version === 'number' && Number.isInteger(version) && version >= 0;
    for (let v = version as number; migratable && v < SCHEMA_VERSION; v++) migratable = table[v] !== undefined;
    if (migratable) return 'older';
    return new StorageError(
      `${file} has schemaVersion ${JSON.stringify(version)}, which this termpress (schemaVersion ${SCHEMA_VERSION}) cannot migrate: ` +
        'restore the file from git, or upgrade termpress.',
    );
  }

  /**
   * The refusal of a blog whose schemaVersion this termpress cannot use, or null. Unreadable settings
   * give no answer: whoever reads them reports the file and the position.
   */
  async schemaRefusal(): Promise<StorageError | null> {
    const raw = await this.readRawSettings().catch(() => null);
    const state = raw === null ? 'current' : this.schemaState(raw);
    return state instanceof StorageError ? state : null;
  }

  // The settings file (size and time) last found of this termpress's schema, so that reads check it once.
  private schemaCheckedFor: string | undefined;

  /**
   * The one check behind every read and write of posts: a blog of a newer or unmigratable schema is
   * refused, an older one migrated first. Commands that never read the settings (a show, an edit, a
   * comment) cannot slip past it.
   */
  private async ensureSchema(): Promise<void> {
    const stat = await this.files.stat(this.layout.settingsFile);
    if (stat === null) return; // No blog: whoever needs one says so.
    const key = `${stat.size}:${stat.mtimeMs}`;
    if (key === this.schemaCheckedFor) return;
    const raw = await this.readRawSettings().catch(() => null);
    if (raw === null) return;
    const state = this.schemaState(raw);
    if (state instanceof StorageError) throw state;
    if (state === 'older') await this.readSettings();
    else this.schemaCheckedFor = key;
  }

  private async readRawSettings(): Promise<Record<string, unknown>> {
    const text = await this.files.readText(this.layout.settingsFile);
    if (text === null) {
      throw new NotFoundError(`No blog at ${displayPath(this.dir)}: run termpress init there, or pass --blog <dir>.`);
    }
    const raw = parseJsonFile(text, this.layout.settingsFile);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new StorageError(`${displayPath(this.layout.settingsFile)} must hold a JSON object.`);
    }
    return raw as Record<string, unknown>;
  }

  private settingsFrom(raw: Record<string, unknown>): BlogSettings {
    return settingsWithDefaults(raw, this.layout.settingsFile);
  }

  private async migrate(): Promise<BlogSettings> {
    return this.withLock(async () => {
      let raw = await this.readRawSettings();
      const state = this.schemaState(raw);
      if (state instanceof StorageError) throw state;
      if (state === 'current') return this.settingsFrom(raw);
      const from = raw.schemaVersion as number;
      const table = this.options.migrations ?? MIGRATIONS;
      const steps: Migration[] = [];
      for (let v = from; v < SCHEMA_VERSION; v++) steps.push(table[v]!);
      await backupBlog(this.layout, `schema${from}`, this.now());
      const files = await statPostFiles(this.layout);
      for (const [id, { file }] of files) {
        if (!isId(id)) throw misnamedPostFile(file);
        const text = await this.files.readText(file);
        if (text === null) continue;
        let post = parseJsonFile(text, file) as Record<string, unknown>;
        for (const step of steps) post = step.post(post);
        await this.files.write(postFile(this.layout, id), toJsonText(canonicalPost(validatePost(post, file))));
      }
      for (const step of steps) raw = step.settings(raw);
      const settings = this.settingsFrom({ ...raw, schemaVersion: SCHEMA_VERSION });
      await this.files.write(this.layout.settingsFile, toJsonText(settings));
      return settings;
    });
  }

  /** Saves the settings (validated first, so a bad value never reaches the file). */
  async writeSettings(settings: BlogSettings): Promise<void> {
    const valid = validateSettings(settings, this.layout.settingsFile);
    // Any other version would tell the next command the posts are of a schema they are not.
    if (valid.schemaVersion !== SCHEMA_VERSION) {
      throw new StorageError(
        `Refused to write schemaVersion ${valid.schemaVersion} into ${displayPath(this.layout.settingsFile)}: this termpress writes ${SCHEMA_VERSION}.`,
      );
    }
    await this.files.write(this.layout.settingsFile, toJsonText(valid));
    this.changes++;
  }

  /**
   * How many times this store has changed the blog's data (settings, posts) since it was opened: a
   * command can tell whether a write under the lock changed anything or found nothing to do.
   */
  get changeCount(): number {
    return this.changes;
  }

  /** The category tree and tags' details (empty when the blog has no taxonomy.json). */
  async readTaxonomy(): Promise<Taxonomy> {
    return this.readDocument(this.layout.taxonomyFile, taxonomySchema(), emptyTaxonomy());
  }

  /** Saves the taxonomy, validated first. Call under the lock. */
  async writeTaxonomy(taxonomy: Taxonomy): Promise<void> {
    await this.writeDocument(this.layout.taxonomyFile, taxonomySchema(), taxonomy);
  }

  /** The blog's media records (none when the blog has no media.json). */
  async readMedia(): Promise<MediaRecord[]> {
    return (await this.readDocument(this.layout.mediaFile, mediaListSchema(), { media: [] })).media as MediaRecord[];
  }

  /** Saves the media records, validated first. Call under the lock. */
  async writeMedia(media: MediaRecord[]): Promise<void> {
    await this.writeDocument(this.layout.mediaFile, mediaListSchema(), { media });
  }

  private async readDocument<T>(file: string, schema: z.ZodType<T>, empty: T): Promise<T> {
    await this.ensureSchema();
    const text = await this.files.readText(file);
    if (text === null) return empty;
    const value = parseJsonFile(text, file);
    const result = schema.safeParse(value);
    if (!result.success)
      throw new StorageError(
        `${displayPath(file)} is not valid: ${describeIssue(result.error, value)}; fix it by hand or restore it from git.`,
      );
    return result.data;
  }

  private async writeDocument<T>(file: string, schema: z.ZodType<T>, value: T): Promise<void> {
    const result = schema.safeParse(value);
    if (!result.success) throw new StorageError(`Refused to write ${displayPath(file)}: ${describeIssue(result.error, value)}.`);
    await this.files.write(file, toJsonText(result.data));
  }

  /** Whether a post file with this whole id exists (without reading it). */
  async hasPost(id: string): Promise<boolean> {
    return (await this.files.stat(postFile(this.layout, id)))?.isFile() ?? false;
  }

  /** One post, validated; the id must be whole. */
  async readPost(id: string): Promise<Post> {
    await this.ensureSchema();
    const post = await this.readPostFile(id);
    const file = postFile(this.layout, id);
    if (post.id !== id) {
      throw new StorageError(`${displayPath(file)} holds post id "${post.id}", not "${id}": rename the file or fix the field "id".`);
    }
    return post;
  }

  // The post files as a watch of their folder keeps them, for readAllPostsShared.
  private postFiles: PostFiles | undefined;

  // Posts parsed before, by id, with the file's size, time and inode they were read from.
  private readonly shared = new Map<string, { key: string; post: Post }>();

  /**
   * Posts, as readPost reads them, but deep-frozen and kept while their files stay the same (size and
   * modification time, as the index judges them), so that a long-running server that reads every post
   * for each comment or rebuild parses and validates only the files that changed. The files are looked
   * at all at once, as a listing does. Read-only: copy before changing.
   */
  async readPostsShared(ids: readonly string[]): Promise<Post[]> {
    await this.ensureSchema();
    return this.sharedPosts(await statPostFiles(this.layout), ids);
  }

  /**
   * Every post of the blog, as readPostsShared reads them: for a long-running reader of the whole blog
   * (the comment server's rules look at every post), which then stats the folder once, not twice.
   * A post removed meanwhile (a `git pull`) is simply not there. A blog of more posts than are kept
   * gives those with comments, all the rules need of the others. `fresh`: posts whose files are looked
   * at whatever the watch says (those a batch will write).
   */
  async readAllPostsShared(options: { fresh?: readonly string[] } = {}): Promise<Post[]> {
    await this.ensureSchema();
    // Asked again and again: the files a watch of the folder says changed are looked at (see PostFiles).
    this.postFiles ??= new PostFiles(this.layout);
    const stats = await this.postFiles.files(options.fresh);
    for (const [id, stat] of stats) if (!isId(id)) throw misnamedPostFile(stat.file);
    if (stats.size > MAX_SHARED_POSTS) {
      // More than are kept: only those with comments (as the index counts them), else each call would parse them all.
      const commented = (await this.summaries()).filter((s) => Object.values(s.commentCounts).some((n) => n > 0)).map((s) => s.id);
      return this.sharedPosts(stats, commented, { skipMissing: true });
    }
    return this.sharedPosts(stats, [...stats.keys()], { skipMissing: true });
  }

  private async sharedPosts(
    stats: ReadonlyMap<string, { size: number; mtimeMs: number }>,
    ids: readonly string[],
    options: { skipMissing?: boolean } = {},
  ): Promise<Post[]> {
    const posts: Post[] = [];
    for (const id of ids) {
      const stat = stats.get(id);
      const key = stat ? versionKey(stat) : '';
      const known = this.shared.get(id);
      if (stat && known?.key === key) {
        posts.push(known.post);
        continue;
      }
      let post: Post;
      try {
        // Stat before read: a write in between leaves the new text under the old key, read again next time.
        post = deepFreeze(await this.readPost(id));
      } catch (error) {
        if (options.skipMissing && error instanceof NotFoundError) continue;
        throw error;
      }
      if (this.shared.size >= MAX_SHARED_POSTS) this.shared.clear();
      if (stat) this.shared.set(id, { key, post });
      posts.push(post);
    }
    return posts;
  }

  /**
   * The post file named by this id as it is, validated, whatever id it holds and whatever the blog's
   * schema (doctor checks both itself); commands read posts with readPost.
   */
  async readPostFile(id: string): Promise<Post> {
    const file = postFile(this.layout, id);
    const text = await this.files.readText(file);
    if (text === null) throw new NotFoundError(`Post ${id} not found: run termpress post list to see the posts.`);
    return validatePost(parseJsonFile(text, file), file);
  }

  /**
   * Writes the index anew from the post files: a summary known for a file of the same size and time is
   * taken as it is, any other file is read again; files that cannot be read are left out. Call under the lock.
   */
  async rebuildIndex(known: ReadonlyMap<string, IndexEntry> = new Map()): Promise<IndexFile> {
    const rebuilt: IndexFile = { version: INDEX_VERSION, posts: {} };
    for (const [id, { size, mtimeMs }] of await statPostFiles(this.layout)) {
      if (!isId(id)) continue;
      const entry = known.get(id);
      if (entry && entry.size === size && entry.mtimeMs === mtimeMs) {
        rebuilt.posts[id] = entry;
        continue;
      }
      try {
        const post = await this.readPostFile(id);
        if (post.id === id) rebuilt.posts[id] = { size, mtimeMs, summary: summarize(post) };
      } catch (error) {
        if (!(error instanceof TermpressError)) throw error;
      }
    }
    this.knownIndex = undefined;
    await writeIndex(this.layout, rebuilt);
    return rebuilt;
  }

  /** Copies the settings and the post and likes files into .termpress/backups/, before repairs; returns the folder. */
  backup(label: string): Promise<string> {
    return backupBlog(this.layout, label, this.now());
  }

  /** What processes that died while taking the blog's lock left beside it. */
  lockLeftovers(): Promise<LockLeftover[]> {
    return lockLeftovers(this.files, this.layout.lockFile);
  }

  /** Writes a post atomically in its stable key order and refreshes its index entry. Call under the lock. */
  async writePost(post: Post): Promise<void> {
    const [failure] = await this.writePosts([post]);
    if (failure) throw failure;
  }

  /**
   * Writes posts as writePost writes one, side by side: each file is flushed before it replaces the
   * old one, and the flushes overlap, so a batch of posts waits for the disk about as long as one.
   * The index is then updated once. An error for each post that could not be written, else null;
   * nothing is acknowledged before its file is on disk. Call under the lock. `indexLater`: answer once
   * the posts are on disk and update the index (a cache, which any listing may write without the
   * lock) a moment after (INDEX_LATER_MS), for the writes of that moment together: for a server whose
   * readers wait on the answer, and which writes posts many times a second. Until then a listing finds
   * the index behind the files by their size and time, as after a `git pull`.
   */
  async writePosts(posts: readonly Post[], options: { indexLater?: boolean } = {}): Promise<Array<TermpressError | null>> {
    const written: Array<{ post: Post; version: FileVersion }> = [];
    // The folders on the way are checked once for these writes, not once for each file.
    const files = blogFolder(this.layout.dir, { remember: true });
    try {
      await files.folder(this.layout.postsDir, true);
    } catch (error) {
      if (error instanceof TermpressError) return posts.map(() => error);
      throw error;
    }
    const outcomes = await Promise.all(
      posts.map(async (post) => {
        try {
          written.push({ post, version: await this.writePostFile(post, files) });
          return null;
        } catch (error) {
          if (error instanceof TermpressError) return error;
          throw error;
        }
      }),
    );
    if (options.indexLater) {
      for (const entry of written) this.unindexed.set(entry.post.id, entry);
      this.indexTimer ??= setTimeout(() => {
        this.indexTimer = undefined;
        void this.indexWrites([]);
      }, INDEX_LATER_MS).unref();
    } else {
      await this.indexWrites(written);
    }
    return outcomes;
  }

  // The index updates of writePosts, one after another (updateIndexEntries never fails).
  private indexing: Promise<void> = Promise.resolve();
  // Writes made with indexLater whose index entries are not updated yet, by post id, and the timer that will.
  private readonly unindexed = new Map<string, { post: Post; version: FileVersion }>();
  private indexTimer: NodeJS.Timeout | undefined;

  /** Updates the index for these writes and those left for later, after the updates already under way. */
  private indexWrites(written: ReadonlyArray<{ post: Post; version: FileVersion }>): Promise<void> {
    const entries = [...this.unindexed.values(), ...written];
    this.unindexed.clear();
    return (this.indexing = this.indexing.then(() => this.updateIndexEntries(entries)));
  }

  /**
   * Writes one post's file (through `files`, the blog's folder); its size and time once written. Each
   * write moves the file's time strictly forward (see WriteOptions.later), so that under the lock a size
   * and time name one version of a post: the index, checked by size and time and saved by lockless
   * listings too, never takes a new file for the old.
   */
  private async writePostFile(post: Post, files: ConfinedFolder): Promise<FileVersion> {
    const file = postFile(this.layout, post.id);
    // Whatever built the post checked it already; nothing invalid reaches a file, whatever the way in.
    const sharedEntry = this.shared.get(post.id);
    const shared = sharedEntry?.post;
    const added = shared === undefined ? null : commentsAdded(post, shared);
    const problem = added === null ? postProblem(post) : addedCommentsProblem(post, added);
    if (problem) throw new StorageError(`Refused to write ${displayPath(file)}, which would not be a valid post: ${problem}.`);
    // The text written last for the copy read, with the comments added written out after its others.
    const lastText = added === null ? undefined : this.writtenTexts.get(post.id);
    const text =
      (lastText !== undefined && lastText.comments === shared!.comments ? textWithComments(lastText.text, added!) : null) ??
      toJsonText(canonicalPost(post));
    // Made from the copy read: written only over the file it was read from, never over a change made
    // since by a process that does not take the lock (git, an editor) and that the server missed.
    const readFrom = added === null ? undefined : sharedEntry?.key;
    const check = (existing: Stats | null) => {
      if (readFrom !== undefined && (existing === null || versionKey(existing) !== readFrom))
        throw new ConflictError(
          `${displayPath(file)} changed while the comment was being taken; it was left as it is: send the comment again.`,
        );
    };
    const { replaced, written } = await files.write(file, text, { later: true, check });
    this.changes++;
    const version = { size: written.size, mtimeMs: written.mtimeMs };
    this.lastWrites.set(post.id, { before: replaced ? { size: replaced.size, mtimeMs: replaced.mtimeMs } : null, after: version });
    // A reader of shared posts (the comment server) has the post as written without parsing and checking
    // it again. One that is the shared copy with comments added is kept itself: its comments' list, and so
    // what the rules gathered from it (see BlogComments), carries over to the next reader.
    if (shared !== undefined) {
      // Otherwise a copy in the file's order, so that nothing the caller still holds is frozen.
      const kept = deepFreeze(added !== null ? post : canonicalPost(structuredClone(post)));
      this.shared.set(post.id, { key: versionKey(version), post: kept });
      this.writtenTexts.delete(post.id);
      if (this.writtenTexts.size >= MAX_WRITTEN_TEXTS) this.writtenTexts.delete(this.writtenTexts.keys().next().value!);
      this.writtenTexts.set(post.id, { comments: kept.comments, text });
    }
    return version;
  }

  // The texts of the posts this store wrote last, by id, with the list of comments of the shared copy
  // each was written from (see writePostFile): the next write of the post adds its new comments to it.
  private readonly writtenTexts = new Map<string, { comments: readonly Comment[]; text: string }>();

  // How this store last wrote each post's file.
  private readonly lastWrites = new Map<string, PostWrite>();

  /**
   * How this store last wrote a post's file: its size and time before and after. A process that
   * watches the folder can tell its own writes from another's by them.
   */
  lastWrite(id: string): PostWrite | undefined {
    return this.lastWrites.get(id);
  }

  // The index as this store's last bulk write left it, with what the index file and the posts folder were
  // just after (see bulkIndex); `unsaved` counts the entries written into it since it was last saved.
  private bulk: { index: IndexFile; seen: string; unsaved: number } | undefined;

  /**
   * Every post's summary, for a run of bulk writes under the lock (the batches of an import): as
   * summaries() gives them, but checked against every file only at the run's first batch and after
   * another process wrote, so that a batch does not cost a look at every post. Call under the lock.
   */
  async bulkSummaries(): Promise<PostSummary[]> {
    return Object.values((await this.bulkIndex()).posts).map((entry) => entry.summary);
  }

  /**
   * Writes many posts (the batches of an import), each as writePost does (checked first, atomically,
   * several at a time), with one write of the index for many batches: it is saved when `saveIndex` (the run's last batch) or once the
   * entries it lacks are as many as it holds, so that a run's index writes add up to about twice its size.
   * Until then the index is only behind, which listings notice by size and time. Call under the lock.
   */
  async writeBatch(posts: readonly Post[], options: { saveIndex?: boolean } = {}): Promise<void> {
    for (const post of posts) {
      const problem = postProblem(post);
      if (problem)
        throw new StorageError(
          `Refused to write ${displayPath(postFile(this.layout, post.id))}, which would not be a valid post: ${problem}.`,
        );
    }
    const index = await this.bulkIndex();
    // Forgotten while files change: a failure half-way leaves a folder the next run checks whole.
    const unsaved = this.bulk?.unsaved ?? 0;
    this.bulk = undefined;
    // The folders on the way are checked once for the batch, not once for each of its files.
    const files = blogFolder(this.layout.dir, { remember: true });
    await files.folder(this.layout.postsDir, true);
    const stats = await eachAtOnce(
      posts,
      BULK_WRITES,
      async (post) => (await files.write(postFile(this.layout, post.id), toJsonText(canonicalPost(post)), { later: true })).written,
    );
    this.changes += posts.length;
    for (const [i, post] of posts.entries())
      index.posts[post.id] = { size: stats[i]!.size, mtimeMs: stats[i]!.mtimeMs, summary: summarize(post) };
    const behind = unsaved + posts.length;
    const save = options.saveIndex === true || behind * 2 >= Object.keys(index.posts).length;
    if (save) {
      // The bulk write keeps changing this index after it is saved: it is not kept as the store's known index.
      this.knownIndex = undefined;
      await writeIndex(this.layout, index);
    }
    // At the run's end what it kept of the index is let go with it: a store may live long (in a server).
    if (options.saveIndex) return;
    this.bulk = { index, seen: await this.bulkSeen(), unsaved: save ? 0 : behind };
  }

  /**
   * The index for a bulk write: the one this store's last bulk write left, while the index file and the
   * posts folder are as that write left them (another termpress writes both under the lock, git and
   * editors that replace files change the folder). Otherwise every file is checked as a listing does,
   * reusing what the index file and the last bulk write know of the files that did not change.
   */
  private async bulkIndex(): Promise<IndexFile> {
    const seen = await this.bulkSeen();
    if (this.bulk !== undefined && this.bulk.seen === seen) return this.bulk.index;
    const known = new Map(Object.entries(this.bulk?.index.posts ?? {}));
    for (const [id, entry] of Object.entries((await this.readIndexOnce()).index.posts)) known.set(id, entry);
    const index = await this.rebuildIndex(known);
    this.bulk = { index, seen: await this.bulkSeen(), unsaved: 0 };
    return index;
  }

  /** The identity of the index file and the posts folder as they are (inode, size, time). */
  private async bulkSeen(): Promise<string> {
    const [index, posts] = await Promise.all([this.files.stat(this.layout.indexFile), this.files.stat(this.layout.postsDir)]);
    const of = (stat: Stats | null) => (stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : '-');
    return `${of(index)} ${of(posts)}`;
  }

  /** Removes a post's file for good. Call under the lock. */
  async removePost(id: string): Promise<void> {
    const file = postFile(this.layout, id);
    if (!(await this.files.remove(file))) throw new NotFoundError(`Post ${id} not found.`);
    this.changes++;
    const { index } = await this.readIndexOnce();
    delete index.posts[id];
    await this.saveIndex(index);
  }

  private async updateIndexEntries(written: ReadonlyArray<{ post: Post; version: FileVersion }>): Promise<void> {
    if (written.length === 0) return;
    try {
      const { index } = await this.readIndexOnce();
      for (const { post, version } of written) index.posts[post.id] = { ...version, summary: summarize(post) };
      await this.saveIndex(index);
    } catch {
      // The index is a cache: the next listing notices the change by size and time.
      this.knownIndex = undefined;
    }
  }

  /**
   * Every post's summary without parsing every file: the index is checked against each file's size and
   * modification time, and only files that changed (or are new) are read again. Read-only: the store
   * keeps the index it read for the next read.
   */
  async summaries(): Promise<PostSummary[]> {
    return (await this.checkedSummaries(false)).map((entry) => entry.summary);
  }

  /**
   * Every post's summary (as summaries) with the version of its file: its size and modification time, which
   * change with every write (see writePostFile) and every `git pull`, so that a build can tell which posts
   * changed since the last one without reading them.
   */
  async versionedSummaries(): Promise<{ summary: PostSummary; version: string }[]> {
    return this.checkedSummaries(true);
  }

  /** The summaries checked against the files, with their files' versions when asked for (a listing needs none: each is a number turned into text). */
  private async checkedSummaries(versions: boolean): Promise<{ summary: PostSummary; version: string }[]> {
    await this.ensureSchema();
    const [{ index, sealed }, files] = await Promise.all([this.readIndexOnce(), statPostFiles(this.layout)]);
    // An index not sealed by its digest (written by an earlier termpress, or changed by hand) is written
    // sealed, so that the next listing need not check each entry.
    let changed = !sealed;
    const summaries: { summary: PostSummary; version: string }[] = [];
    for (const [id, stat] of files) {
      if (!isId(id)) throw misnamedPostFile(stat.file);
      const entry = index.posts[id];
      const version = versions ? `${stat.size}:${stat.mtimeMs}` : '';
      if (entry && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs) {
        summaries.push({ summary: entry.summary, version });
        continue;
      }
      let post: Post;
      try {
        post = await this.readPost(id);
      } catch (error) {
        // Deleted by another process between listing the folder and reading the file: it is gone.
        if (!(error instanceof NotFoundError)) throw error;
        if (index.posts[id]) {
          delete index.posts[id];
          changed = true;
        }
        continue;
      }
      const summary = summarize(post);
      if (
        !entry ||
        entry.size !== stat.size ||
        entry.mtimeMs !== stat.mtimeMs ||
        JSON.stringify(entry.summary) !== JSON.stringify(summary)
      ) {
        index.posts[id] = { size: stat.size, mtimeMs: stat.mtimeMs, summary };
        changed = true;
      }
      summaries.push({ summary, version });
    }
    for (const id of Object.keys(index.posts)) {
      if (!files.has(id)) {
        delete index.posts[id];
        changed = true;
      }
    }
    if (changed) await this.saveIndex(index);
    return summaries;
  }

  // The index as this store last read or wrote it, with its file's size and time then: the write that
  // follows a listing in the same command (a slug checked, then the post saved) need not parse it again.
  private knownIndex: { key: string; index: IndexFile; sealed: boolean } | undefined;

  private async indexKey(): Promise<string | null> {
    const stat = await this.files.stat(this.layout.indexFile).catch(() => null);
    return stat?.isFile() ? `${stat.size}:${stat.mtimeMs}` : null;
  }

  /** The index (see readIndexChecked), parsed again only when its file changed since this store last saw it. */
  private async readIndexOnce(): Promise<{ index: IndexFile; sealed: boolean }> {
    const key = await this.indexKey();
    if (key !== null && this.knownIndex?.key === key) return this.knownIndex;
    const { index, sealed } = await readIndexChecked(this.layout);
    this.knownIndex = key === null ? undefined : { key, index, sealed };
    return { index, sealed };
  }

  private async saveIndex(index: IndexFile): Promise<void> {
    this.knownIndex = undefined;
    await writeIndex(this.layout, index);
    const key = await this.indexKey();
    if (key !== null) this.knownIndex = { key, index, sealed: true };
  }

  /**
   * Every post's comment digest (its comments' ids, known authors and newest time) by post id, without
   * reading the posts that did not change since they were last digested (see comment-index.ts).
   */
  async commentDigests(): Promise<Map<string, CommentDigest>> {
    await this.ensureSchema();
    return commentDigests(this.layout, (id) => this.readPost(id));
  }

  /** Runs fn holding the blog's lock; nested calls in the same process share the lock. */
  async withLock<T>(fn: () => Promise<T>, turn: LockTurn = {}): Promise<T> {
    if (heldBy.getStore()?.has(this)) return fn();
    let lock = await this.keptLock(turn);
    if (lock === undefined) {
      this.takers++;
      try {
        if (turn.afterWaiters) await letWaitersIn(this.files, this.layout.lockFile, this.options.lock?.timeoutMs);
        lock = await acquireLock(this.layout.lockFile, { ...this.options.lock, root: this.layout.dir });
      } finally {
        this.takers--;
      }
    }
    let keep = false;
    try {
      const result = await heldBy.run(new Set([...(heldBy.getStore() ?? []), this]), async () => {
        // Under the lock, so that a migration it needs runs in this same hold.
        await this.ensureSchema();
        return fn();
      });
      // Not kept from a hold of this same store that waits for it (it would wait until it gave up).
      keep = turn.keep === true && this.takers === 0;
      return result;
    } finally {
      if (keep) this.kept = lock;
      else await lock.release();
    }
  }

  // The lock kept from the last hold (see LockTurn.keep), and how many holds are taking the lock.
  private kept: Lock | undefined;
  private takers = 0;

  /**
   * The lock kept from the last hold, for this one, if it is still this store's and, for a turn after
   * waiters, no process waits for it; else it is let go, and undefined.
   */
  private async keptLock(turn: LockTurn): Promise<Lock | undefined> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept === undefined) return undefined;
    const waited = turn.afterWaiters === true && (await waitingFor(this.files, this.layout.lockFile)) > 0;
    if (!waited && (await kept.stillHeld())) return kept;
    await kept.release();
    return undefined;
  }

  /** Lets go of a lock kept from the last hold (see LockTurn.keep), if there is one. */
  async letGoOfLock(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    await kept?.release();
  }

  /**
   * Keeps text a person wrote under .termpress/recovery/ and returns the file's path. `replace` names a
   * file kept earlier for the same text (a second round of the same edit), which is written over rather
   * than joined by another. When the blog's folder cannot be written (the disk is full or read-only, the
   * blog is gone, a link is refused) the text goes to a new folder in the system's temp folder instead:
   * what a person wrote is never lost to a storage error.
   */
  async saveRecovery(name: string, text: string, options: { replace?: string | undefined } = {}): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const fileName = `${stamp}-${name.replace(/[^\w.-]+/g, '-')}`;
    try {
      const file =
        options.replace !== undefined && this.isRecoveryFile(options.replace)
          ? path.resolve(options.replace)
          : path.join(this.layout.recoveryDir, fileName);
      await this.files.write(file, text);
      return file;
    } catch (error) {
      try {
        const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'termpress-recovery-')), fileName);
        await fs.writeFile(file, text, 'utf8');
        return file;
      } catch {
        throw error;
      }
    }
  }

  /** Whether a path names a file directly in this blog's .termpress/recovery/ folder. */
  isRecoveryFile(file: string): boolean {
    return path.dirname(path.resolve(file)) === path.resolve(this.layout.recoveryDir);
  }

  /**
   * Removes a file kept under .termpress/recovery/ once its text has been saved for good; true when one
   * was removed. A file anywhere else is the person's own and is never touched.
   */
  async removeRecovery(file: string): Promise<boolean> {
    if (!this.isRecoveryFile(file)) return false;
    return this.files.remove(path.resolve(file));
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
