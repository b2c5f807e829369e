/*
 * The one table of the characters termpress treats as controls, and the views of it each kind of output
 * needs: terminals (no escape sequences, controls or bidi overrides), JSON (the same, escaped rather than
 * dropped), web pages and feeds (no controls), and XML (only what XML 1.0 can carry).
 */

// C0 controls but tab, line feed and carriage return; DEL; the C1 controls.
const CONTROLS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
// Bidi embeddings, overrides and isolates: they make text read otherwise than it is stored ("Trojan source").
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069';
// Noncharacters, which no text should hold and XML forbids.
const NONCHARACTERS = '\\ufffe\\uffff';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

// Escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other ESC-introduced pairs, and
// the 8-bit C1 forms of the same, which some terminals still honour.
const ESCAPES =
  // eslint-disable-next-line no-control-regex -- the one table of escape sequences: controls on purpose
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g;
// What a terminal must never be sent: the controls (carriage return too: it rewrites the line) and bidi.
const TERMINAL_UNSAFE = new RegExp(`[\\r${CONTROLS}${BIDI}]`, 'g');
const HAS_CONTROL = new RegExp(`[\\r\\n\\t${CONTROLS}${BIDI}]`);
const PAGE_UNSAFE = new RegExp(`[${CONTROLS}${NONCHARACTERS}]`, 'g');
const NOT_XML = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${NONCHARACTERS}]|${LONE_SURROGATE}`, 'g');

/** Text from outside made safe for a terminal: escape sequences and control characters removed. */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(TERMINAL_UNSAFE, '');
}

/** A single line for a table cell or a heading: control characters removed, whitespace collapsed. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}

/** A value that must be one line but whose spacing may matter (a path, a command): controls removed, line breaks made spaces. */
export function singleLine(text: string): string {
  return stripControl(text)
    .replace(/[\t\n]/g, ' ')
    .trim();
}

/** Whether text holds a control character, a line break or tab, or a bidi override (for names that must be one plain line). */
export function hasControl(text: string): boolean {
  return HAS_CONTROL.test(text);
}

/**
 * JSON text with the controls and bidi overrides JSON.stringify leaves raw (DEL, C1, bidi) written as \u
 * escapes: a parser reads the same string back, and a terminal shown the JSON never sees the characters.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for a web page or a feed: control characters (but tab and line breaks) and noncharacters removed. */
export function stripPageControls(text: string): string {
  return text.replace(PAGE_UNSAFE, '');
}

/** Text without the characters XML 1.0 cannot carry (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates). */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '');
}

/** Text cut to at most max characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Text from outside shortened for a message: one line, control characters removed, at most 40 characters. */
export function shortLine(text: string): string {
  return truncate(oneLine(text), 40);
}

/** Length in code points, so an emoji counts as one character as it does in WordPress's mb_strlen. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
