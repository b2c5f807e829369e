/**
 * The three versions of one of the blog's files, as git hands them to a merge: each read as hostile
 * input and validated with the same schema as the file itself, then merged field by field (core/merge)
 * into text as termpress writes it. Nothing here touches a disk.
 */
import { StorageError } from '../core/errors.js';
import { isId } from '../core/ids.js';
import { likesOf } from '../core/likes.js';
import type { Like } from '../core/likes.js';
import { mergeLikesThreeWay, mergePost, mergeRecords, mergeSettings } from '../core/merge.js';
import { mediaListSchema } from '../core/media.js';
import { taxonomySchema } from '../core/taxonomy.js';
import { describeIssue, postProblem } from '../core/schema.js';
import { SCHEMA_VERSION } from '../core/types.js';
import type { MergeConflict, Post } from '../core/types.js';
import { toJsonText } from './fsx.js';
import { MEDIA_FILE, SETTINGS_FILE, TAXONOMY_FILE } from './layout.js';
import { likesFileSchema } from './likes.js';
import { canonicalPost, parseJsonFile, settingsWithDefaults, validatePost } from './schema.js';

/** The files of a blog that termpress merges: a post, the settings, a post's likes, the categories and tags, the media records. */
export type MergeKind = 'post' | 'settings' | 'likes' | 'taxonomy' | 'media';

/** The file names git's attributes hand to termpress, relative to the blog folder. */
export const MERGED_PATTERNS: Readonly<Record<MergeKind, string>> = {
  settings: `/${SETTINGS_FILE}`,
  post: '/posts/*.json',
  likes: '/likes/*.json',
  taxonomy: `/${TAXONOMY_FILE}`,
  media: `/${MEDIA_FILE}`,
};

/** The blog's single files that termpress merges, by name. */
const SINGLE_FILES: Readonly<Record<string, MergeKind>> = {
  [SETTINGS_FILE]: 'settings',
  [TAXONOMY_FILE]: 'taxonomy',
  [MEDIA_FILE]: 'media',
};

/**
 * What kind of blog file a path in the repository names (the blog may be a folder of the repository),
 * with the post id its name carries; null for any other file.
 */
export function mergeKindOf(repoPath: string): { kind: MergeKind; id?: string } | null {
  const parts = repoPath.split(/[\\/]+/).filter(Boolean);
  const name = parts.at(-1) ?? '';
  const folder = parts.at(-2);
  const single = Object.hasOwn(SINGLE_FILES, name) ? SINGLE_FILES[name] : undefined;
  if (single) return { kind: single };
  const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
  if (!isId(id)) return null;
  if (folder === 'posts') return { kind: 'post', id };
  if (folder === 'likes') return { kind: 'likes', id };
  return null;
}

/** The three versions of a file; base is null when the sides share no ancestor of it (or it was empty). */
export interface MergeInputs {
  base: string | null;
  ours: string;
  theirs: string;
}

/** A merge's result as the text of the file, and what it could not decide. */
export interface FileMerge {
  kind: MergeKind;
  text: string;
  conflicts: MergeConflict[];
  notes: string[];
}

const SIDES = { base: 'the common ancestor', ours: 'this side', theirs: 'the other side' } as const;

/** Merges the three versions of the blog file at repoPath, or throws a StorageError naming the version at fault. */
export function mergeFileTexts(repoPath: string, inputs: MergeInputs): FileMerge {
  const what = mergeKindOf(repoPath);
  if (!what) {
    throw new StorageError(
      `${repoPath} is not a file termpress merges (${SETTINGS_FILE}, ${TAXONOMY_FILE}, ${MEDIA_FILE}, posts/<id>.json or likes/<id>.json).`,
    );
  }
  const label = (side: keyof typeof SIDES) => `${repoPath} (${SIDES[side]})`;
  const parse = (side: keyof typeof SIDES, text: string) => parseJsonFile(text, label(side));
  const base = inputs.base === null || inputs.base.trim() === '' ? null : inputs.base;

  if (what.kind === 'post') {
    const read = (side: keyof typeof SIDES, text: string): Post => {
      const post = validatePost(parse(side, text), label(side));
      if (post.id !== what.id) throw new StorageError(`${label(side)} holds post "${post.id}", not the "${what.id}" its name says.`);
      return post;
    };
    const merged = mergePost(base === null ? null : read('base', base), read('ours', inputs.ours), read('theirs', inputs.theirs));
    const problem = postProblem(merged.value);
    if (problem) throw new StorageError(`The merge of ${repoPath} would not be a valid post (${problem}); merge it by hand.`);
    return { kind: 'post', text: toJsonText(canonicalPost(merged.value)), conflicts: merged.conflicts, notes: merged.notes };
  }

  if (what.kind === 'settings') {
    const read = (side: keyof typeof SIDES, text: string): Record<string, unknown> => {
      const raw = parse(side, text);
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StorageError(`${label(side)} must hold a JSON object.`);
      const version = (raw as { schemaVersion?: unknown }).schemaVersion;
      if (typeof version === 'number' && version > SCHEMA_VERSION) {
        throw new StorageError(
          `${label(side)} has schemaVersion ${version}, newer than this termpress knows (${SCHEMA_VERSION}): upgrade termpress, then merge again.`,
        );
      }
      settingsWithDefaults(raw as Record<string, unknown>, label(side));
      return raw as Record<string, unknown>;
    };
    const [b, o, t] = [base === null ? null : read('base', base), read('ours', inputs.ours), read('theirs', inputs.theirs)];
    if ((o.schemaVersion ?? SCHEMA_VERSION) !== (t.schemaVersion ?? SCHEMA_VERSION)) {
      throw new StorageError(
        `The two sides of ${repoPath} have different schemaVersions (${String(o.schemaVersion)} and ${String(t.schemaVersion)}): ` +
          'run the same termpress on both, then merge again.',
      );
    }
    const merged = mergeSettings(b, o, t);
    settingsWithDefaults(merged.value, `The merge of ${repoPath}`);
    return { kind: 'settings', text: toJsonText(merged.value), conflicts: merged.conflicts, notes: merged.notes };
  }

  if (what.kind === 'taxonomy') {
    const read = (side: keyof typeof SIDES, text: string) => {
      const value = parse(side, text);
      const result = taxonomySchema().safeParse(value);
      if (!result.success) throw new StorageError(`${label(side)} is not a valid ${TAXONOMY_FILE}: ${describeIssue(result.error, value)}.`);
      return result.data;
    };
    const [b, o, t] = [base === null ? null : read('base', base), read('ours', inputs.ours), read('theirs', inputs.theirs)];
    const categories = mergeRecords(b?.categories ?? null, o.categories, t.categories, (term) => term.slug, 'category');
    const tags = mergeRecords(b?.tags ?? null, o.tags, t.tags, (term) => term.slug, 'tag');
    return {
      kind: 'taxonomy',
      text: toJsonText({ categories: categories.value, tags: tags.value }),
      conflicts: [],
      notes: [...categories.notes, ...tags.notes],
    };
  }

  if (what.kind === 'media') {
    const read = (side: keyof typeof SIDES, text: string) => {
      const value = parse(side, text);
      const result = mediaListSchema().safeParse(value);
      if (!result.success) throw new StorageError(`${label(side)} is not a valid ${MEDIA_FILE}: ${describeIssue(result.error, value)}.`);
      return result.data.media;
    };
    const [b, o, t] = [base === null ? null : read('base', base), read('ours', inputs.ours), read('theirs', inputs.theirs)];
    const media = mergeRecords(b, o, t, (record) => record.id, 'media record');
    return { kind: 'media', text: toJsonText({ media: media.value }), conflicts: [], notes: media.notes };
  }

  const read = (side: keyof typeof SIDES, text: string): Like[] => {
    const value = parse(side, text);
    const result = likesFileSchema().safeParse(value);
    if (!result.success) throw new StorageError(`${label(side)} is not a valid likes file: ${describeIssue(result.error, value)}.`);
    if (result.data.post !== what.id)
      throw new StorageError(`${label(side)} holds the likes of post "${result.data.post}", not "${what.id}".`);
    return likesOf(result.data.likes);
  };
  const likes = mergeLikesThreeWay(base === null ? [] : read('base', base), read('ours', inputs.ours), read('theirs', inputs.theirs));
  return { kind: 'likes', text: toJsonText({ post: what.id, likes }), conflicts: [], notes: [] };
}
