/**
 * The site's small text helpers that need no HTML parser: the pages of an incremental build use them,
 * and loading sanitize-html (the parser and postcss) for them would cost more than the build itself.
 */
import { stripPageControls } from '../core/text.js';

/** Text escaped for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Control characters (other than tab and line breaks) have no place in a page or a feed. */
export const stripControls = stripPageControls;

/**
 * The plain text of HTML that sanitizePostHtml made, as htmlToText gives it, without parsing it again:
 * in the sanitiser's output every "<" starts a tag, no attribute holds a ">", and no element whose
 * content is not text (script, style) is left.
 */
export function sanitizedHtmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/** sanitize-html escapes only these five, so decoding them gives back the text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

/** A comment's text as sanitizeCommentBody cleans it before it looks for markup. */
export function commentText(body: string): string {
  return stripControls(body).replace(/\r\n?/g, '\n').trim();
}

/** A comment's paragraphs: blank lines part them, single line breaks become <br />. */
export function commentParagraphs(clean: string): string {
  return clean
    .split(/\n\s*\n/)
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => `<p>${text.replace(/\n/g, '<br />\n')}</p>`)
    .join('\n');
}

/**
 * A comment without markup or entities ("<", ">" and "&" absent) as sanitizeCommentBody makes it,
 * without the sanitiser: there is nothing for it to remove or escape, so its HTML is the paragraphs
 * alone (a test holds the two equal). null for any other comment, which the sanitiser must see.
 */
export function plainCommentHtml(body: string): string | null {
  const text = commentText(body);
  return /[<>&]/.test(text) ? null : commentParagraphs(text);
}
