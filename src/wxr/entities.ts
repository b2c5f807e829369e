/** The few entity rules WXR needs: XML text for the forgiving reader, HTML-escaped names and titles in WordPress. */

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// WordPress escapes titles and term names with these when it saves them; a few typographic ones are common too.
const HTML_ENTITIES: Record<string, string> = {
  ...XML_ENTITIES,
  nbsp: '\u00a0',
  hellip: '\u2026',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
};

function codePoint(text: string, radix: number): string | undefined {
  const value = Number.parseInt(text, radix);
  return Number.isInteger(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

function decodeWith(table: Record<string, string>, text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return codePoint(name.slice(2), 16) ?? whole;
    if (name.startsWith('#')) return codePoint(name.slice(1), 10) ?? whole;
    return table[name] ?? whole;
  });
}

/** XML character data outside CDATA: the five predefined entities and character references. */
export function decodeXmlText(text: string): string {
  return decodeWith(XML_ENTITIES, text);
}

/** A title or name as WordPress stored it (`Tom &amp; Jerry`) to the plain text termpress keeps. */
export function decodeHtmlText(text: string): string {
  return decodeWith(HTML_ENTITIES, text);
}

/** Plain text to the escaped form WordPress stores for titles and names; decodeHtmlText undoes it exactly. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#039' }[c]};`);
}
