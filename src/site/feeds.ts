import { Feed, type Item } from 'feed';
import { xmlSafe } from '../core/text.js';
import { escapeHtml } from './html-text.js';

/** One post as the feeds carry it: links absolute, HTML sanitised. */
export interface FeedEntry {
  id: string;
  title: string;
  url: string;
  published: Date;
  updated: Date;
  author: string;
  categories: string[];
  summaryHtml: string;
  summaryText: string;
  contentHtml: string;
}

/** The blog as the feeds describe it; every url absolute. */
export interface FeedChannel {
  title: string;
  description: string;
  language: string;
  author: string;
  home: string;
  rss: string;
  atom: string;
  json: string;
  /** The newest change among the entries: feeds carry no time of the build itself. */
  updated: Date;
}

/** The blog's RSS 2.0 feed (feed.xml), with dc:creator since RSS's own author wants an email. */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({ ...channelOptions(channel), title: xmlText(channel.title), description: xmlText(channel.description) });
  for (const entry of entries) {
    feed.addItem({
      ...itemBase(entry),
      title: cdataText(entry.title),
      category: entry.categories.map((name) => ({ name: xmlText(name) })),
      extensions: entry.author ? [{ name: 'dc:creator', objects: { _text: xmlText(entry.author) } }] : [],
    });
  }
  return feed.rss2() + '\n';
}

/** The blog's Atom 1.0 feed (atom.xml). */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    ...channelOptions(channel),
    title: xmlText(channel.title),
    ...(channel.description ? { description: xmlText(channel.description) } : {}),
    ...(channel.author ? { author: { name: xmlText(channel.author) } } : {}),
  });
  for (const entry of entries) {
    feed.addItem({
      ...itemBase(entry),
      // Atom titles are declared type="html", so the text is escaped once for HTML.
      title: xmlSafe(escapeHtml(entry.title)),
      category: entry.categories.map((name) => ({ term: xmlAttribute(name), name: xmlAttribute(name) })),
      author: [{ name: xmlText(entry.author || channel.title) }],
    });
  }
  return feed.atom1() + '\n';
}

/** The blog's JSON Feed 1.1 (feed.json): the library writes 1.0, lifted here to 1.1's authors and language. */
export function renderJsonFeed(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({ ...channelOptions(channel), title: channel.title, description: channel.description });
  for (const entry of entries) {
    feed.addItem({
      title: entry.title,
      id: entry.url,
      link: entry.url,
      date: entry.updated,
      published: entry.published,
      content: entry.contentHtml,
      category: entry.categories.map((name) => ({ name })),
    });
  }
  const json = JSON.parse(feed.json1()) as Record<string, unknown> & { items: Record<string, unknown>[] };
  const items = json.items.map((item, index) => {
    const entry = entries[index]!;
    return {
      id: entry.id,
      url: item['url'],
      title: item['title'],
      content_html: item['content_html'],
      summary: entry.summaryText,
      date_published: item['date_published'],
      date_modified: item['date_modified'],
      ...(entry.author ? { authors: [{ name: entry.author }] } : {}),
      ...(entry.categories.length > 0 ? { tags: item['tags'] } : {}),
    };
  });
  const upgraded = {
    version: 'https://jsonfeed.org/version/1.1',
    title: json['title'],
    home_page_url: json['home_page_url'],
    feed_url: json['feed_url'],
    ...(channel.description ? { description: channel.description } : {}),
    language: channel.language,
    ...(channel.author ? { authors: [{ name: channel.author }] } : {}),
    items,
  };
  return JSON.stringify(upgraded, null, 2) + '\n';
}

function channelOptions(channel: FeedChannel) {
  return {
    id: channel.home,
    title: channel.title,
    link: channel.home,
    language: channel.language,
    updated: channel.updated,
    generator: 'termpress',
    copyright: '',
    feedLinks: { rss: channel.rss, atom: channel.atom, json: channel.json },
  };
}

function itemBase(entry: FeedEntry): Item {
  return {
    title: entry.title,
    id: entry.id,
    guid: entry.id,
    link: entry.url,
    date: entry.updated,
    published: entry.published,
    description: cdataHtml(entry.summaryHtml),
    content: cdataHtml(entry.contentHtml),
  };
}

/*
 * The feed library writes XML through xml-js, which has three gaps these helpers close: text has
 * "&amp;" un-escaped before escaping (so a literal "&amp;" would be lost), attributes get only
 * their quotes escaped, and only the first "]]>" of a CDATA section is split. XML 1.0 also has no
 * room for lone surrogates or most control characters, which a title or body may carry.
 */

/** Text that xml-js will escape: every "&" doubled up front survives its un-escaping. */
function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;');
}

/** An attribute value escaped here, since xml-js escapes only its quotes. */
function xmlAttribute(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** HTML for a CDATA section: ">" after "]]" is the same character to an HTML reader as "&gt;". */
function cdataHtml(html: string): string {
  return xmlSafe(html).replace(/]]>/g, ']]&gt;');
}

/** Plain text for a CDATA section, where no escape is read back: a space keeps "]]>" from closing it. */
function cdataText(text: string): string {
  return xmlSafe(text).replace(/]]>/g, ']] >');
}
