/** The strict WXR reader: a streaming, namespace-aware XML parse (saxes) that yields items one at a time. */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { detached } from './detached.js';
import { canonicalName } from './namespaces.js';
import { emptyItem, type ChannelInfo, type RawChannelTerm, type RawComment, type RawItem, type RawMeta, type RawTerm } from './raw-item.js';
import type { XmlFault } from './types.js';

/** The channel's term elements and the kind each defines. */
const CHANNEL_TERMS = new Map<string, RawChannelTerm['kind']>([
  ['wp:category', 'category'],
  ['wp:tag', 'tag'],
  ['wp:term', 'term'],
]);

/** Thrown when the file stops being well-formed XML, with where. */
export class XmlFaultError extends Error {
  constructor(readonly fault: XmlFault) {
    super(`${fault.line}:${fault.column}: ${fault.message}`);
  }
}

/**
 * Feeds text to saxes and turns elements into RawItems. With `collect` off it only checks well-formedness,
 * counts items and reads the channel, which is the cheap first pass of an all-or-nothing import.
 */
export class StrictWxrReader {
  readonly channel: ChannelInfo = { authors: new Map(), terms: [] };
  itemCount = 0;
  /** Items completed since the caller last drained them. */
  items: RawItem[] = [];

  private readonly parser = new SaxesParser({ xmlns: true });
  private readonly stack: string[] = [];
  private text = '';
  private item: RawItem | undefined;
  private itemDepth = 0;
  private comment: RawComment | undefined;
  private meta: RawMeta | undefined;
  private term: RawTerm | undefined;
  private author: Record<string, string> | undefined;
  private channelTerm: RawChannelTerm | undefined;

  constructor(private readonly collect: boolean) {
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', () => this.close());
    this.parser.on('text', (text) => this.append(text));
    this.parser.on('cdata', (text) => this.append(text));
  }

  /** Parse the next chunk of the file. */
  write(chunk: string): void {
    this.guard(() => this.parser.write(chunk));
  }

  /** Mark the end of the file: an unclosed element is a fault too. */
  end(): void {
    this.guard(() => this.parser.close());
  }

  /** Take the items completed so far. */
  drain(): RawItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      const message = (error as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
      throw new XmlFaultError({ line: this.parser.line, column: this.parser.column, message });
    }
  }

  private append(text: string): void {
    // The check pass keeps no item text, so its memory stays flat whatever the posts hold.
    if (this.item === undefined || this.collect) this.text += text;
  }

  private open(tag: SaxesTagNS): void {
    const name = canonicalName(tag.uri, tag.prefix, tag.local);
    const parent = this.stack.at(-1);
    this.stack.push(name);
    this.text = '';
    if (this.item === undefined) {
      if (name === 'item') {
        this.itemCount += 1;
        this.item = emptyItem();
        this.itemDepth = this.stack.length;
      } else if (name === 'wp:author' && parent === 'channel') {
        this.author = {};
      } else if (parent === 'channel' && CHANNEL_TERMS.has(name)) {
        this.channelTerm = { kind: CHANNEL_TERMS.get(name)!, fields: {} };
      }
      return;
    }
    if (!this.collect) return;
    const depth = this.stack.length - this.itemDepth;
    if (depth === 1 && name === 'category') {
      this.term = { domain: tag.attributes['domain']?.value ?? '', nicename: tag.attributes['nicename']?.value ?? '', name: '' };
    } else if (depth === 1 && name === 'wp:postmeta') {
      this.meta = { key: '', value: '' };
    } else if (depth === 1 && name === 'wp:comment') {
      this.comment = { fields: {}, meta: [] };
    } else if (depth === 2 && this.comment !== undefined && name === 'wp:commentmeta') {
      this.meta = { key: '', value: '' };
    }
  }

  private close(): void {
    const name = this.stack.pop() ?? '';
    const parent = this.stack.at(-1);
    const value = this.text;
    this.text = '';
    if (this.item === undefined) {
      this.closeChannelElement(name, parent, value);
      return;
    }
    const depth = this.stack.length + 1 - this.itemDepth;
    if (depth === 0) {
      if (this.collect) this.items.push(this.item);
      this.item = undefined;
      return;
    }
    if (!this.collect) return;
    if (depth === 1) this.closeItemChild(name, value);
    else if (depth === 2 && this.meta !== undefined && parent === 'wp:postmeta') this.setMeta(name, value);
    else if (depth === 2 && this.comment !== undefined) {
      if (name === 'wp:commentmeta') {
        if (this.meta !== undefined) this.comment.meta.push(this.meta);
        this.meta = undefined;
      } else {
        this.comment.fields[name] = value;
      }
    } else if (depth === 3 && this.meta !== undefined && parent === 'wp:commentmeta') this.setMeta(name, value);
  }

  private closeChannelElement(name: string, parent: string | undefined, value: string): void {
    if (parent === 'channel') {
      if (name === 'wp:wxr_version') this.channel.wxrVersion = value.trim();
      else if (name === 'wp:base_site_url') this.channel.siteUrl = value.trim();
      else if (name === 'wp:base_blog_url') this.channel.blogUrl = value.trim();
      else if (name === 'title') this.channel.title = detached(value);
      else if (name === 'description') this.channel.description = detached(value);
      else if (name === 'link') this.channel.link = detached(value.trim());
      else if (name === 'language') this.channel.language = detached(value.trim());
      else if (name === 'wp:author' && this.author !== undefined) {
        const login = this.author['wp:author_login'] ?? '';
        // Authors last the whole import: copies, not views into the chunk they were read from.
        this.channel.authors.set(detached(login), {
          login: detached(login),
          displayName: detached(this.author['wp:author_display_name'] ?? ''),
          email: detached(this.author['wp:author_email'] ?? ''),
        });
        this.author = undefined;
      } else if (CHANNEL_TERMS.has(name) && this.channelTerm !== undefined) {
        // Terms last the whole import: copies, not views into the chunk they were read from.
        const fields = Object.fromEntries(Object.entries(this.channelTerm.fields).map(([k, v]) => [k, detached(v)]));
        this.channel.terms.push({ kind: this.channelTerm.kind, fields });
        this.channelTerm = undefined;
      }
    } else if (parent === 'wp:author' && this.author !== undefined) {
      this.author[name] = value;
    } else if (parent !== undefined && CHANNEL_TERMS.has(parent) && this.channelTerm !== undefined) {
      this.channelTerm.fields[name] = value;
    }
  }

  private closeItemChild(name: string, value: string): void {
    const item = this.item as RawItem;
    if (name === 'category' && this.term !== undefined) {
      item.terms.push({ ...this.term, name: value });
      this.term = undefined;
    } else if (name === 'wp:postmeta') {
      if (this.meta !== undefined) item.meta.push(this.meta);
      this.meta = undefined;
    } else if (name === 'wp:comment') {
      if (this.comment !== undefined) item.comments.push(this.comment);
      this.comment = undefined;
    } else {
      item.fields[name] = value;
    }
  }

  private setMeta(name: string, value: string): void {
    const meta = this.meta as RawMeta;
    if (name === 'wp:meta_key') meta.key = value;
    else if (name === 'wp:meta_value') meta.value = value;
  }
}
