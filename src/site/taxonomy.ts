import slugify from '@sindresorhus/slugify';
import type { Post } from '../core/types.js';
import type { DateFormatter } from './dates.js';
import { sha256 } from './hash.js';
import type { ShownPost } from './visibility.js';

/** A category or tag with its archive slug and its posts, newest first. */
export interface Term {
  name: string;
  slug: string;
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
export function groupTerms(shown: readonly ShownPost[], pick: (post: Post) => readonly string[]): Term[] {
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
  const taken = new Set<string>();
  return keys.map((key) => {
    const group = byKey.get(key)!;
    const name = [...group.names].sort(compareText)[0] ?? key;
    const base = slugOf(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return { name, slug, posts: group.posts };
  });
}

/** slugify builds its replacement tables on every call; term names repeat from build to build. */
const slugs = new Map<string, string>();

/** The archive slug of a term name; names with nothing to transliterate get a stable hash. */
function slugOf(name: string): string {
  let slug = slugs.get(name);
  if (slug === undefined) {
    slug = slugify(name) || `term-${sha256(name).slice(0, 8)}`;
    if (slugs.size > 10_000) slugs.clear();
    slugs.set(name, slug);
  }
  return slug;
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
