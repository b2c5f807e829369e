/** The tree of a blog's pages: each page's parent, its path of slugs, and the order of the navigation. */
import { legacyKeysOf, wpItemKey } from './legacy.js';
import type { Post } from './types.js';

/** Pages nest at most this deep; a deeper chain (or a loop in hand-edited files) stops here. */
export const MAX_PAGE_DEPTH = 16;

type PageFields = Pick<Post, 'id' | 'slug' | 'title' | 'parentId' | 'menuOrder' | 'legacy'>;

/**
 * The parent of each page among `pages`, by id: its `parentId`, else the page its WordPress import
 * named (`legacy.wpParentId` of the same WordPress blog), else none. A parent that is not among the
 * pages (trashed, a post, missing) makes a top-level page, as in WordPress.
 */
export function pageParents<T extends PageFields>(pages: readonly T[]): Map<string, T | null> {
  const byId = new Map(pages.map((p) => [p.id, p]));
  const byKey = new Map<string, T>();
  for (const page of pages) for (const key of legacyKeysOf(page)) if (!byKey.has(key)) byKey.set(key, page);
  const parents = new Map<string, T | null>();
  for (const page of pages) {
    let parent: T | undefined;
    if (typeof page.parentId === 'string') parent = byId.get(page.parentId);
    else if (page.parentId === undefined) {
      const legacy = page.legacy ?? {};
      const wpParent = legacy['wpParentId'];
      const blog = typeof legacy['blogUrl'] === 'string' ? legacy['blogUrl'] : legacy['site'];
      if (legacy['source'] === 'wxr' && typeof wpParent === 'string')
        parent = byKey.get(wpItemKey(typeof blog === 'string' ? blog : undefined, wpParent));
    }
    parents.set(page.id, parent !== undefined && parent.id !== page.id ? parent : null);
  }
  return parents;
}

/** The slugs from the top-level page down to each page; a loop or a chain too deep is cut where it starts. */
export function pagePaths<T extends PageFields>(pages: readonly T[]): Map<string, string[]> {
  const parents = pageParents(pages);
  const paths = new Map<string, string[]>();
  for (const page of pages) {
    const chain = [page.slug];
    const seen = new Set([page.id]);
    for (
      let parent = parents.get(page.id);
      parent && !seen.has(parent.id) && chain.length < MAX_PAGE_DEPTH;
      parent = parents.get(parent.id)
    ) {
      seen.add(parent.id);
      chain.unshift(parent.slug);
    }
    paths.set(page.id, chain);
  }
  return paths;
}

/** Pages in navigation order: menu order, then title, then id, so every build lists them alike. */
export function byMenuOrder<T extends PageFields>(a: T, b: T): number {
  const order = (a.menuOrder ?? 0) - (b.menuOrder ?? 0);
  if (order !== 0) return order;
  if (a.title !== b.title) return a.title < b.title ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Why `parentId` cannot be the parent of page `id`, or null when it can: a page is not its own parent,
 * nor a child of its own descendants, and the tree stays within MAX_PAGE_DEPTH.
 */
export function parentProblem<T extends PageFields>(pages: readonly T[], id: string, parentId: string | null): string | null {
  if (parentId === null) return null;
  if (parentId === id) return 'a page cannot be its own parent';
  const parents = pageParents(pages);
  const byId = new Map(pages.map((p) => [p.id, p]));
  let depth = 1;
  for (let at: T | null | undefined = byId.get(parentId); at; at = parents.get(at.id)) {
    if (at.id === id) return 'that page is below this one: a page cannot be under its own child';
    if (++depth > MAX_PAGE_DEPTH) return `pages nest at most ${MAX_PAGE_DEPTH} deep`;
  }
  return null;
}
