import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConflictError, NotFoundError, RefusedError, StorageError, UsageError } from '../core/errors.js';
import { IdIndex, ambiguousRef, idRef, isId, newId } from '../core/ids.js';
import {
  assertDeletable,
  assertStorablePost,
  checkPostText,
  cleanPostText,
  cleanTitle,
  isDue,
  datingProblem,
  makePost,
  nextRevision,
  pinPermalinkDate,
  publish,
  restore,
  startingState,
  trash,
  unpublish,
} from '../core/posts.js';
import { assertValidSlug, slugFromTitle, uniqueSlug } from '../core/slug.js';
import { oneLine, shortLine } from '../core/text.js';
import { describeIssue, settingsSchema } from '../core/schema.js';
import { SCHEMA_VERSION, defaultSettings } from '../core/types.js';
import { isPage } from '../core/types.js';
import type { BlogSettings, CommentOpenness, Post, PostFormat, PostStatus, PostType } from '../core/types.js';
import { parentProblem } from '../core/pages.js';
import { uniqueList } from '../core/lists.js';
import { legacyKeysOf } from '../core/legacy.js';
import { MAX_MEDIA_FILE_BYTES, mediaPathProblem, safeMediaPath, type MediaRecord } from '../core/media.js';
import { isSiteMediaType, mimeTypeOf } from '../core/mime.js';
import {
  categoryListing,
  emptyTaxonomy,
  mergeTaxonomy,
  planCategoryChange,
  tagListing,
  type CategoryChange,
  type CategoryTerm,
  type Taxonomy,
  type TaxonomyMerge,
  type TermListing,
} from '../core/taxonomy.js';
import { locateBlog } from '../store/locate.js';
import type { BlogSource } from '../store/locate.js';
import { BlogStore } from '../store/store.js';
import type { LockTurn, PostWrite } from '../store/store.js';
import type { PostSummary } from '../store/summary.js';
import { userDirs } from '../store/user-config.js';
import { matchesQuery, orderAndPage } from './query.js';
import type { PostQuery } from './query.js';
import { keptTextName } from './recovery.js';
import type { KeptText } from './recovery.js';
import { cleanSettings, getSetting, withSetting } from './settings.js';
import * as commentOps from './comments.js';
import * as likeOps from './likes.js';
import type { Like } from '../core/likes.js';
import { writeLikes } from '../store/likes.js';
import { blogSecret } from '../store/secret.js';

export type { PostSummary } from '../store/summary.js';
export type { FileVersion, PostWrite } from '../store/store.js';

/** A path as messages show it: relative to the working folder when it lies inside it. */
export { displayPath } from '../store/layout.js';

export interface OpenBlogOptions {
  /** A blog folder, like --blog; else $TERMPRESS_BLOG, the nearest termpress.json upward, the default blog. */
  blog?: string | undefined;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The clock; default $TERMPRESS_NOW or the system time. */
  now?: () => Date;
  /** How long to wait for another process's lock, in milliseconds. */
  lockTimeoutMs?: number;
  /**
   * Called once, after the first write that changes something, when the blog written to is the user's
   * default blog rather than a folder named or found: a person who did not know about it learns where
   * their posts went.
   */
  onDefaultBlogWrite?: ((blog: Blog) => void | Promise<void>) | undefined;
}

/** What a new post is made of; only the title is required. */
export interface CreatePostInput {
  title: string;
  slug?: string | undefined;
  body?: string | undefined;
  format?: PostFormat | undefined;
  excerpt?: string | undefined;
  categories?: string[] | undefined;
  tags?: string[] | undefined;
  author?: string | undefined;
  /**
   * What the author asked for, which wins: draft, pending or trash keep `at` as the post's date (a later
   * publish uses it); published needs a past `at` or none, scheduled a future one. Without a status,
   * `at` publishes (past) or schedules (future), and no `at` makes a draft.
   */
  status?: PostStatus | undefined;
  /** The post's date: when it was, or is to be, published. */
  at?: Date | undefined;
  commentStatus?: CommentOpenness | undefined;
  sticky?: boolean | undefined;
  /** 'page' makes a page: no date in its address, never in lists or feeds, in the navigation. */
  type?: PostType | undefined;
  /** A page's parent page: an id, an id prefix or a slug. */
  parent?: string | undefined;
  /** A page's place in the navigation (lower first). */
  menuOrder?: number | undefined;
}

/** What a status transition (publish, unpublish, trash, restore) did. */
export interface PostTransition {
  /** The post after it (with dryRun: as it would be). */
  post: Post;
  /** The status it had before. */
  from: PostStatus;
  /** False when the post was already as asked, and nothing was written. */
  changed: boolean;
}

export interface TransitionOptions {
  /** Work out what would happen, and write nothing. */
  dryRun?: boolean | undefined;
}

/** Fields an edit may change; what is left out stays as it is. */
export interface PostChanges {
  title?: string;
  slug?: string;
  body?: string;
  format?: PostFormat;
  excerpt?: string;
  categories?: string[];
  tags?: string[];
  /** Tags to add to the post's tags as they are when the write happens (under the lock). */
  addTags?: string[];
  /** Tags to remove (any case) from the post's tags as they are when the write happens. */
  removeTags?: string[];
  author?: string;
  commentStatus?: CommentOpenness;
  sticky?: boolean;
  status?: 'draft' | 'pending';
  /** The date of a draft or pending post (null: none); a published or scheduled post's date moves by publishing. */
  publishedAt?: string | null;
  /** A page's parent page (an id, prefix or slug), or null for the top level. */
  parent?: string | null;
  menuOrder?: number;
}

export interface UpdateOptions {
  /** Refuse unless the post is still at this revision (for scripts: --if-revision). */
  expectedRevision?: number | undefined;
  /** The post as the edit began: a field this edit changes that changed since then is a conflict. */
  base?: Post | undefined;
  /** Where to keep the edited text when there is a conflict. */
  recoveryText?: string | undefined;
}

export interface UpdateResult {
  post: Post;
  /** The fields that changed; empty when nothing did (and nothing was written). */
  changed: Array<keyof PostChanges | 'parentId'>;
}

/** The fields of a post an edit sets (addTags and removeTags are turned into tags). */
type EditableField = Exclude<keyof PostChanges, 'addTags' | 'removeTags' | 'parent'> | 'parentId';

const EDITABLE: EditableField[] = [
  'title',
  'slug',
  'body',
  'format',
  'excerpt',
  'categories',
  'tags',
  'author',
  'commentStatus',
  'sticky',
  'status',
  'publishedAt',
  'parentId',
  'menuOrder',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A blog: the operations people and scripts perform, each a rule of the core applied under the store's lock. */
export class Blog {
  /**
   * The blog's files. The api's own modules use it; commands, the site and the importers go through the
   * Blog's operations (the lint rules hold src/cli to that).
   * @internal
   */
  readonly store: BlogStore;
  readonly source: BlogSource;
  readonly now: () => Date;
  private cachedSettings: BlogSettings | undefined;
  private settingsVersion: string | null = null;
  private onDefaultBlogWrite: ((blog: Blog) => void | Promise<void>) | undefined;

  constructor(store: BlogStore, source: BlogSource, now: () => Date, onDefaultBlogWrite?: (blog: Blog) => void | Promise<void>) {
    this.store = store;
    this.source = source;
    this.now = now;
    this.onDefaultBlogWrite = source === 'default' ? onDefaultBlogWrite : undefined;
  }

  /** The blog's folder. */
  get dir(): string {
    return this.store.dir;
  }

  /** Where `build` writes the site unless told otherwise: the blog's public/ folder. */
  get publicDir(): string {
    return this.store.layout.publicDir;
  }

  /** The blog's private folder (.termpress/): derived files of this machine, never in git or the site. */
  get privateDir(): string {
    return this.store.layout.privateDir;
  }

  /** Whether the folder holds a blog yet (the default blog is created on first write). */
  exists(): Promise<boolean> {
    return this.store.exists();
  }

  /**
   * The blog's settings; the defaults for a default blog that does not exist yet. Read once and kept,
   * unless `fresh` asks for the file as it is now (a server that runs for days).
   */
  async settings(options: { fresh?: boolean } = {}): Promise<BlogSettings> {
    if (this.cachedSettings && !options.fresh) return this.cachedSettings;
    // Fresh, but not read again while the file is the one read last: a server asks for every request.
    const version = this.store.settingsVersion();
    if (this.cachedSettings && version !== null && version === this.settingsVersion) return this.cachedSettings;
    if (this.source === 'default' && !(await this.store.exists())) return defaultSettings();
    this.cachedSettings = await this.store.readSettings();
    this.settingsVersion = version;
    return this.cachedSettings;
  }

  /** Creates the blog folder (refused when one is there already). */
  async init(
    values: Partial<Pick<BlogSettings, 'title' | 'description' | 'url' | 'author' | 'timezone' | 'language'>> = {},
  ): Promise<BlogSettings> {
    if (await this.store.exists()) {
      throw new RefusedError(`A blog already exists at ${this.dir}: change its settings with termpress config set <key> <value>.`);
    }
    let settings = defaultSettings();
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined) settings = withSetting(settings, key, value);
    }
    await this.store.create(settings);
    this.cachedSettings = settings;
    return settings;
  }

  /** Makes sure the blog exists before a write: the default blog is created on first use. */
  private async ensureExists(): Promise<void> {
    if (await this.store.exists()) return;
    if (this.source !== 'default') {
      throw new NotFoundError(`No blog at ${this.dir}: run termpress init ${this.dir}, or pass --blog <dir>.`);
    }
    await this.store.create(defaultSettings()).catch(async (error: unknown) => {
      // Another process may have created it at the same moment.
      if (!(await this.store.exists())) throw error;
    });
  }

  /** Runs a read-modify-write under the blog's lock. */
  private async write<T>(fn: () => Promise<T>, turn?: LockTurn): Promise<T> {
    await this.ensureExists();
    const before = this.store.changeCount;
    const result = await this.store.withLock(fn, turn);
    // Said after a write that changed something: a cron job's `publish --due` with nothing due stays quiet.
    const announce = this.store.changeCount > before ? this.onDefaultBlogWrite : undefined;
    if (announce) this.onDefaultBlogWrite = undefined;
    await announce?.(this);
    return result;
  }

  /**
   * Runs a read-modify-write of the store under the blog's lock (creating the default blog first); a long
   * run of them lets waiting processes in between (`afterWaiters` for each hold after the first).
   */
  writeLocked<T>(fn: () => Promise<T>, turn?: LockTurn): Promise<T> {
    return this.write(fn, turn);
  }

  /** Summaries of the posts the query selects (every field but body and comments). */
  async listPosts(query: PostQuery = {}): Promise<PostSummary[]> {
    if (!(await this.store.exists())) {
      if (this.source === 'default') return [];
      await this.store.readSettings();
    }
    let posts = (await this.store.summaries()).filter((p) => matchesQuery(p, query));
    if (query.search) {
      const needle = query.search.toLowerCase();
      const found: PostSummary[] = [];
      for (const summary of posts) {
        if (`${summary.title}\n${summary.excerpt}`.toLowerCase().includes(needle)) found.push(summary);
        else if ((await this.store.readPost(summary.id)).body.toLowerCase().includes(needle)) found.push(summary);
      }
      posts = found;
    }
    return orderAndPage(posts, query);
  }

  /**
   * The id of the post a person means: an exact id, a slug, or a unique id prefix of 4+ characters.
   * Several matches are a usage error listing them.
   */
  /** The id of the page a reference names, for a page's parent; a post is refused. */
  private async parentPageId(ref: string): Promise<string> {
    const id = await this.resolvePostId(ref);
    const summary = (await this.store.summaries()).find((s) => s.id === id);
    if (summary === undefined || !isPage(summary))
      throw new UsageError(`${ref} is not a page: a page's parent is another page (see termpress page list).`);
    return id;
  }

  async resolvePostId(ref: string): Promise<string> {
    const wanted = idRef(ref);
    if (wanted === '') throw new UsageError('A post reference is empty: give an id, an id prefix or a slug.');
    // A whole id names its file: no need to read every post, nor to fail on a damaged one elsewhere.
    if (isId(wanted) && (await this.store.hasPost(wanted))) return wanted;
    const posts = await this.store.summaries();
    const bySlug = posts.find((p) => p.slug === ref.trim());
    const matches = new IdIndex(posts, (p) => p.id).lookup(wanted);
    // An exact id comes before a slug, and a slug before an id prefix.
    if (matches.length === 1 && matches[0]!.id === wanted) return wanted;
    if (bySlug) return bySlug.id;
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length > 1)
      throw ambiguousRef(
        wanted,
        'posts',
        matches.map((p) => `${p.id} (${p.slug})`),
      );
    throw new NotFoundError(`No post "${shortLine(ref)}": give an id, an id prefix of 4+ characters or a slug (termpress post list).`);
  }

  /** One whole post, with its comments. */
  async getPost(ref: string): Promise<Post> {
    if (this.source === 'default' && !(await this.store.exists())) {
      throw new NotFoundError(`No post "${ref}": the blog has no posts yet.`);
    }
    return this.store.readPost(await this.resolvePostId(ref));
  }

  private async takenSlugs(exceptId?: string): Promise<Set<string>> {
    const posts = await this.store.summaries();
    return new Set(posts.filter((p) => p.id !== exceptId).map((p) => p.slug));
  }

  /**
   * Creates a post. A slug the caller gives is used as given, and one another post has is refused (exit 4);
   * a slug made from the title is made unique with -2, -3 ... under the lock.
   */
  async createPost(input: CreatePostInput): Promise<Post> {
    const title = cleanTitle(input.title);
    if (title === '') throw new UsageError('A post needs a title: pass --title <text>.');
    checkPostText({ title, body: input.body, excerpt: input.excerpt });
    if (input.slug !== undefined) assertValidSlug(input.slug);
    const now = this.now();
    const problem = datingProblem(input.status, input.at, now);
    if (problem === 'scheduled-needs-future-date') throw new UsageError('A scheduled post needs a future date: pass --at <date>.');
    if (problem === 'published-in-future') {
      throw new UsageError(
        'A published post cannot have a future date: use --status scheduled to schedule it, or drop --at to publish now.',
      );
    }
    return this.write(async () => {
      const settings = await this.store.readSettings();
      const taken = await this.takenSlugs();
      if (input.slug !== undefined && taken.has(input.slug)) {
        throw new RefusedError(
          `The slug "${input.slug}" is taken by another post; choose another --slug, or leave it out to have one made from the title.`,
        );
      }
      const slug = input.slug ?? uniqueSlug(slugFromTitle(title), (s) => taken.has(s));
      if (input.type !== 'page' && (input.parent !== undefined || input.menuOrder !== undefined))
        throw new UsageError('Only pages have a parent and a menu order: use termpress page create.');
      const parentId = input.parent === undefined ? null : await this.parentPageId(input.parent);
      let post = cleanPostText(
        makePost(
          {
            title,
            slug,
            author: input.author ?? settings.author,
            body: input.body,
            format: input.format,
            excerpt: input.excerpt,
            categories: input.categories,
            tags: input.tags,
            commentStatus: input.commentStatus,
            sticky: input.sticky,
            type: input.type,
            parentId,
            menuOrder: input.menuOrder,
          },
          now,
        ),
      );
      const start = startingState(input.status, input.at, now);
      post =
        start.status === 'trash'
          ? trash({ ...post, publishedAt: start.publishedAt })
          : pinPermalinkDate({ ...post, ...start }, settings.timezone);
      assertStorablePost(post);
      await this.store.writePost(post);
      return post;
    });
  }

  /** Changes fields of a post; only what differs is written, and the revision goes up by one. */
  async updatePost(ref: string, changes: PostChanges, options: UpdateOptions = {}): Promise<UpdateResult> {
    if (changes.slug !== undefined) assertValidSlug(changes.slug);
    if (changes.title !== undefined && cleanTitle(changes.title) === '') throw new UsageError('A post title may not be empty.');
    checkPostText({
      title: changes.title === undefined ? undefined : cleanTitle(changes.title),
      body: changes.body,
      excerpt: changes.excerpt,
    });
    return this.write(async () => {
      const id = await this.resolvePostId(ref);
      const current = await this.store.readPost(id);
      const next: Post = { ...current };
      const { parent, ...fields } = changes;
      if ((parent !== undefined || changes.menuOrder !== undefined) && !isPage(current)) {
        throw new UsageError(`${id} is a post: only pages have a parent and a menu order.`);
      }
      const wanted: PostChanges & { parentId?: string | null } = cleanPostText({ ...fields });
      if (parent !== undefined) {
        wanted.parentId = parent === null ? null : await this.parentPageId(parent);
        const pages = (await this.store.summaries()).filter(isPage);
        const problem = parentProblem(pages, id, wanted.parentId);
        if (problem !== null) throw new RefusedError(`Page ${id} cannot go under ${parent}: ${problem}.`);
      }
      if (changes.addTags !== undefined || changes.removeTags !== undefined) {
        // From the tags as they are now, under the lock: two processes adding tags both keep theirs.
        const removed = new Set((changes.removeTags ?? []).map((t) => oneLine(t).toLowerCase()));
        wanted.tags = cleanPostText({ tags: [...(wanted.tags ?? current.tags), ...(changes.addTags ?? [])] }).tags!.filter(
          (t) => !removed.has(t.toLowerCase()),
        );
      }
      const changed: EditableField[] = [];
      for (const key of EDITABLE) {
        // Categories and tags are unique lists already: cleanPostText made them so.
        const value = wanted[key];
        if (value === undefined || same(current[key], value)) continue;
        changed.push(key);
        Object.assign(next, { [key]: value });
      }
      if (changed.length === 0) return { post: current, changed };
      await this.checkConflict(current, changed, options);
      if (changed.includes('status') && current.status !== 'draft' && current.status !== 'pending') {
        throw new RefusedError(`Post ${id} is ${current.status}: use post unpublish to make it a draft again, then set --status.`);
      }
      if (changed.includes('publishedAt') && next.status !== 'draft' && next.status !== 'pending') {
        throw new RefusedError(`Post ${id} is ${next.status}: change its date with termpress post publish ${id} --at <date>.`);
      }
      if (changed.includes('slug')) {
        const taken = await this.takenSlugs(id);
        if (taken.has(next.slug)) throw new RefusedError(`The slug "${next.slug}" is taken by another post; choose another --slug.`);
      }
      next.revision = nextRevision(current);
      next.updatedAt = this.now().toISOString();
      assertStorablePost(next);
      await this.store.writePost(next);
      return { post: next, changed };
    });
  }

  private async checkConflict(current: Post, changed: EditableField[], options: UpdateOptions): Promise<void> {
    let conflict: string | null = null;
    if (options.expectedRevision !== undefined && current.revision !== options.expectedRevision) {
      conflict = `post ${current.id} is at revision ${current.revision}, not ${options.expectedRevision}`;
    } else if (options.base && current.revision !== options.base.revision) {
      const base = options.base;
      const touched = changed.filter((key) => !same(current[key], base[key]));
      if (touched.length) conflict = `post ${current.id} changed since the edit began (${touched.join(', ')})`;
    }
    if (!conflict) return;
    let kept = '';
    let recoveryPath: string | undefined;
    if (options.recoveryText !== undefined) {
      recoveryPath = await this.keepText({ post: current.id }, options.recoveryText);
      kept = ` Your text is kept in ${recoveryPath}.`;
    }
    throw new ConflictError(`Edit conflict: ${conflict}.${kept} Look at termpress post show ${current.id}, then edit again.`, recoveryPath);
  }

  /** Applies a status transition to one post under the lock; a post already as asked is not written. With dryRun, nothing is. */
  private async transition(ref: string, change: (post: Post) => Post, options: TransitionOptions = {}): Promise<PostTransition> {
    const apply = async (post: Post, settings: BlogSettings): Promise<PostTransition> => {
      const changed = change(post);
      if (changed === post) return { post, from: post.status, changed: false };
      const next = pinPermalinkDate(changed, settings.timezone);
      next.revision = nextRevision(post);
      next.updatedAt = this.now().toISOString();
      if (!options.dryRun) await this.store.writePost(next);
      return { post: next, from: post.status, changed: true };
    };
    if (options.dryRun) return apply(await this.getPost(ref), await this.settings());
    return this.write(async () => apply(await this.store.readPost(await this.resolvePostId(ref)), await this.store.readSettings()));
  }

  /** Publishes now, at a past date, or schedules for a future one; a post already published (at that date) is left as it is. */
  publishPost(ref: string, options: { at?: Date | undefined } & TransitionOptions = {}): Promise<PostTransition> {
    return this.transition(ref, (post) => publish(post, this.now(), options.at), options);
  }

  /** Publishes every scheduled post whose time has come (for cron), returning them; with dryRun, those it would publish. */
  async publishDue(options: TransitionOptions = {}): Promise<Post[]> {
    if (this.source === 'default' && !(await this.store.exists())) return [];
    const run = async () => {
      const now = this.now();
      const { timezone } = options.dryRun ? await this.settings() : await this.store.readSettings();
      const due = (await this.store.summaries()).filter((p) => isDue(p, now));
      const published: Post[] = [];
      for (const summary of due.sort((a, b) => (a.publishedAt! < b.publishedAt! ? -1 : 1))) {
        const post = await this.store.readPost(summary.id);
        if (!isDue(post, now)) continue;
        const next = pinPermalinkDate(
          { ...post, status: 'published', revision: nextRevision(post), updatedAt: now.toISOString() },
          timezone,
        );
        if (!options.dryRun) await this.store.writePost(next);
        published.push(next);
      }
      return published;
    };
    return options.dryRun ? run() : this.write(run);
  }

  /** Returns a published, scheduled or pending post to draft; a draft is left as it is. */
  unpublishPost(ref: string, options: TransitionOptions = {}): Promise<PostTransition> {
    return this.transition(ref, unpublish, options);
  }

  /** Moves a post to the trash, its comments leaving the site with it; a trashed post is left as it is. */
  trashPost(ref: string, options: TransitionOptions = {}): Promise<PostTransition> {
    return this.transition(ref, trash, options);
  }

  /** Brings a post back from the trash to the status it had (refused for a post not in the trash). */
  restorePost(ref: string, options: TransitionOptions = {}): Promise<PostTransition> {
    return this.transition(ref, restore, options);
  }

  /** Deletes a post for good: only from the trash unless forced. With dryRun, only checks that it could. */
  async deletePost(ref: string, options: { force?: boolean | undefined } & TransitionOptions = {}): Promise<Post> {
    if (options.dryRun) {
      const post = await this.getPost(ref);
      assertDeletable(post, options.force ?? false);
      return post;
    }
    return this.write(async () => {
      const post = await this.store.readPost(await this.resolvePostId(ref));
      assertDeletable(post, options.force ?? false);
      await this.store.removePost(post.id);
      await writeLikes(this.store.files, this.store.layout, post.id, []);
      return post;
    });
  }

  /**
   * Fixes the permalink day of every published post that has none (published by an older termpress).
   * Not an edit of the post: its revision and updatedAt stay.
   */
  private async pinPermalinkDates(timezone: string): Promise<void> {
    for (const summary of await this.store.summaries()) {
      if (summary.status !== 'published' || summary.permalinkDate !== undefined) continue;
      const post = await this.store.readPost(summary.id);
      const pinned = pinPermalinkDate(post, timezone);
      if (pinned !== post) await this.store.writePost(pinned);
    }
  }

  /**
   * Keeps text a person wrote under .termpress/recovery/ (named by what it was for) and returns the
   * file's path; `replace` names a kept file to write over instead, so that one edit keeps one file.
   * What a person wrote is never lost to a storage error: see BlogStore.saveRecovery.
   */
  keepText(kept: KeptText, text: string, options: { replace?: string | undefined } = {}): Promise<string> {
    return this.store.saveRecovery(keptTextName(kept), text, options);
  }

  /** Removes a kept text once it is saved for good; a file outside .termpress/recovery/ is never touched. True when one was removed. */
  dropKeptText(file: string): Promise<boolean> {
    return this.store.removeRecovery(file);
  }

  /** One blog setting by its dotted key. */
  async getSetting(key: string): Promise<unknown> {
    return getSetting(await this.settings(), key);
  }

  /** Sets one blog setting (undefined: back to the default), validated before it is written. */
  setSetting(key: string, value: unknown): Promise<BlogSettings> {
    return this.setSettings({ [key]: value });
  }

  /** Sets several blog settings in one write, each validated as `config set` validates it; none is written if one is invalid. */
  async setSettings(values: Readonly<Record<string, unknown>>): Promise<BlogSettings> {
    return this.write(async () => {
      const current = await this.store.readSettings();
      let next = current;
      for (const [key, value] of Object.entries(values)) next = withSetting(next, key, value);
      if (next.permalink !== current.permalink) {
        // Every address a post had stays reachable: build writes redirects from those of the old pattern.
        const old = { permalink: current.permalink, until: this.now().toISOString() };
        next = { ...next, oldPermalinks: [...(current.oldPermalinks ?? []), old] };
      }
      // Posts published before their address was fixed at publication get it fixed now, in the old timezone.
      if (next.timezone !== current.timezone) await this.pinPermalinkDates(current.timezone);
      await this.store.writeSettings(next);
      this.cachedSettings = next;
      return next;
    });
  }

  /**
   * Takes the settings a backup carried in place of the blog's own: cleaned as `config set` cleans
   * values, and validated as every settings file is. They are of this schema: the backup's posts were
   * read as this schema, and its own header was checked.
   */
  async restoreSettings(values: Readonly<Record<string, unknown>>): Promise<BlogSettings> {
    const raw = cleanSettings({ ...values, schemaVersion: SCHEMA_VERSION });
    const parsed = settingsSchema().safeParse(raw);
    if (!parsed.success) throw new UsageError(`The backup's settings are invalid: ${describeIssue(parsed.error, raw)}.`);
    return this.write(async () => {
      await this.store.writeSettings(parsed.data);
      this.cachedSettings = parsed.data;
      return parsed.data;
    });
  }

  // ---- Comments (issue 4): thin delegates to ./comments.ts -------------------------------------------

  private get commentHost(): commentOps.CommentHost {
    return {
      store: this.store,
      now: this.now,
      settings: () => this.settings({ fresh: true }),
      exists: () => this.exists(),
      resolvePostId: (ref) => this.resolvePostId(ref),
      keepText: (kept, text) => this.keepText(kept, text),
      write: <T>(fn: () => Promise<T>, turn?: LockTurn) => this.write(fn, turn),
    };
  }

  /** Adds a reader's comment to a post; the moderation rules decide its status, or refuse it (exit 4). */
  addComment(postRef: string, input: commentOps.AddCommentInput): Promise<commentOps.AddCommentResult> {
    return commentOps.addComment(this.commentHost, postRef, input);
  }

  /**
   * Adds many readers' comments under one hold of the lock, one write per post: the same rules, in
   * order; an outcome per comment. `onStored` hears the outcomes once they are on disk, before the
   * lock is let go.
   */
  addReaderComments(
    items: readonly commentOps.ReaderComment[],
    options: commentOps.ReaderCommentOptions = {},
  ): Promise<Array<commentOps.BulkOutcome<commentOps.AddCommentResult>>> {
    return commentOps.addReaderComments(this.commentHost, items, options);
  }

  /** Lets go of the blog's lock if a write kept it (addReaderComments with keepLock). */
  letGoOfLock(): Promise<void> {
    return this.store.letGoOfLock();
  }

  /** Replies to a comment as the blog's author: approved, threaded under it (a pending parent is approved too). */
  replyToComment(ref: string, input: commentOps.ReplyInput): Promise<commentOps.AddCommentResult> {
    return commentOps.replyToComment(this.commentHost, ref, input);
  }

  /** Comments with their posts; by default pending and approved ones, newest first. */
  listComments(query: commentOps.CommentQuery = {}): Promise<commentOps.CommentEntry[]> {
    return commentOps.listComments(this.commentHost, query);
  }

  /** One comment with its post, by id or a unique prefix of 4+ characters (looked for in one post when it is named). */
  getComment(ref: string, options: { post?: string | undefined } = {}): Promise<commentOps.CommentEntry> {
    return commentOps.getComment(this.commentHost, ref, options);
  }

  /** Changes a comment's name, email, url or body. */
  editComment(
    ref: string,
    changes: commentOps.CommentChanges,
    options: commentOps.CommentEditOptions = {},
  ): Promise<commentOps.CommentEditResult> {
    return commentOps.editComment(this.commentHost, ref, changes, options);
  }

  /** approve, unapprove, spam, unspam, trash or restore a comment. */
  setCommentStatus(target: commentOps.CommentTarget, action: commentOps.StatusAction): Promise<commentOps.StatusChange> {
    return commentOps.setCommentStatus(this.commentHost, target, action);
  }

  /** The same action on many comments: one write per post, other writers let in between posts; an outcome per target. */
  setCommentStatuses(
    targets: readonly commentOps.CommentTarget[],
    action: commentOps.StatusAction,
    options: commentOps.BulkOptions<commentOps.StatusChange> = {},
  ): Promise<Array<commentOps.BulkOutcome<commentOps.StatusChange>>> {
    return commentOps.setCommentStatuses(this.commentHost, targets, action, options);
  }

  /** Deletes a comment for good (only from spam or trash unless forced). */
  deleteComment(target: commentOps.CommentTarget, options: { force?: boolean | undefined } = {}): Promise<commentOps.CommentEntry> {
    return commentOps.deleteComment(this.commentHost, target, options);
  }

  /** Deletes many comments for good: one write per post, other writers let in between posts; an outcome per target. */
  deleteComments(
    targets: readonly commentOps.CommentTarget[],
    options: commentOps.DeleteOptions & commentOps.BulkOptions<commentOps.CommentEntry> = {},
  ): Promise<Array<commentOps.BulkOutcome<commentOps.CommentEntry>>> {
    return commentOps.deleteComments(this.commentHost, targets, options);
  }

  // ---- end of comments ------------------------------------------------------------------------------

  /** Likes a published post once per reader (stored as keyed hashes); the post file is not rewritten. */
  /**
   * Reads every post once and keeps it while its file stays the same, as reader comments are judged
   * against the whole blog: a comment server does this as it starts, so that its first readers do not
   * wait for a blog of thousands of posts to be parsed.
   */
  async keepPostsRead(): Promise<void> {
    if (await this.store.exists()) await this.store.readAllPostsShared();
  }

  /**
   * How this Blog last wrote a post's file (its size and time before and after), so that a process
   * watching the blog folder can tell its own writes from others'. Undefined when it wrote none.
   */
  lastPostWrite(postId: string): PostWrite | undefined {
    return this.store.lastWrite(postId);
  }

  likePost(ref: string, liker: likeOps.Liker): Promise<likeOps.LikeResult> {
    return likeOps.likePost(this.commentHost, ref, liker);
  }

  /** How many readers like a post. */
  likeCount(ref: string): Promise<{ postId: string; count: number }> {
    return likeOps.likeCount(this.commentHost, ref);
  }

  /** Clears a post's likes. */
  resetLikes(ref: string): Promise<{ postId: string; removed: number }> {
    return likeOps.resetLikes(this.commentHost, ref);
  }

  /** The category tree and tags' details (none for a blog without them, or no blog yet). */
  async taxonomy(): Promise<Taxonomy> {
    return (await this.exists()) ? this.store.readTaxonomy() : emptyTaxonomy();
  }

  /** Lays terms over the blog's own (a slug already there is the same term) and stores the result. */
  mergeTaxonomy(terms: Taxonomy): Promise<TaxonomyMerge> {
    return this.write(async () => {
      const before = await this.store.readTaxonomy();
      const merge = mergeTaxonomy(before, terms);
      if (JSON.stringify(merge.taxonomy) !== JSON.stringify(before)) await this.store.writeTaxonomy(merge.taxonomy);
      return merge;
    });
  }

  /** The categories: the tree's, then names posts use without it, with how many posts (not trashed) name each. */
  async listCategories(): Promise<TermListing[]> {
    const posts = (await this.exists()) ? (await this.store.summaries()).filter((p) => p.status !== 'trash') : [];
    return categoryListing(await this.taxonomy(), posts);
  }

  /** The tags posts use and those the blog describes, with how many posts (not trashed) carry each. */
  async listTags(): Promise<TermListing[]> {
    const posts = (await this.exists()) ? (await this.store.summaries()).filter((p) => p.status !== 'trash') : [];
    return tagListing(await this.taxonomy(), posts);
  }

  /**
   * Changes the category tree (create, rename, move, delete, merge) and every post that names a category
   * it touches, under one hold of the lock: no post is left naming a category that is gone.
   */
  changeCategories(change: CategoryChange, options: TransitionOptions = {}): Promise<{ category: CategoryTerm; posts: string[] }> {
    return this.write(async () => {
      const summaries = await this.store.summaries();
      const plan = planCategoryChange(await this.store.readTaxonomy(), [...new Set(summaries.flatMap((p) => p.categories))], change);
      const touched = summaries.filter((p) => p.categories.some((entry) => plan.entry(entry) !== entry));
      if (options.dryRun) return { category: plan.category, posts: touched.map((p) => p.id) };
      await this.store.writeTaxonomy(plan.taxonomy);
      await this.rewritePosts(
        touched.map((p) => p.id),
        (post) => ({ categories: uniqueList(post.categories.map((e) => plan.entry(e)).filter((e) => e !== null)) }),
      );
      return { category: plan.category, posts: touched.map((p) => p.id) };
    });
  }

  /** Renames a tag on every post (merging it into the tag of that name if there is one), or removes it (`to` null), under one hold of the lock. */
  changeTag(from: string, to: string | null, options: TransitionOptions = {}): Promise<{ posts: string[] }> {
    const key = from.trim().toLowerCase();
    const name = to === null ? null : oneLine(to).trim();
    if (name === '') throw new UsageError('A tag name may not be empty.');
    return this.write(async () => {
      const summaries = await this.store.summaries();
      const touched = summaries.filter((p) => p.tags.some((t) => t.trim().toLowerCase() === key));
      if (touched.length === 0) throw new NotFoundError(`No post has the tag "${from}": see termpress tag list.`);
      if (!options.dryRun) {
        await this.rewritePosts(
          touched.map((p) => p.id),
          (post) => ({
            tags: uniqueList(post.tags.flatMap((t) => (t.trim().toLowerCase() === key ? (name === null ? [] : [name]) : [t]))),
          }),
        );
      }
      return { posts: touched.map((p) => p.id) };
    });
  }

  /** Writes these posts with the fields `change` gives each, as one edit each (revision and time moved on). Call under the lock. */
  private async rewritePosts(ids: readonly string[], change: (post: Post) => Partial<Post>): Promise<void> {
    for (const id of ids) {
      const post = await this.store.readPost(id);
      const next = { ...post, ...change(post), revision: nextRevision(post), updatedAt: this.now().toISOString() };
      assertStorablePost(next);
      await this.store.writePost(next);
    }
  }

  /** The blog's media records (none for a blog without them, or no blog yet). */
  async media(): Promise<MediaRecord[]> {
    return (await this.exists()) ? this.store.readMedia() : [];
  }

  /**
   * Adds a file from disk to the blog's media: copied under media/<year>/<month>/ (by the blog's clock)
   * and recorded, attached to a post or page when one is named. Only media types the site may carry are
   * taken (never HTML, SVG or scripts), up to MAX_MEDIA_FILE_BYTES.
   */
  async addMediaFile(source: string, options: { post?: string | undefined; title?: string | undefined } = {}): Promise<MediaRecord> {
    const type = mimeTypeOf(source);
    if (!isSiteMediaType(type)) {
      throw new UsageError(
        `${path.basename(source)} is ${type === 'application/octet-stream' ? 'of an unknown type' : type}, which termpress does not put on the site: add images, audio, video or documents.`,
      );
    }
    let stat;
    try {
      stat = await fs.lstat(source);
    } catch (error) {
      throw new NotFoundError(`No file at ${source} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): name a file to add.`);
    }
    if (!stat.isFile()) throw new UsageError(`${source} is not a plain file (a link or a folder): name the file itself.`);
    if (stat.size > MAX_MEDIA_FILE_BYTES)
      throw new UsageError(`${path.basename(source)} is ${stat.size} bytes; the limit is ${MAX_MEDIA_FILE_BYTES}.`);
    const bytes = await fs.readFile(source);
    return this.write(async () => {
      const postId = options.post === undefined ? null : await this.resolvePostId(options.post);
      const media = await this.store.readMedia();
      const now = this.now();
      const folder = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      const file = safeMediaPath(
        `${folder}/${path.basename(source)}`,
        `${folder}/media${path.extname(source).toLowerCase()}`,
        new Set(media.flatMap((m) => (m.file === null ? [] : [m.file.toLowerCase()]))),
      );
      const record: MediaRecord = {
        id: newId(),
        file,
        url: '',
        title: oneLine(options.title ?? path.basename(source, path.extname(source))).slice(0, 10_000),
        caption: '',
        description: '',
        alt: '',
        mimeType: type,
        size: bytes.length,
        postId,
        createdAt: now.toISOString(),
      };
      await this.store.files.write(path.join(this.store.layout.mediaDir, ...file.split('/')), bytes);
      await this.store.writeMedia([...media, record]);
      return record;
    });
  }

  /** Adds media records, leaving out any whose id or import key the blog has already. */
  addMedia(records: readonly MediaRecord[]): Promise<void> {
    return this.write(async () => {
      const media = await this.store.readMedia();
      const ids = new Set(media.map((r) => r.id));
      const keys = new Set(media.flatMap(legacyKeysOf));
      for (const record of records) {
        if (ids.has(record.id) || legacyKeysOf(record).some((k) => keys.has(k))) continue;
        ids.add(record.id);
        media.push(record);
      }
      await this.store.writeMedia(media);
    });
  }

  /**
   * Stores a local copy of a media record's file under media/ (through the blog's folder, which never
   * follows a link) and records it, so that an interrupted download keeps what it finished.
   */
  async saveMediaFiles(files: ReadonlyMap<string, { file: string; bytes: Buffer }>): Promise<void> {
    if (files.size === 0) return;
    for (const { file, bytes } of files.values()) {
      const problem = mediaPathProblem(file);
      if (problem !== null) throw new StorageError(`Refused to write media/${file}: the name ${problem}.`);
      await this.store.files.write(path.join(this.store.layout.mediaDir, ...file.split('/')), bytes);
    }
    await this.write(async () => {
      const media = await this.store.readMedia();
      await this.store.writeMedia(
        media.map((r) => {
          const saved = files.get(r.id);
          return saved !== undefined && r.file === null ? { ...r, file: saved.file, size: saved.bytes.length } : r;
        }),
      );
    });
  }

  /** The like count of every post that has likes. */
  likeCounts(): Promise<Map<string, number>> {
    return likeOps.allLikeCounts(this.commentHost);
  }

  /** Every post's likes as stored (keyed hashes), for the JSON backup. */
  allLikes(): Promise<Map<string, Like[]>> {
    return likeOps.allLikes(this.commentHost);
  }

  /** Brings back a post's likes from a backup, merged with those it has. */
  restoreLikes(postId: string, likes: readonly Like[]): Promise<void> {
    return likeOps.restoreLikes(this.commentHost, postId, likes);
  }

  /** The blog's secret for signing forms and hashing readers, made on first use in .termpress/. */
  secret(): Promise<Buffer> {
    return blogSecret(this.store);
  }
}

/** Opens the blog a command or script works on (it need not exist yet if it is the default blog). */
export async function openBlog(options: OpenBlogOptions = {}): Promise<Blog> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { clockFromEnv } = await import('../core/dates.js');
  const now = options.now ?? (await clockFromEnv(env));
  const located = await locateBlog({
    blog: options.blog,
    cwd,
    env,
    defaultDir: async () => {
      const { openUserConfig } = await import('../store/user-config.js');
      const configured = (await openUserConfig(env)).get('blog');
      if (configured) return configured;
      return path.join((await userDirs(env)).data, 'blog');
    },
  });
  const store = new BlogStore(located.dir, { now, lock: { timeoutMs: options.lockTimeoutMs ?? lockTimeoutFromEnv(env) } });
  return new Blog(store, located.source, now, options.onDefaultBlogWrite);
}

function lockTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.TERMPRESS_LOCK_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
