/**
 * Three-way merges of a blog's files, for git's merge driver and `termpress sync`: a post field by
 * field (comments as a set keyed by id, tags and categories as sets, the body line by line), the
 * settings key by key, and likes as a set of readers. Pure: the callers read, validate and write.
 *
 * Each merge is symmetric: merging A into B gives what merging B into A gives, apart from which side a
 * true conflict keeps in the file. Two clones that merge each other at the same moment therefore agree.
 */
import { isDeepStrictEqual } from 'node:util';
import { diff3Merge } from 'node-diff3';
import type { Like } from './likes.js';
import { MAX_REVISION } from './limits.js';
import type { Comment, MergeConflict, Post } from './types.js';

/** What a merge made: the merged value, the fields it could not decide, and what people should know. */
export interface Merged<T> {
  value: T;
  /** Fields changed differently on both sides: the value keeps "ours", the record holds "theirs". */
  conflicts: MergeConflict[];
  /** Decisions worth telling (a comment changed on both sides, a deleted comment kept). */
  notes: string[];
}

type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

/** The values of some fields of an object (a post, a comment, settings), without the fields it does not have. */
function pick(object: object | null | undefined, keys: readonly string[]): Fields {
  const out: Fields = {};
  if (!object) return out;
  for (const key of keys) {
    const value: unknown = Reflect.get(object, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Sets the fields of a group on target to values (removing those values does not have). */
function put(target: object, keys: readonly string[], values: Fields): void {
  for (const key of keys) {
    if (values[key] === undefined) Reflect.deleteProperty(target, key);
    else Reflect.set(target, key, values[key]);
  }
}

/** Which of two differing values wins when neither side can be preferred: the same answer from either side. */
function symmetricPick<T>(a: T, b: T): T {
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}

/**
 * The usual three-way rule for one value: a change on one side wins; changes on both to different
 * values are a conflict (null). Without a common ancestor (base null) only equal sides agree.
 */
function threeWay<T>(base: { value: T } | null, ours: T, theirs: T): { value: T } | null {
  if (same(ours, theirs)) return { value: ours };
  if (base && same(ours, base.value)) return { value: theirs };
  if (base && same(theirs, base.value)) return { value: ours };
  return null;
}

const ancestor = <T>(value: T | undefined, present: boolean): { value: T | undefined } | null => (present ? { value } : null);

// ---- Text, line by line ---------------------------------------------------------------------------

/** Lines with their line endings, so that joining them gives the text back exactly. */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** A three-way merge of text line by line (as `git merge-file`); null when changes overlap. */
export function mergeText(base: string, ours: string, theirs: string): string | null {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  let merged = '';
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.conflict) return null;
    merged += (region.ok ?? []).join('');
  }
  return merged;
}

// ---- Sets of names ----------------------------------------------------------------------------------

/**
 * A three-way merge of a list of names held as a set (case-insensitive, as tags and categories are):
 * a name stays when both sides keep it and is there when either side added it; a removal on one side
 * holds. Ours's order first, then what only theirs added.
 */
export function mergeNameSet(base: readonly string[], ours: readonly string[], theirs: readonly string[]): string[] {
  const one = threeWay({ value: base }, ours, theirs);
  if (one) return [...one.value];
  const key = (name: string) => name.trim().toLowerCase();
  const inBase = new Set(base.map(key));
  const inOurs = new Set(ours.map(key));
  const inTheirs = new Set(theirs.map(key));
  const keep = (k: string) =>
    (inOurs.has(k) && inTheirs.has(k)) || (inOurs.has(k) && !inBase.has(k)) || (inTheirs.has(k) && !inBase.has(k));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const name of [...ours, ...theirs]) {
    const k = key(name);
    if (seen.has(k) || !keep(k)) continue;
    seen.add(k);
    out.push(name);
  }
  return out;
}

// ---- Comments ---------------------------------------------------------------------------------------

/** Fields of a comment that change together: a status change carries the status it came from. */
const COMMENT_GROUPS: ReadonlyArray<readonly string[]> = [['status', 'previousStatus']];
const COMMENT_OWN = new Set(['id', 'updatedAt', ...COMMENT_GROUPS.flat()]);

function commentGroups(...comments: Array<Comment | undefined>): Array<readonly string[]> {
  const keys = new Set<string>();
  for (const comment of comments) if (comment) for (const key of Object.keys(comment)) if (!COMMENT_OWN.has(key)) keys.add(key);
  return [...COMMENT_GROUPS, ...[...keys].sort().map((key) => [key])];
}

const time = (iso: string | undefined): number => {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/** One comment changed on both sides: each field takes the side that changed it; changed on both, the later change. */
function mergeComment(base: Comment | undefined, ours: Comment, theirs: Comment, notes: string[]): Comment {
  if (same(ours, theirs)) return ours;
  const merged: Comment = { ...ours };
  const oursTime = time(ours.updatedAt);
  const theirsTime = time(theirs.updatedAt);
  for (const group of commentGroups(base, ours, theirs)) {
    const b = base ? { value: pick(base, group) } : null;
    const o = pick(ours, group);
    const t = pick(theirs, group);
    const one = threeWay(b, o, t);
    if (one) {
      put(merged, group, one.value);
      continue;
    }
    const later = oursTime > theirsTime ? o : theirsTime > oursTime ? t : symmetricPick(o, t);
    put(merged, group, later);
    notes.push(`comment ${ours.id}: ${group[0]} was changed on both sides; the later change (${describeValue(later[group[0]!])}) is kept`);
  }
  merged.updatedAt = oursTime >= theirsTime ? ours.updatedAt : theirs.updatedAt;
  return merged;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}...` : JSON.stringify(value);
  return JSON.stringify(value) ?? 'none';
}

/**
 * Comments as a set keyed by id: every comment added on either side is kept; a comment changed on one
 * side takes that change; deleted on one side and untouched on the other, it goes. A comment deleted on
 * one side but changed on the other is kept (nothing acknowledged is lost), and so is a deleted
 * comment that a kept one replies to. Comments of the common ancestor keep its order; new ones follow,
 * oldest first.
 */
export function mergeComments(
  base: readonly Comment[],
  ours: readonly Comment[],
  theirs: readonly Comment[],
): { comments: Comment[]; notes: string[] } {
  const notes: string[] = [];
  const b = new Map(base.map((c) => [c.id, c]));
  const o = new Map(ours.map((c) => [c.id, c]));
  const t = new Map(theirs.map((c) => [c.id, c]));
  const merged = new Map<string, Comment>();
  const deleted = new Map<string, Comment>();
  for (const id of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
    const [cb, co, ct] = [b.get(id), o.get(id), t.get(id)];
    if (co && ct) merged.set(id, mergeComment(cb, co, ct, notes));
    else if (co || ct) {
      const kept = (co ?? ct)!;
      if (!cb) merged.set(id, kept);
      else if (same(kept, cb)) deleted.set(id, kept);
      else {
        merged.set(id, kept);
        notes.push(`comment ${id} was deleted on one side and changed on the other; it is kept`);
      }
    }
  }
  // A reply keeps the comment it answers: restore a deleted parent (and its own parents).
  for (const comment of [...merged.values()]) {
    let parentId = comment.parentId;
    while (parentId !== null && !merged.has(parentId) && deleted.has(parentId)) {
      const parent = deleted.get(parentId)!;
      merged.set(parentId, parent);
      notes.push(`comment ${parentId} was deleted on one side, but a kept reply answers it; it is kept`);
      parentId = parent.parentId;
    }
  }
  const position = new Map(base.map((c, i) => [c.id, i]));
  const comments = [...merged.values()].sort((x, y) => {
    const px = position.get(x.id) ?? Infinity;
    const py = position.get(y.id) ?? Infinity;
    if (px !== py) return px < py ? -1 : 1;
    const tx = time(x.createdAt);
    const ty = time(y.createdAt);
    if (tx !== ty) return tx - ty;
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
  });
  return { comments, notes };
}

// ---- Recorded conflicts -----------------------------------------------------------------------------

/**
 * The conflicts a file already records, merged by field like any other value: a record resolved on one
 * side (removed) goes, one added on a side stays; then this merge's own conflicts replace those of
 * the same fields.
 */
function mergeConflictRecords(
  base: readonly MergeConflict[] | undefined,
  ours: readonly MergeConflict[] | undefined,
  theirs: readonly MergeConflict[] | undefined,
  fresh: readonly MergeConflict[],
): MergeConflict[] {
  const byField = (list: readonly MergeConflict[] | undefined) => new Map((list ?? []).map((c) => [c.field, c]));
  const [b, o, t] = [byField(base), byField(ours), byField(theirs)];
  const out = new Map<string, MergeConflict>();
  for (const field of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
    const one = threeWay({ value: b.get(field) ?? null }, o.get(field) ?? null, t.get(field) ?? null);
    const value = one ? one.value : (o.get(field) ?? t.get(field) ?? null);
    if (value) out.set(field, value);
  }
  for (const conflict of fresh) out.set(conflict.field, conflict);
  return [...out.values()].sort((x, y) => (x.field < y.field ? -1 : x.field > y.field ? 1 : 0));
}

// ---- Posts ------------------------------------------------------------------------------------------

/** Fields of a post that change together: a status change carries its date and the status it came from. */
const POST_GROUPS: ReadonlyArray<readonly string[]> = [['status', 'previousStatus', 'publishedAt']];
/** Fields with a merge of their own. */
const POST_OWN = new Set(['id', 'body', 'tags', 'categories', 'comments', 'revision', 'updatedAt', 'conflicts', ...POST_GROUPS.flat()]);

/**
 * A three-way merge of one post; base is null when the two sides share no ancestor of the file. The
 * merged post keeps "ours" for every field in conflict and records the other side's value.
 */
export function mergePost(base: Post | null, ours: Post, theirs: Post): Merged<Post> {
  if (ours.id !== theirs.id || (base && base.id !== ours.id)) {
    throw new Error(`the sides hold different posts (${[base?.id, ours.id, theirs.id].filter(Boolean).join(', ')})`);
  }
  const conflicts: MergeConflict[] = [];
  const notes: string[] = [];
  const merged: Post = { ...ours };
  const [b, o, t] = [base, ours, theirs];
  const keys = new Set<string>([...Object.keys(o), ...Object.keys(t), ...(b ? Object.keys(b) : [])]);
  const groups = [
    ...POST_GROUPS,
    ...[...keys]
      .filter((k) => !POST_OWN.has(k))
      .sort()
      .map((k) => [k]),
  ];
  for (const group of groups) {
    const vb = b ? pick(b, group) : undefined;
    const vo = pick(o, group);
    const vt = pick(t, group);
    const one = threeWay(vb ? { value: vb } : null, vo, vt);
    if (one) put(merged, group, one.value);
    else conflicts.push(vb ? { field: group[0]!, theirs: vt, base: vb } : { field: group[0]!, theirs: vt });
  }
  for (const field of ['tags', 'categories'] as const) merged[field] = mergeNameSet(b?.[field] ?? [], o[field], t[field]);

  const body = mergeText(b?.body ?? '', o.body, t.body);
  if (body !== null && (b !== null || same(o.body, t.body))) merged.body = body;
  else
    conflicts.push(b ? { field: 'body', theirs: { body: t.body }, base: { body: b.body } } : { field: 'body', theirs: { body: t.body } });

  const comments = mergeComments(b?.comments ?? [], o.comments, t.comments);
  merged.comments = comments.comments;
  notes.push(...comments.notes);

  const records = mergeConflictRecords(b?.conflicts, o.conflicts, t.conflicts, conflicts);
  if (records.length) merged.conflicts = records;
  else delete merged.conflicts;

  merged.updatedAt = time(o.updatedAt) >= time(t.updatedAt) ? o.updatedAt : t.updatedAt;
  const highest = Math.max(o.revision, t.revision);
  // A result that is one side as it was keeps the higher revision; anything new counts one more.
  const content = (p: Post) => ({ ...p, revision: 0, updatedAt: '' });
  const isSide = same(content(merged), content(o)) || same(content(merged), content(t));
  merged.revision = isSide || highest >= MAX_REVISION ? highest : highest + 1;
  return { value: merged, conflicts, notes };
}

// ---- Settings ---------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNameList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * A three-way merge of settings key by key, nested objects (moderation, comments) key by key too and
 * lists of words as sets. A key changed differently on both sides keeps ours and is recorded by its
 * dotted path.
 */
export function mergeSettings(base: Fields | null, ours: Fields, theirs: Fields): Merged<Fields> {
  const conflicts: MergeConflict[] = [];
  const walk = (b: Fields | undefined, o: Fields, t: Fields, prefix: string): Fields => {
    const out: Fields = { ...o };
    const keys = new Set([...Object.keys(o), ...Object.keys(t), ...(b ? Object.keys(b) : [])]);
    for (const key of keys) {
      if (prefix === '' && key === 'conflicts') continue;
      const [vb, vo, vt] = [b?.[key], o[key], t[key]];
      const path = `${prefix}${key}`;
      if (isPlainObject(vo) && isPlainObject(vt) && (vb === undefined || isPlainObject(vb))) {
        out[key] = walk(vb as Fields | undefined, vo, vt, `${path}.`);
        continue;
      }
      if (isNameList(vo) && isNameList(vt) && (vb === undefined || isNameList(vb))) {
        out[key] = mergeNameSet(vb ?? [], vo, vt);
        continue;
      }
      const one = threeWay(ancestor(vb, b !== undefined), vo, vt);
      if (one) {
        if (one.value === undefined) delete out[key];
        else out[key] = one.value;
        continue;
      }
      const record: MergeConflict = { field: path, theirs: vt === undefined ? {} : { [path]: vt } };
      if (b) record.base = vb === undefined ? {} : { [path]: vb };
      conflicts.push(record);
    }
    return out;
  };
  const value = walk(base ?? undefined, ours, theirs, '');
  const records = mergeConflictRecords(
    base?.conflicts as MergeConflict[] | undefined,
    ours.conflicts as MergeConflict[] | undefined,
    theirs.conflicts as MergeConflict[] | undefined,
    conflicts,
  );
  if (records.length) value.conflicts = records;
  else delete value.conflicts;
  return { value, conflicts, notes: [] };
}

// ---- Likes ------------------------------------------------------------------------------------------

/**
 * Likes as a set of readers, three ways: a like added on either side is kept, one removed on a side (a
 * reset) goes.
 * A reader who liked on both sides counts once, from their first like. Oldest first.
 */
export function mergeLikesThreeWay(base: readonly Like[], ours: readonly Like[], theirs: readonly Like[]): Like[] {
  const inBase = new Set(base.map((l) => l.reader));
  const o = new Map(ours.map((l) => [l.reader, l]));
  const t = new Map(theirs.map((l) => [l.reader, l]));
  const out: Like[] = [];
  for (const reader of new Set([...o.keys(), ...t.keys()])) {
    const [lo, lt] = [o.get(reader), t.get(reader)];
    if (lo && lt) out.push(time(lo.at) !== time(lt.at) ? (time(lo.at) < time(lt.at) ? lo : lt) : symmetricPick(lo, lt));
    else if (!inBase.has(reader)) out.push((lo ?? lt)!);
  }
  return out.sort((x, y) => time(x.at) - time(y.at) || (x.reader < y.reader ? -1 : x.reader > y.reader ? 1 : 0));
}

// ---- Records keyed by identity ----------------------------------------------------------------------

/**
 * A list of records (the categories and tags by slug, the media by id), three ways: a record added on
 * either side is kept; removed on one side and untouched on the other, it goes; removed on one side and
 * changed on the other, it is kept, and the notes say so. Fields merge one by one; a field changed on
 * both sides to different values has no time to say which change is later, so one is kept the same way
 * from either side and the notes name both values (the other stays in git's history). Order: ours, then
 * what only theirs has.
 */
export function mergeRecords<T extends object>(
  base: readonly T[] | null,
  ours: readonly T[],
  theirs: readonly T[],
  keyOf: (record: T) => string,
  label: string,
): { value: T[]; notes: string[] } {
  const notes: string[] = [];
  const byKey = (records: readonly T[]) => {
    const map = new Map<string, T>();
    for (const record of records) if (!map.has(keyOf(record))) map.set(keyOf(record), record);
    return map;
  };
  const [b, o, t] = [byKey(base ?? []), byKey(ours), byKey(theirs)];
  const order = [...new Set([...o.keys(), ...t.keys()])];
  const out: T[] = [];
  for (const key of order) {
    const [rb, ro, rt] = [b.get(key), o.get(key), t.get(key)];
    if (ro && rt) {
      out.push(mergeRecord(rb ?? null, ro, rt, `${label} ${key}`, notes));
    } else {
      const kept = (ro ?? rt)!;
      if (!rb) out.push(kept);
      else if (!same(rb, kept)) {
        out.push(kept);
        notes.push(`${label} ${key} was deleted on one side and changed on the other; kept (delete it again if it should go)`);
      }
    }
  }
  return { value: out, notes };
}

/** A value as a note shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function mergeRecord<T extends object>(base: T | null, ours: T, theirs: T, what: string, notes: string[]): T {
  const merged = { ...ours } as Fields;
  const [b, o, t] = [base as Fields | null, ours as Fields, theirs as Fields];
  for (const key of new Set([...Object.keys(o), ...Object.keys(t), ...(b ? Object.keys(b) : [])])) {
    const [vb, vo, vt] = [b?.[key], o[key], t[key]];
    const one = threeWay(ancestor(vb, b !== null), vo, vt);
    const value = one ? one.value : symmetricPick(vo, vt);
    if (!one) notes.push(`${what}: ${key} changed on both sides (${shown(vo)} and ${shown(vt)}); kept ${shown(value)}`);
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged as T;
}

// ---- Ending a recorded conflict ---------------------------------------------------------------------

/** Which side of a recorded conflict to keep: the value the file holds, or the other side's recorded one. */
export type ConflictSide = 'ours' | 'theirs';

/** The fields a conflict record covers: a post's status with its date and previous status, else the field (or dotted path) itself. */
export function conflictKeys(field: string): readonly string[] {
  return POST_GROUPS.find((group) => group[0] === field) ?? [field];
}

/**
 * A copy of value (a post, or the settings) with one recorded conflict ended: "ours" keeps what it
 * holds, "theirs" takes the recorded values (a key the record lacks is removed, as that side had it).
 * The record itself goes; the other records stay.
 */
export function endConflict<T extends object>(value: T, conflict: MergeConflict, side: ConflictSide): T {
  const out = structuredClone(value) as unknown as Fields;
  if (side === 'theirs') {
    for (const key of conflictKeys(conflict.field)) {
      const parts = key.split('.');
      let target: Fields = out;
      for (const part of parts.slice(0, -1)) {
        if (!isPlainObject(target[part])) target[part] = {};
        target = target[part] as Fields;
      }
      const last = parts.at(-1)!;
      if (conflict.theirs[key] === undefined) delete target[last];
      else target[last] = structuredClone(conflict.theirs[key]);
    }
  }
  const rest = ((out.conflicts as MergeConflict[] | undefined) ?? []).filter((c) => c.field !== conflict.field);
  if (rest.length) out.conflicts = rest;
  else delete out.conflicts;
  return out as T;
}

/**
 * Text merged line by line with each overlap shown between conflict markers, as git shows it: for a
 * person to settle in the editor.
 */
export function markedText(base: string, ours: string, theirs: string): string {
  const block = (chunk: string[]) => {
    const text = chunk.join('');
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
  };
  let out = '';
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) out += region.ok.join('');
    else if (region.conflict) {
      out += `${MARKERS.ours}\n${block(region.conflict.a)}${MARKERS.middle}\n${block(region.conflict.b)}${MARKERS.theirs}\n`;
    }
  }
  return out;
}

/** The lines markedText puts around an overlap. */
export const MARKERS = { ours: '<<<<<<< this side', middle: '=======', theirs: '>>>>>>> other side' } as const;

/** Whether text still holds a line of conflict markers (the outer ones: a line of = alone is a Markdown heading's). */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|>{7}) /m.test(text);
}
