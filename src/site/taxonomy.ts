import { slugifyText } from '../core/slug.js';
import type { CategoryTree, TagTerm } from '../core/taxonomy.js';
import type { DateFormatter } from './dates.js';
import { sha256 } from './hash.js';
import type { PostMeta, ShownPost } from './visibility.js';

/** A category or tag with its archive slug and its posts, newest first. */
export interface Term {
  name: string;
  slug: string;
  /** The folder of its archive under category/ or tag/: a child category's is under its parent's ("sports/news"). */
  path: string;
  /** The name with its ancestors' ("Sports › News"), which tells apart categories of the same name. */
  label: string;
  description: string;
  posts: ShownPost[];
}

/** A month of the date archive with its posts, newest first. */
export interface MonthArchive {
  year: string;
  month: string;
  name: string;
  posts: ShownPost[];
}

/** A year of the date archive: its posts and its months, newest first. */
export interface YearArchive {
  year: string;
  posts: ShownPost[];
  months: MonthArchive[];
}

/**
 * Groups posts by category or tag. Names that differ only in case or surrounding spaces are one
 * term (the first spelling in name order wins); different names that slugify alike ("C" and "C#")
 * get "-2", "-3" as WordPress does, assigned in name order so that they are stable.
 */
export function groupTerms(
  shown: readonly ShownPost[],
  pick: (post: PostMeta) => readonly string[],
  reserved: ReadonlySet<string> = new Set(),
): Term[] {
  const byKey = new Map<string, { names: Set<string>; posts: ShownPost[] }>();
  for (const item of shown) {
    const seen = new Set<string>();
    for (const raw of pick(item.post)) {
      const name = raw.trim();
      const key = name.toLowerCase();
      if (name === '' || seen.has(key)) continue;
      seen.add(key);
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { names: new Set(), posts: [] }));
      group.names.add(name);
      group.posts.push(item);
    }
  }
  const keys = [...byKey.keys()].sort(compareText);
  const taken = new Set<string>(reserved);
  return keys.map((key) => {
    const group = byKey.get(key)!;
    const name = [...group.names].sort(compareText)[0] ?? key;
    const base = slugOf(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return { name, slug, path: slug, label: name, description: '', posts: group.posts };
  });
}

/** The categories of the shown posts with the terms each post's entries name, by lower-cased entry. */
export interface CategoryGroups {
  terms: Term[];
  byEntry: Map<string, Term>;
}

/**
 * Groups posts by category as WordPress does: a category of the tree lists the posts of its
 * descendants too, and lives at its ancestors' path; an entry the tree does not know is a top-level
 * category of its own (grouped as groupTerms does), never taking a slug of the tree's.
 */
export function groupCategories(shown: readonly ShownPost[], tree: CategoryTree): CategoryGroups {
  const inTree = new Map<string, ShownPost[]>();
  const loose: ShownPost[] = [];
  const looseEntries = new Map<PostMeta, string[]>();
  const entryOf = new Map<string, string>();
  for (const item of shown) {
    const here = new Set<string>();
    const own: string[] = [];
    for (const raw of item.post.categories) {
      const category = tree.resolve(raw);
      if (category === undefined) {
        own.push(raw);
        continue;
      }
      entryOf.set(raw.trim().toLowerCase(), category.slug);
      for (const step of tree.chain(category)) {
        if (here.has(step.slug)) continue;
        here.add(step.slug);
        const list = inTree.get(step.slug) ?? [];
        list.push(item);
        inTree.set(step.slug, list);
      }
    }
    if (own.length > 0) {
      loose.push(item);
      looseEntries.set(item.post, own);
    }
  }
  const terms: Term[] = [];
  const bySlug = new Map<string, Term>();
  for (const [slug, posts] of inTree) {
    const category = tree.get(slug)!;
    const chain = tree.chain(category);
    const term: Term = {
      name: category.name,
      slug,
      path: chain.map((c) => c.slug).join('/'),
      label: chain.map((c) => c.name).join(' › '),
      description: category.description,
      posts,
    };
    terms.push(term);
    bySlug.set(slug, term);
  }
  // The tree's top-level slugs are taken whether or not they have posts now, so that a loose name never lands on one later.
  const topLevel = new Set(tree.categories.filter((c) => c.parent === null).map((c) => c.slug));
  const looseTerms = groupTerms(loose, (post) => looseEntries.get(post) ?? [], topLevel);
  const byEntry = new Map<string, Term>();
  for (const [entry, slug] of entryOf) byEntry.set(entry, bySlug.get(slug)!);
  for (const term of looseTerms) byEntry.set(term.name.trim().toLowerCase(), term);
  terms.push(...looseTerms);
  terms.sort((a, b) => compareText(a.label.toLowerCase(), b.label.toLowerCase()) || compareText(a.path, b.path));
  return { terms, byEntry };
}

/** The archive slug of a term name; names with nothing to transliterate get a stable hash. */
function slugOf(name: string): string {
  return slugifyText(name) || `term-${sha256(name).slice(0, 8)}`;
}

/** Groups posts by year and month of their date in the blog's timezone, newest first. */
export function groupByDate(shown: readonly ShownPost[], dates: DateFormatter): YearArchive[] {
  const years = new Map<string, YearArchive>();
  const months = new Map<string, MonthArchive>();
  for (const item of shown) {
    const { year, month } = dates.parts(item.date);
    let yearArchive = years.get(year);
    if (!yearArchive) years.set(year, (yearArchive = { year, posts: [], months: [] }));
    yearArchive.posts.push(item);
    let monthArchive = months.get(`${year}-${month}`);
    if (!monthArchive) {
      monthArchive = { year, month, name: dates.monthName(year, month), posts: [] };
      months.set(`${year}-${month}`, monthArchive);
      yearArchive.months.push(monthArchive);
    }
    monthArchive.posts.push(item);
  }
  // Posts arrive newest first, so years and months are already in that order.
  return [...years.values()];
}

/** Code-point order: the same on every machine, unlike locale collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Tags with the descriptions the blog keeps for them (matched by slug, then by name). */
export function withTagDetails(terms: Term[], tags: readonly TagTerm[]): Term[] {
  if (tags.length === 0) return terms;
  const bySlug = new Map(tags.map((t) => [t.slug, t]));
  const byName = new Map(tags.map((t) => [t.name.trim().toLowerCase(), t]));
  return terms.map((term) => {
    const tag = byName.get(term.name.trim().toLowerCase()) ?? bySlug.get(term.slug);
    return tag === undefined || tag.description === '' ? term : { ...term, description: tag.description };
  });
}
