import { escapeHtml } from '../sanitize.js';

/** What the server fills into a page's form as it serves it to one reader. */
export interface PageFill {
  /** A fresh signed form token. */
  token: string;
  /** The name, email and website this reader asked to be remembered, or empty. */
  author: string;
  email: string;
  url: string;
  remember: boolean;
  /** HTML for the notice element (the reader's own comment awaiting moderation), already safe; or empty. */
  notice: string;
  /** The text of the comment (a form sent back to the reader to send again). */
  comment?: string | undefined;
  /** The comment replied to. */
  parent?: string | undefined;
}

/** The attribute that marks an element for the server to fill: the theme's contract with serve. */
export const FILL_ATTRIBUTE = 'data-termpress-fill';

const FILLED =
  /<(input|textarea|div|p|section)\b([^>]*?)\sdata-termpress-fill="(token|author|email|url|remember|notice|comment|parent)"([^>]*)>/g;

/** Whether a page has anything to fill: pages without a form are served as the files they are. */
export function needsFill(html: string): boolean {
  return html.includes(FILL_ATTRIBUTE);
}

/**
 * The page with its marked elements filled: input values (escaped), the remember box checked, the
 * notice's content. Only the theme's own markup is touched (the build escapes every reader's text,
 * so no comment can carry the attribute); an element marked twice is filled twice, alike.
 */
export function fillPage(html: string, fill: PageFill): string {
  return html.replace(FILLED, (tag: string, name: string, before: string, what: string, after: string) =>
    filledTag(fill, tag, name, before, what, after),
  );
}

/** A page with a form, looked through once: filling it in for a reader then only joins its parts. */
export type FillablePage = (fill: PageFill) => Buffer;

/** The page as fillPage fills it, its marked elements found once and the text between them kept as bytes. */
export function fillablePage(html: string): FillablePage {
  const between: Buffer[] = [];
  const marked: Array<[tag: string, name: string, before: string, what: string, after: string]> = [];
  let from = 0;
  for (const match of html.matchAll(FILLED)) {
    between.push(Buffer.from(html.slice(from, match.index), 'utf8'));
    marked.push([match[0], match[1]!, match[2]!, match[3]!, match[4]!]);
    from = match.index + match[0].length;
  }
  between.push(Buffer.from(html.slice(from), 'utf8'));
  return (fill) => {
    const parts: Buffer[] = [between[0]!];
    marked.forEach((tag, i) => parts.push(Buffer.from(filledTag(fill, ...tag), 'utf8'), between[i + 1]!));
    return Buffer.concat(parts);
  };
}

function filledTag(fill: PageFill, tag: string, name: string, before: string, what: string, after: string): string {
  if (what === 'notice') return fill.notice === '' ? tag : `${tag}${fill.notice}`;
  // The textarea is empty in the theme: its text goes right after the opening tag.
  if (what === 'comment') return name === 'textarea' && fill.comment ? `${tag}${escapeHtml(fill.comment)}` : tag;
  if (name !== 'input' || (what === 'parent' && fill.parent === undefined)) return tag;
  const closing = after.endsWith('/') ? '/' : '';
  const attributes = `${before} ${FILL_ATTRIBUTE}="${what}"${closing ? after.slice(0, -1) : after}`
    .replace(what === 'remember' ? /\schecked(="[^"]*")?(?=[\s/]|$)/g : /\svalue(="[^"]*")?(?=[\s/]|$)/g, '')
    .trimEnd();
  if (what === 'remember') return `<input${attributes}${fill.remember ? ' checked' : ''}${closing}>`;
  const value = what === 'token' ? fill.token : what === 'parent' ? (fill.parent ?? '') : fill[what as 'author' | 'email' | 'url'];
  return `<input${attributes} value="${escapeHtml(value)}"${closing}>`;
}
