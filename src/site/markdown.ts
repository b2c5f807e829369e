import MarkdownIt from 'markdown-it';
import type { Post } from '../core/types.js';
import { escapeHtml, sanitizedHtmlToText as htmlToText, sanitizePostHtml, stripControls } from './sanitize.js';
import { localiseMedia, type SiteMedia } from './media.js';
import { wordpressContent } from './wordpress.js';

/** A post body as HTML, with its excerpt as HTML and as plain text. */
export interface RenderedBody {
  html: string;
  excerptHtml: string;
  excerptText: string;
}

/** WordPress's and Hexo's marker: what comes before it is the excerpt. */
const MORE = /<!--\s*more\s*-->/i;
/** WordPress's length of an automatic excerpt, when a body has no first paragraph to take. */
const EXCERPT_WORDS = 55;

/** Whether a post's HTML is WordPress's, to be shown as WordPress shows it (paragraphs, shortcodes). */
export function isWordPressHtml(post: Pick<Post, 'format' | 'legacy'>): boolean {
  return post.format === 'html' && post.legacy?.['source'] === 'wxr';
}

/**
 * A renderer of post bodies: markdown through markdown-it, HTML passed through the sanitiser, and
 * HTML imported from WordPress given its paragraphs and shortcodes first (galleries from `media`).
 */
export function createBodyRenderer(media?: SiteMedia): (post: Post) => RenderedBody {
  // Tables and strikethrough as readers of GitHub-flavoured text expect; raw HTML allowed, then sanitised.
  const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });
  const local = (html: string) => (media === undefined ? html : localiseMedia(html, media));
  const toHtml = (post: Post, text: string): string => {
    if (post.format === 'markdown') return sanitizePostHtml(local(markdown.render(text)));
    if (!isWordPressHtml(post)) return sanitizePostHtml(local(text));
    const wpId = typeof post.legacy?.['wpPostId'] === 'string' ? post.legacy['wpPostId'] : '';
    return sanitizePostHtml(local(wordpressContent(text, wpId, media)));
  };

  return (post) => {
    const body = stripControls(post.body);
    const html = toHtml(post, body);
    if (post.excerpt.trim() !== '') {
      const text = stripControls(post.excerpt).replace(/\s+/g, ' ').trim();
      return { html, excerptHtml: `<p>${escapeHtml(text)}</p>`, excerptText: text };
    }
    const more = MORE.exec(body);
    if (more) {
      const excerptHtml = toHtml(post, body.slice(0, more.index));
      return { html, excerptHtml, excerptText: htmlToText(excerptHtml) };
    }
    const first = /<p(?:\s[^>]*)?>[\s\S]*?<\/p>/.exec(html);
    if (first && htmlToText(first[0]) !== '') return { html, excerptHtml: first[0], excerptText: htmlToText(first[0]) };
    const words = htmlToText(html)
      .split(' ')
      .filter((word) => word !== '');
    const text = words.slice(0, EXCERPT_WORDS).join(' ') + (words.length > EXCERPT_WORDS ? ' …' : '');
    return { html, excerptHtml: text === '' ? '' : `<p>${escapeHtml(text)}</p>`, excerptText: text };
  };
}
