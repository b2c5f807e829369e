/**
 * The forgiving WXR reader for --lenient: like WordPress's own WXR_Parser_Regex it reads the file line by
 * line, cuts out each <item>...</item> and picks fields with regular expressions, so a file that is not
 * well-formed XML (a raw "]]>" inside CDATA, a mismatched tag) still yields what can be read.
 */
import { detached } from './detached.js';
import { decodeXmlText } from './entities.js';
import { emptyItem, type ChannelInfo, type RawComment, type RawItem, type RawMeta } from './raw-item.js';

/** An item that grows past this without closing is cut off and counted as partial, to keep memory bounded. */
const MAX_ITEM_CHARS = 64 * 1024 * 1024;

const ITEM_FIELDS = [
  'title',
  'link',
  'pubDate',
  'dc:creator',
  'guid',
  'description',
  'wp:post_id',
  'wp:post_date',
  'wp:post_date_gmt',
  'wp:post_modified',
  'wp:post_modified_gmt',
  'wp:comment_status',
  'wp:ping_status',
  'wp:post_name',
  'wp:status',
  'wp:post_parent',
  'wp:menu_order',
  'wp:post_type',
  'wp:post_password',
  'wp:is_sticky',
];
const COMMENT_FIELDS = [
  'wp:comment_id',
  'wp:comment_author',
  'wp:comment_author_email',
  'wp:comment_author_url',
  'wp:comment_author_IP',
  'wp:comment_date',
  'wp:comment_date_gmt',
  'wp:comment_content',
  'wp:comment_approved',
  'wp:comment_type',
  'wp:comment_parent',
  'wp:comment_user_id',
  'wp:comment_agent',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text of an element as WordPress's regex parser reads it: CDATA unwrapped, otherwise entities decoded. */
function unwrap(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith('<![CDATA[') && trimmed.endsWith(']]>')) {
    return trimmed.slice(9, -3).replaceAll(']]]]><![CDATA[>', ']]>');
  }
  return decodeXmlText(raw);
}

/** The first <tag>...</tag> in a fragment, unwrapped, or undefined. */
function tagText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${escapeRegExp(tag)}(?:\\s[^>]*)?>([\\s\\S]*?)</${escapeRegExp(tag)}>`).exec(xml);
  return match?.[1] === undefined ? undefined : unwrap(match[1]);
}

/** Every <tag>...</tag> block of a fragment, and the fragment without them. */
function cutBlocks(xml: string, tag: string): { blocks: string[]; rest: string } {
  const blocks: string[] = [];
  const rest = xml.replace(new RegExp(`<${escapeRegExp(tag)}>([\\s\\S]*?)</${escapeRegExp(tag)}>`, 'g'), (_all, inner: string) => {
    blocks.push(inner);
    return '';
  });
  return { blocks, rest };
}

function readMeta(block: string): RawMeta {
  return { key: tagText(block, 'wp:meta_key') ?? '', value: tagText(block, 'wp:meta_value') ?? '' };
}

/** Turn the text of one <item> into a RawItem. */
export function parseItemText(xml: string): RawItem {
  const item = emptyItem();
  let rest = xml;
  // Content first: post bodies may hold anything, including text that looks like the other tags.
  for (const tag of ['content:encoded', 'excerpt:encoded']) {
    const { blocks, rest: without } = cutBlocks(rest, tag);
    if (blocks[0] !== undefined) item.fields[tag] = unwrap(blocks[0]);
    rest = without;
  }
  const comments = cutBlocks(rest, 'wp:comment');
  rest = comments.rest;
  for (const block of comments.blocks) {
    const metas = cutBlocks(block, 'wp:commentmeta');
    const comment: RawComment = { fields: {}, meta: metas.blocks.map(readMeta) };
    for (const field of COMMENT_FIELDS) {
      const value = tagText(metas.rest, field);
      if (value !== undefined) comment.fields[field] = value;
    }
    item.comments.push(comment);
  }
  const metas = cutBlocks(rest, 'wp:postmeta');
  rest = metas.rest;
  item.meta = metas.blocks.map(readMeta);
  for (const match of rest.matchAll(/<category([^>]*)>([\s\S]*?)<\/category>/g)) {
    const attrs = match[1] ?? '';
    item.terms.push({
      domain: decodeXmlText(/\bdomain="([^"]*)"/.exec(attrs)?.[1] ?? ''),
      nicename: decodeXmlText(/\bnicename="([^"]*)"/.exec(attrs)?.[1] ?? ''),
      name: unwrap(match[2] ?? ''),
    });
  }
  for (const field of ITEM_FIELDS) {
    const value = tagText(rest, field);
    if (value !== undefined) item.fields[field] = value;
  }
  return item;
}

/** Line by line state machine over the whole file; items and the channel are read as they complete. */
export class LenientWxrReader {
  readonly channel: ChannelInfo = { authors: new Map(), terms: [] };
  itemCount = 0;
  /** Items cut off by the end of the file, a new <item>, or the size bound. */
  partialItems = 0;
  items: RawItem[] = [];

  private carry = '';
  private block: 'item' | 'author' | undefined;
  private buffer = '';

  /** Read the next chunk of the file. */
  write(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl + 1));
      start = nl + 1;
    }
    this.carry = text.slice(start);
    // A file without newlines would otherwise carry everything; cut the carry when it has grown large.
    if (this.carry.length > 1024 * 1024 && this.block !== undefined) {
      this.line(this.carry);
      this.carry = '';
    }
  }

  /** The end of the file: an item still open is partial. */
  end(): void {
    if (this.carry !== '') this.line(this.carry);
    this.carry = '';
    if (this.block === 'item') this.partialItems += 1;
    this.block = undefined;
    this.buffer = '';
  }

  /** Take the items completed so far. */
  drain(): RawItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  private line(line: string): void {
    if (this.block === undefined) {
      this.header(line);
      return;
    }
    const reopened = this.block === 'item' && this.buffer !== '' ? line.indexOf('<item>') : -1;
    const closes = line.indexOf('</item>');
    if (reopened !== -1 && (closes === -1 || reopened < closes)) {
      // A new item began before the last one closed: the last one is lost, the new one may be whole.
      this.partialItems += 1;
      this.itemCount += 1;
      this.buffer = line.slice(reopened);
    } else {
      this.buffer += line;
    }
    const close = this.block === 'item' ? '</item>' : '</wp:author>';
    const at = this.buffer.indexOf(close);
    if (at !== -1) {
      const whole = this.buffer.slice(0, at + close.length);
      const after = this.buffer.slice(at + close.length);
      this.finish(whole);
      if (after.trim() !== '') this.header(after);
    } else if (this.buffer.length > MAX_ITEM_CHARS) {
      if (this.block === 'item') this.partialItems += 1;
      this.block = undefined;
      this.buffer = '';
    }
  }

  private header(line: string): void {
    const version = /<wp:wxr_version>([^<]*)<\/wp:wxr_version>/.exec(line)?.[1];
    if (version !== undefined) this.channel.wxrVersion = version.trim();
    const site = /<wp:base_site_url>([^<]*)<\/wp:base_site_url>/.exec(line)?.[1];
    if (site !== undefined) this.channel.siteUrl = decodeXmlText(site.trim());
    const blog = /<wp:base_blog_url>([^<]*)<\/wp:base_blog_url>/.exec(line)?.[1];
    if (blog !== undefined) this.channel.blogUrl = decodeXmlText(blog.trim());
    // WordPress writes each term of the channel on one line.
    for (const [tag, kind] of [
      ['wp:category', 'category'],
      ['wp:tag', 'tag'],
      ['wp:term', 'term'],
    ] as const) {
      for (const match of line.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))) {
        const fields: Record<string, string> = {};
        for (const child of (match[1] ?? '').matchAll(/<(wp:[a-z_]+)>([\s\S]*?)<\/\1>/g))
          fields[child[1]!] = detached(unwrap(child[2] ?? ''));
        this.channel.terms.push({ kind, fields });
      }
    }
    // The channel's own fields come before the first item; later lines only fill what is still missing.
    for (const key of ['title', 'description', 'link', 'language'] as const) {
      const value = new RegExp(`<${key}>([^<]*)</${key}>`).exec(line)?.[1];
      if (value !== undefined && this.channel[key] === undefined)
        this.channel[key] = detached(decodeXmlText(key === 'link' || key === 'language' ? value.trim() : value));
    }
    const item = line.indexOf('<item>');
    const author = line.indexOf('<wp:author>');
    if (item !== -1 && (author === -1 || item < author)) {
      this.itemCount += 1;
      this.open('item', line.slice(item));
    } else if (author !== -1) {
      this.open('author', line.slice(author));
    }
  }

  private open(block: 'item' | 'author', start: string): void {
    this.block = block;
    this.buffer = '';
    this.line(start);
  }

  private finish(xml: string): void {
    const block = this.block;
    this.block = undefined;
    this.buffer = '';
    if (block === 'item') {
      this.items.push(parseItemText(xml));
      return;
    }
    const login = tagText(xml, 'wp:author_login') ?? '';
    // Authors last the whole import: copies, not views into the chunk they were read from.
    this.channel.authors.set(detached(login), {
      login: detached(login),
      displayName: detached(tagText(xml, 'wp:author_display_name') ?? ''),
      email: detached(tagText(xml, 'wp:author_email') ?? ''),
    });
  }
}
