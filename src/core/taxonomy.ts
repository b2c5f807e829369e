/**
 * Categories as WordPress has them: a tree of terms, each with a slug, a name and a description; two
 * categories of the same name under different parents are two categories. Tags are flat. The tree is
 * kept in the blog's taxonomy.json; a post names its categories by name, or by slug where the name is
 * ambiguous, and a name the tree does not know is a top-level category of its own.
 */
import { z } from 'zod';
import { MAX_TERM_LENGTH } from './limits.js';
import { safeSlug, storedSlugProblem } from './slug.js';

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

const termSlug = z
  .string()
  .refine((text) => storedSlugProblem(text) === null, {
    error: (issue) => storedSlugProblem(issue.input as string) ?? 'is not a valid slug',
  });
const termName = z.string().min(1).max(MAX_TERM_LENGTH);
const legacy = z.record(z.string(), z.unknown()).optional();

export const taxonomySchema = z.object({
  categories: z
    .array(z.object({ slug: termSlug, name: termName, parent: termSlug.nullable(), description: z.string().max(MAX_DESCRIPTION), legacy }))
    .max(MAX_TERMS),
  tags: z.array(z.object({ slug: termSlug, name: termName, description: z.string().max(MAX_DESCRIPTION), legacy })).max(MAX_TERMS),
});

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
