/**
 * Categories as WordPress has them: a tree of terms, each with a slug, a name and a description; two
 * categories of the same name under different parents are two categories. Tags are flat. The tree is
 * kept in the blog's taxonomy.json; a post names its categories by name, or by slug where the name is
 * ambiguous, and a name the tree does not know is a top-level category of its own.
 */
import * as z from './zod.js';
import { once } from './once.js';
import { NotFoundError, RefusedError, UsageError } from './errors.js';
import { MAX_TERM_LENGTH } from './limits.js';
import { safeSlug, slugifyText, storedSlugProblem } from './slug.js';

export interface CategoryTerm {
  slug: string;
  name: string;
  /** The slug of the parent category, or null at the top. */
  parent: string | null;
  description: string;
  legacy?: Record<string, unknown> | undefined;
}

export interface TagTerm {
  slug: string;
  name: string;
  description: string;
  legacy?: Record<string, unknown> | undefined;
}

export interface Taxonomy {
  categories: CategoryTerm[];
  tags: TagTerm[];
}

/** How deep the category tree may go; a deeper chain (or a loop in a hand-edited file) is cut there. */
export const MAX_CATEGORY_DEPTH = 16;
/** How many terms of each kind the file may hold. */
export const MAX_TERMS = 100_000;
const MAX_DESCRIPTION = 10_000;

const termSlug = () =>
  z.string().refine((text) => storedSlugProblem(text) === null, {
    error: (issue) => storedSlugProblem(issue.input as string) ?? 'is not a valid slug',
  });
const termName = () => z.string().min(1).max(MAX_TERM_LENGTH);
const legacy = () => z.record(z.string(), z.unknown()).optional();
const description = () => z.string().max(MAX_DESCRIPTION);

export const taxonomySchema = once(() =>
  z.object({
    categories: z
      .array(z.object({ slug: termSlug(), name: termName(), parent: termSlug().nullable(), description: description(), legacy: legacy() }))
      .max(MAX_TERMS),
    tags: z.array(z.object({ slug: termSlug(), name: termName(), description: description(), legacy: legacy() })).max(MAX_TERMS),
  }),
);

/** A blog without a taxonomy file. */
export function emptyTaxonomy(): Taxonomy {
  return { categories: [], tags: [] };
}

/** A slug from another system made safe as a folder of the site, or '' when nothing is left. */
export function termSlugFrom(text: string): string {
  let decoded = text.trim();
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A malformed escape stays as written.
  }
  const slug = safeSlug(decoded);
  return storedSlugProblem(slug) === null ? slug : '';
}

const key = (text: string) => text.trim().toLowerCase();

/** Finds the categories a post's category entries name, by name first, then by slug. */
export class CategoryTree {
  private readonly bySlug = new Map<string, CategoryTerm>();
  private readonly byName = new Map<string, CategoryTerm[]>();

  constructor(readonly categories: readonly CategoryTerm[]) {
    for (const category of categories) {
      if (this.bySlug.has(category.slug)) continue;
      this.bySlug.set(category.slug, category);
      const list = this.byName.get(key(category.name)) ?? [];
      list.push(category);
      this.byName.set(key(category.name), list);
    }
  }

  /** The category with this slug. */
  get(slug: string): CategoryTerm | undefined {
    return this.bySlug.get(slug);
  }

  /** The category a post's entry names: the one of that name, else the one of that slug, else none (a category of its own). */
  resolve(entry: string): CategoryTerm | undefined {
    const named = this.byName.get(key(entry));
    if (named?.length === 1) return named[0];
    return this.bySlug.get(entry.trim()) ?? named?.[0];
  }

  /** How a post names this category: its name, or its slug when another category has the same name. */
  entryFor(category: CategoryTerm): string {
    return (this.byName.get(key(category.name))?.length ?? 0) > 1 ? category.slug : category.name;
  }

  /** The category and its ancestors, from the top down; a loop or a chain too deep is cut where it starts. */
  chain(category: CategoryTerm): CategoryTerm[] {
    const chain = [category];
    const seen = new Set([category.slug]);
    for (
      let parent = this.parentOf(category);
      parent && !seen.has(parent.slug) && chain.length < MAX_CATEGORY_DEPTH;
      parent = this.parentOf(parent)
    ) {
      seen.add(parent.slug);
      chain.unshift(parent);
    }
    return chain;
  }

  parentOf(category: CategoryTerm): CategoryTerm | undefined {
    return category.parent === null ? undefined : this.bySlug.get(category.parent);
  }
}

/** What merging terms into a taxonomy did. */
export interface TaxonomyMerge {
  taxonomy: Taxonomy;
  categories: { added: number; present: number };
  tags: { added: number; present: number };
}

/**
 * Terms from an import laid over the blog's: a slug already there is the same term (its description
 * filled in if it had none), a new one is added; a parent the tree does not hold makes a top-level one.
 */
export function mergeTaxonomy(base: Taxonomy, incoming: Taxonomy): TaxonomyMerge {
  const categories = [...base.categories];
  const tags = [...base.tags];
  const result: TaxonomyMerge = { taxonomy: { categories, tags }, categories: { added: 0, present: 0 }, tags: { added: 0, present: 0 } };
  const mergeInto = <T extends { slug: string; description: string }>(
    list: T[],
    terms: readonly T[],
    counts: { added: number; present: number },
  ) => {
    const index = new Map(list.map((term, i) => [term.slug, i]));
    for (const term of terms) {
      const at = index.get(term.slug);
      if (at === undefined) {
        index.set(term.slug, list.length);
        list.push(term);
        counts.added += 1;
      } else {
        counts.present += 1;
        if (list[at]!.description === '' && term.description !== '') list[at] = { ...list[at]!, description: term.description };
      }
    }
  };
  mergeInto(categories, incoming.categories, result.categories);
  mergeInto(tags, incoming.tags, result.tags);
  const slugs = new Set(categories.map((c) => c.slug));
  for (let i = 0; i < categories.length; i += 1) {
    const category = categories[i]!;
    if (category.parent !== null && (!slugs.has(category.parent) || category.parent === category.slug))
      categories[i] = { ...category, parent: null };
  }
  return result;
}

/** A category or tag as `category list` and `tag list` show it. */
export interface TermListing {
  /** The slug again, so that `--format ids` lists slugs. */
  id: string;
  slug: string;
  name: string;
  parent: string | null;
  description: string;
  /** Posts (not trashed) that name it themselves. */
  count: number;
  /** Its slug and its ancestors', as its archive's address has them ("world/news"). */
  path: string;
  depth: number;
  /** False for a name posts use that the taxonomy file does not hold (a category of its own, at the top). */
  stored: boolean;
}

/** The categories of the tree and those posts name without it, in tree order (each parent before its children, by name). */
export function categoryListing(taxonomy: Taxonomy, posts: readonly { categories: readonly string[] }[]): TermListing[] {
  const tree = new CategoryTree(taxonomy.categories);
  const counts = new Map<string, number>();
  const loose = new Map<string, string>();
  for (const post of posts) {
    const seen = new Set<string>();
    for (const entry of post.categories) {
      const category = tree.resolve(entry);
      const key = category !== undefined ? category.slug : `\0${entry.trim().toLowerCase()}`;
      if (category === undefined && !loose.has(key)) loose.set(key, entry.trim());
      if (seen.has(key)) continue;
      seen.add(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const rows: TermListing[] = [];
  const order = (c: CategoryTerm) => `${c.name.toLowerCase()}\0${c.slug}`;
  const byName = (a: CategoryTerm, b: CategoryTerm) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0);
  const children = new Map<string | null, CategoryTerm[]>();
  for (const category of tree.categories) {
    const parent = tree.parentOf(category) === undefined ? null : category.parent;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const placed = new Set<string>();
  const walk = (parent: string | null, depth: number, path: string): void => {
    for (const category of [...(children.get(parent) ?? [])].sort(byName)) {
      if (placed.has(category.slug) || depth >= MAX_CATEGORY_DEPTH) continue;
      placed.add(category.slug);
      const here = path === '' ? category.slug : `${path}/${category.slug}`;
      rows.push({
        id: category.slug,
        slug: category.slug,
        name: category.name,
        parent: category.parent,
        description: category.description,
        count: counts.get(category.slug) ?? 0,
        path: here,
        depth,
        stored: true,
      });
      walk(category.slug, depth + 1, here);
    }
  };
  walk(null, 0, '');
  const taken = new Set(tree.categories.map((c) => c.slug));
  for (const [key, name] of [...loose].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) {
    const slug = uniqueTermSlug(name, taken);
    rows.push({ id: slug, slug, name, parent: null, description: '', count: counts.get(key) ?? 0, path: slug, depth: 0, stored: false });
  }
  return rows;
}

/** The tags posts use and those the taxonomy file describes, by name. */
export function tagListing(taxonomy: Taxonomy, posts: readonly { tags: readonly string[] }[]): TermListing[] {
  const counts = new Map<string, { name: string; count: number }>();
  for (const post of posts) {
    for (const tag of new Set(post.tags.map((t) => t.trim()))) {
      const entry = counts.get(tag.toLowerCase()) ?? { name: tag, count: 0 };
      entry.count += 1;
      counts.set(tag.toLowerCase(), entry);
    }
  }
  const described = new Map(taxonomy.tags.map((t) => [t.name.trim().toLowerCase(), t]));
  for (const tag of taxonomy.tags)
    if (!counts.has(tag.name.trim().toLowerCase())) counts.set(tag.name.trim().toLowerCase(), { name: tag.name, count: 0 });
  const taken = new Set<string>();
  return [...counts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([key, { name, count }]) => {
      const tag = described.get(key);
      const slug = tag?.slug ?? uniqueTermSlug(name, taken);
      taken.add(slug);
      return {
        id: slug,
        slug,
        name,
        parent: null,
        description: tag?.description ?? '',
        count,
        path: slug,
        depth: 0,
        stored: tag !== undefined,
      };
    });
}

/** A slug for a new term's name, unique among `taken` ("-2", "-3" as WordPress does), which it joins. */
export function uniqueTermSlug(name: string, taken: Set<string>, wanted?: string): string {
  const base = termSlugFrom(wanted ?? '') || termSlugFrom(slugifyText(name)) || 'term';
  let slug = base;
  for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

/** What `termpress category create|rename|move|delete|merge` asks for. */
export type CategoryChange =
  | { kind: 'create'; name: string; slug?: string | undefined; parent?: string | null | undefined; description?: string | undefined }
  | { kind: 'rename'; ref: string; name: string; slug?: string | undefined }
  | { kind: 'move'; ref: string; parent: string | null }
  | { kind: 'delete'; ref: string }
  | { kind: 'merge'; ref: string; into: string };

/** A change worked out: the new taxonomy, the category it concerns, and how each post's entry reads after it (null: dropped). */
export interface CategoryPlan {
  taxonomy: Taxonomy;
  category: CategoryTerm;
  entry(entry: string): string | null;
}

/**
 * Works out a change of the category tree. A category is named by its name or slug; a name that posts
 * use without the tree holding it is taken into the tree first (at the top, with a slug of its own).
 * Posts keep naming their categories as the tree says (by name, or by slug where the name is shared),
 * so a rename, merge or delete tells how every entry reads afterwards.
 */
export function planCategoryChange(taxonomy: Taxonomy, used: readonly string[], change: CategoryChange): CategoryPlan {
  const categories = [...taxonomy.categories];
  const taken = new Set(categories.map((c) => c.slug));
  // Names posts used without the tree holding them, taken into it: what their entries meant before.
  const adopted: CategoryTerm[] = [];
  const find = (ref: string, what = 'category'): CategoryTerm => {
    const tree = new CategoryTree(categories);
    const found = tree.resolve(ref);
    if (found !== undefined) return found;
    const entry = used.find((u) => u.trim().toLowerCase() === ref.trim().toLowerCase());
    if (entry === undefined) throw new NotFoundError(`No ${what} "${ref}": see termpress category list.`);
    const made: CategoryTerm = { slug: uniqueTermSlug(entry.trim(), taken), name: entry.trim(), parent: null, description: '' };
    categories.push(made);
    adopted.push(made);
    return made;
  };
  const named = (name: string): string => {
    const clean = name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
    if (clean === '' || clean.length > MAX_TERM_LENGTH)
      throw new UsageError(`A category name is 1 to ${MAX_TERM_LENGTH} characters, not "${name}".`);
    return clean;
  };
  const renames = new Map<string, string | null>();
  let subject: CategoryTerm;
  switch (change.kind) {
    case 'create': {
      const parent = change.parent == null ? null : find(change.parent, 'parent category').slug;
      if (change.slug !== undefined && taken.has(termSlugFrom(change.slug)))
        throw new RefusedError(`The category slug "${change.slug}" is taken; choose another --slug.`);
      const name = named(change.name);
      if (categories.some((c) => c.parent === parent && c.name.toLowerCase() === name.toLowerCase())) {
        throw new RefusedError(
          `A category "${name}" is already ${parent === null ? 'at the top of the tree' : `under "${parent}"`}; two categories of one name need different parents.`,
        );
      }
      subject = { slug: uniqueTermSlug(name, taken, change.slug), name, parent, description: change.description ?? '' };
      categories.push(subject);
      break;
    }
    case 'rename': {
      const before = find(change.ref);
      const slug = change.slug === undefined ? before.slug : termSlugFrom(change.slug);
      if (slug === '') throw new UsageError(`"${change.slug}" cannot be a slug: use letters, digits and hyphens.`);
      if (slug !== before.slug && taken.has(slug)) throw new RefusedError(`The category slug "${slug}" is taken; choose another --slug.`);
      subject = { ...before, name: named(change.name), slug };
      replace(categories, before.slug, subject);
      for (let i = 0; i < categories.length; i += 1)
        if (categories[i]!.parent === before.slug) categories[i] = { ...categories[i]!, parent: slug };
      renames.set(before.slug, slug);
      break;
    }
    case 'move': {
      const before = find(change.ref);
      const parent = change.parent === null ? null : find(change.parent, 'parent category');
      if (parent !== null && new CategoryTree(categories).chain(parent).some((c) => c.slug === before.slug)) {
        throw new RefusedError(
          `"${parent.name}" is ${parent.slug === before.slug ? 'the category itself' : `below "${before.name}"`}: a category cannot go under itself.`,
        );
      }
      subject = { ...before, parent: parent?.slug ?? null };
      replace(categories, before.slug, subject);
      break;
    }
    case 'delete': {
      subject = find(change.ref);
      const gone = subject;
      const at = categories.findIndex((c) => c.slug === gone.slug);
      categories.splice(at, 1);
      // Its children move up to its parent, as in WordPress.
      for (let i = 0; i < categories.length; i += 1)
        if (categories[i]!.parent === gone.slug) categories[i] = { ...categories[i]!, parent: gone.parent };
      renames.set(gone.slug, null);
      break;
    }
    case 'merge': {
      const from = find(change.ref);
      const into = find(change.into, 'category to merge into');
      if (from.slug === into.slug) throw new UsageError(`"${change.ref}" and "${change.into}" are the same category.`);
      categories.splice(
        categories.findIndex((c) => c.slug === from.slug),
        1,
      );
      for (let i = 0; i < categories.length; i += 1)
        if (categories[i]!.parent === from.slug)
          categories[i] = { ...categories[i]!, parent: into.slug === categories[i]!.slug ? null : into.slug };
      renames.set(from.slug, into.slug);
      subject = into;
      break;
    }
  }
  const before = new CategoryTree([...taxonomy.categories, ...adopted]);
  const after = new CategoryTree(categories);
  return {
    taxonomy: { ...taxonomy, categories },
    category: subject,
    entry(entry) {
      const was = before.resolve(entry);
      if (was === undefined) return entry;
      const slug = renames.has(was.slug) ? renames.get(was.slug)! : was.slug;
      if (slug === null) return null;
      const now = after.get(slug);
      return now === undefined ? entry : after.entryFor(now);
    },
  };
}

function replace(categories: CategoryTerm[], slug: string, next: CategoryTerm): void {
  const at = categories.findIndex((c) => c.slug === slug);
  if (at !== -1) categories[at] = next;
}
