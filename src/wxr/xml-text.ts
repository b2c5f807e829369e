/** Writing XML text safely: CDATA that survives `]]>` inside it, escaped attributes, no characters XML forbids. */
import { xmlSafe } from '../core/text.js';

/** A CDATA section holding the text exactly; an embedded `]]>` is split across two sections, as WordPress does. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Text escaped for an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}
