/** Writing XML text safely: CDATA that survives `]]>` inside it, escaped attributes, no characters XML forbids. */

// Characters outside XML 1.0's Char production (C0 controls, lone surrogates, U+FFFE/U+FFFF) make a file unreadable.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text without the characters XML 1.0 cannot carry. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** A CDATA section holding the text exactly; an embedded `]]>` is split across two sections, as WordPress does. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Text escaped for an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}
