import type { BlogSettings, Comment, Post } from '../core/types.js';
import type { DateFormatter } from './dates.js';
import type { RenderedBody } from './markdown.js';
import type { MonthArchive, Term, YearArchive } from './taxonomy.js';
import type { RenderTemplate } from './theme.js';
import type { ShownPost } from './visibility.js';

/** What every page of one build is made from, computed once. */
export interface SiteContext {
  settings: BlogSettings;
  base: URL;
  now: Date;
  dates: DateFormatter;
  render: RenderTemplate;
  /** Shown posts, newest first. */
  shown: ShownPost[];
  /** Shown pages, in navigation order (parents before their children). */
  pages: ShownPost[];
  /** The site's navigation: top-level pages with their children, by menu order. */
  pageNav: NavPage[];
  /** Output file of each shown post and page by id. */
  fileOf: Map<string, string>;
  categories: Term[];
  tags: Term[];
  years: YearArchive[];
  /** Term of each category and tag name, by its lower-cased name. */
  categoryByName: Map<string, Term>;
  tagByName: Map<string, Term>;
  /** A post in full: only for the posts a job to render names in its `posts` (see Job). */
  full(id: string): Post;
  /** The rendered body of a post named in a job's `posts`, rendered once however many pages show it. */
  body(id: string): RenderedBody;
  /** The excerpt of a post named in a job's `posts` or `excerpts`, as HTML and as text. */
  excerpt(id: string): Excerpt;
  /** A text that changes whenever anything in the post (its comments too) does. */
  version(id: string): string;
  /** A text that changes whenever what the post's body and excerpt render from does, and not with its comments (see contentDigest). */
  content(id: string): string;
  /** The HTML of an approved comment of a post named in a job's `posts`. */
  commentHtml(comment: Comment): string;
  /** How many readers like a post. */
  likes(postId: string): number;
}

/** A post's excerpt as list pages and descriptions show it. */
export interface Excerpt {
  html: string;
  text: string;
}

/** A page in the site's navigation. */
export interface NavPage {
  title: string;
  file: string;
  children: NavPage[];
}

/** Output files of the archive pages. */
export const FILES = {
  home: 'index.html',
  archives: 'archives/index.html',
  notFound: '404.html',
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
  sitemap: 'sitemap.xml',
  /** The comment server's endpoints, beside the site's files but never one of them (see serve). */
  endpoint: (name: 'comment' | 'like' | 'reply') => `_termpress/${name}`,
  style: 'assets/style.css',
  category: (term: Term) => `category/${term.path}/index.html`,
  tag: (term: Term) => `tag/${term.slug}/index.html`,
  year: (year: YearArchive) => `${year.year}/index.html`,
  month: (month: MonthArchive) => `${month.year}/${month.month}/index.html`,
  /** Page n (from 2) of a paginated list whose first page is `first`. */
  page: (first: string, n: number) => (n === 1 ? first : `${first.slice(0, -'index.html'.length)}page/${n}/index.html`),
};
