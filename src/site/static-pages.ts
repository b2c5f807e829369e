/** The blog's pages ("About", "Contact"): outside the date lists and feeds, at /<parent>/<slug>/, in the navigation. */
import { byMenuOrder, pageParents, pagePaths } from '../core/pages.js';
import { isPage } from '../core/types.js';
import type { NavPage, SiteContext } from './context.js';
import type { Job } from './output.js';
import { common } from './pages.js';
import { commentsClosed, linkerFor, postInputs, postView } from './views.js';
import { isPrivate, selectShownPosts, type PostMeta, type ShownPost } from './visibility.js';

/** The pages a build shows, the output file of each, and the navigation they make. */
export interface ShownPages {
  /** In navigation order: each parent before its children. */
  shown: ShownPost[];
  files: Map<string, string>;
  nav: NavPage[];
}

/**
 * Which pages the build shows (the same rules as posts: published, or previews with --drafts) and
 * where: a page's address is its parents' slugs and its own, whether or not the parents are shown, so
 * that publishing a parent never moves its children.
 */
export function shownPages(posts: readonly PostMeta[], now: Date, drafts: boolean): ShownPages {
  const pages = posts.filter((p) => isPage(p) && p.status !== 'trash' && !isPrivate(p));
  const paths = pagePaths(pages);
  const visible = selectShownPosts(pages, now, drafts);
  const parents = pageParents(visible.map((item) => item.post));
  const files = new Map<string, string>();
  for (const item of visible) files.set(item.post.id, `${paths.get(item.post.id)!.join('/')}/index.html`);

  const children = new Map<string | null, ShownPost[]>();
  for (const item of visible) {
    const parent = parents.get(item.post.id)?.id ?? null;
    const list = children.get(parent) ?? [];
    list.push(item);
    children.set(parent, list);
  }
  const shown: ShownPost[] = [];
  const placed = new Set<string>();
  const entry = (item: ShownPost): NavPage => {
    placed.add(item.post.id);
    shown.push(item);
    return { title: item.post.title.trim() || '(untitled)', file: files.get(item.post.id)!, children: walk(item.post.id) };
  };
  const walk = (parent: string | null): NavPage[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => byMenuOrder(a.post, b.post))
      .filter((item) => !placed.has(item.post.id))
      .map(entry);
  const nav = walk(null);
  // A loop of parents in hand-edited files leaves pages that no walk from the top reaches: they are top-level.
  for (const item of visible) if (!placed.has(item.post.id)) nav.push(entry(item));
  return { shown, files, nav };
}

/** One HTML page per shown page, with its comments. */
export function staticPageJobs(context: SiteContext): Job[] {
  return context.pages.map((item) => {
    const file = context.fileOf.get(item.post.id)!;
    return {
      file,
      owner: `page ${item.post.id} (slug ${item.post.slug})`,
      inputs: ['page', postInputs(context, item), commentsClosed(context, item.post), context.likes(item.post.id)],
      posts: [item.post.id],
      render: () => {
        const link = linkerFor(context, file);
        const post = postView(context, item, undefined, undefined, link);
        const data = common(context, file, 'page', post.title, {
          description: context.excerpt(item.post.id).text,
          noindex: item.preview !== null,
        });
        return context.render('page', { ...data, post });
      },
    };
  });
}
