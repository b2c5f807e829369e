/**
 * A post imported from WordPress shown as WordPress shows it: paragraphs where the classic editor's
 * blank lines were (wpautop, through WordPress's own maintained port), its core shortcodes as plain
 * HTML, and the block editor's comments left out of the page.
 */
import { autop } from '@wordpress/autop';
import { escapeHtml } from './sanitize.js';

/** What a `[gallery]` needs to know of an attachment. */
export interface GalleryImage {
  /** Where the image is shown from: the local copy when there is one. */
  url: string;
  caption: string;
  alt: string;
}

/** What the renderer can ask of the blog: the images of a gallery, by WordPress attachment id or by the post's own. */
export interface WordPressMedia {
  byWpId(wpId: string): GalleryImage | undefined;
  /** The images attached to the post with this WordPress id, in menu order. */
  attachedTo(wpPostId: string): GalleryImage[];
}

const NO_MEDIA: WordPressMedia = { byWpId: () => undefined, attachedTo: () => [] };

/** The block editor's delimiters, `<!-- wp:paragraph {"x":1} -->` and `<!-- /wp:paragraph -->`. */
const BLOCK_COMMENT = /<!--\s+\/?wp:[a-z][a-z0-9_-]*(?:\/[a-z][a-z0-9_-]*)?(?:\s+\{[\s\S]*?\})?\s+\/?-->\n?/g;

/** Whether a body was written in the block editor, for which WordPress does not run wpautop. */
export function hasBlocks(html: string): boolean {
  return /<!--\s+wp:/.test(html);
}

/** A body as WordPress's `the_content` gives it: blocks unwrapped or paragraphs made, then shortcodes. */
export function wordpressContent(html: string, wpPostId: string, media: WordPressMedia = NO_MEDIA): string {
  const text = hasBlocks(html) ? html.replace(BLOCK_COMMENT, '') : autop(html);
  return expandShortcodes(unautopShortcodes(text), wpPostId, media);
}

const SHORTCODES = 'caption|wp_caption|gallery|embed';

/** WordPress's shortcode_unautop: a shortcode alone in a paragraph is not wrapped in one. */
function unautopShortcodes(html: string): string {
  const alone = new RegExp(`<p>\\s*(\\[(?:${SHORTCODES})\\b[^\\]]*\\](?:[\\s\\S]*?\\[\\/(?:${SHORTCODES})\\])?)\\s*<\\/p>`, 'g');
  return html.replace(alone, '$1');
}

/** The attributes of a shortcode's opening tag, as WordPress's shortcode_parse_atts reads them. */
export function shortcodeAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)/g;
  for (const match of text.matchAll(pattern)) {
    const name = (match[1] ?? match[3] ?? match[5] ?? '').toLowerCase();
    attributes[name] = match[2] ?? match[4] ?? match[6] ?? '';
  }
  return attributes;
}

function expandShortcodes(html: string, wpPostId: string, media: WordPressMedia): string {
  return html
    .replace(/\[(caption|wp_caption)\b([^\]]*)\]([\s\S]*?)\[\/\1\]/g, (_, _name: string, attrs: string, content: string) =>
      caption(shortcodeAttributes(attrs), content),
    )
    .replace(/\[gallery\b([^\]]*)\]/g, (_, attrs: string) => gallery(shortcodeAttributes(attrs), wpPostId, media))
    .replace(/\[embed\b[^\]]*\]([\s\S]*?)\[\/embed\]/g, (_, url: string) => embedLink(url));
}

/** `[caption]`: the image (or linked image) and the text after it, as a figure with its caption. */
function caption(attributes: Record<string, string>, content: string): string {
  const inner = content.replace(/<br\s*\/?>/g, ' ').trim();
  const split = /^((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
  const image = split?.[1] ?? inner;
  const text = (attributes['caption'] !== undefined ? escapeHtml(attributes['caption']) : (split?.[2] ?? '')).trim();
  const align = /^align(?:left|right|center|none)$/.test(attributes['align'] ?? '') ? ` ${attributes['align']}` : '';
  const width = /^\d{1,5}$/.test(attributes['width'] ?? '') ? Number(attributes['width']) : 0;
  const style = width > 0 ? ` style="width: ${width}px"` : '';
  const figcaption = text === '' ? '' : `<figcaption class="wp-caption-text">${text}</figcaption>`;
  return `<figure class="wp-caption${align}"${style}>${image}${figcaption}</figure>`;
}

/** `[gallery]`: its images (by `ids`, else those attached to the post) as a list of figures. */
function gallery(attributes: Record<string, string>, wpPostId: string, media: WordPressMedia): string {
  const ids = (attributes['ids'] ?? attributes['include'] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => /^\d+$/.test(id));
  const images = ids.length > 0 ? ids.map((id) => media.byWpId(id)).filter((image) => image !== undefined) : media.attachedTo(wpPostId);
  if (images.length === 0) return '';
  const columns = Number.parseInt(attributes['columns'] ?? '3', 10);
  const items = images.map((image) => {
    const figcaption = image.caption.trim() === '' ? '' : `<figcaption>${escapeHtml(image.caption.trim())}</figcaption>`;
    const src = escapeHtml(image.url);
    return `<li class="gallery-item"><figure><a href="${src}"><img src="${src}" alt="${escapeHtml(image.alt)}" loading="lazy"></a>${figcaption}</figure></li>`;
  });
  const cols = Number.isSafeInteger(columns) && columns > 0 && columns <= 9 ? columns : 3;
  return `<ul class="gallery gallery-columns-${cols}">${items.join('')}</ul>`;
}

/** `[embed]url[/embed]`: a link to what WordPress would have embedded. */
function embedLink(url: string): string {
  const href = url.trim();
  if (!/^https?:\/\/\S+$/i.test(href)) return `<p>${escapeHtml(href)}</p>`;
  const escaped = escapeHtml(href);
  return `<p class="wp-embed"><a href="${escaped}">${escaped}</a></p>`;
}
