import { UsageError } from '../core/errors.js';
import { settingProblem } from '../core/setting-rules.js';
import { validateModerationValue } from '../core/moderation.js';
import { describeIssue, settingsSchema } from '../core/schema.js';
import { oneLine } from '../core/text.js';
import type { BlogSettings } from '../core/types.js';
import { defaultSettings } from '../core/types.js';

/** Settings that a person may not set with `config set`. */
const READ_ONLY = new Set(['schemaVersion']);

/** Settings that are groups of their own, set by dotted keys (moderation.maxLinks). */
const GROUPS = new Set(['moderation', 'comments', 'notify']);

/** Every settable key of a blog, dotted for the groups (moderation rules, comments). */
export function settingKeys(): string[] {
  const defaults = defaultSettings();
  const keys: string[] = [];
  for (const [key, value] of Object.entries(defaults)) {
    if (READ_ONLY.has(key)) continue;
    if (GROUPS.has(key)) keys.push(...Object.keys(value as object).map((k) => `${key}.${k}`));
    else keys.push(key);
  }
  return keys;
}

function defaultOf(key: string): unknown {
  const defaults = defaultSettings() as unknown as Record<string, unknown>;
  const [head, tail] = key.split('.', 2) as [string, string | undefined];
  return tail === undefined ? defaults[head] : (defaults[head] as Record<string, unknown>)[tail];
}

/** Checks a settings key, naming the valid ones when it is unknown. */
export function checkSettingKey(key: string): string {
  if (!settingKeys().includes(key)) {
    throw new UsageError(`Unknown setting "${key}": use one of ${settingKeys().join(', ')}.`);
  }
  return key;
}

/** A value typed by a person, read as the setting's own type: number, boolean, list or text. */
export function parseSettingValue(key: string, text: string): unknown {
  const example = defaultOf(checkSettingKey(key));
  if (key.startsWith('moderation.')) return validateModerationValue(key.slice('moderation.'.length), text);
  if (typeof example === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value)) throw new UsageError(`${key} needs a whole number, not "${text}".`);
    return value;
  }
  return text;
}

/** A setting's value, read by its dotted key. */
export function getSetting(settings: BlogSettings, key: string): unknown {
  checkSettingKey(key);
  const [head, tail] = key.split('.', 2) as [string, string | undefined];
  const top = (settings as unknown as Record<string, unknown>)[head];
  return tail === undefined ? top : (top as Record<string, unknown>)[tail];
}

/**
 * A setting's value as stored: text is one line without control characters or escape sequences (a title
 * typed with a stray escape code, or one a backup carried), and so is each word of a list.
 */
function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return oneLine(value);
  if (Array.isArray(value)) return value.map(cleanValue).filter((v) => v !== '');
  return value;
}

/** Settings from outside (a backup being restored) with every text value cleaned as `config set` cleans it; the store validates them. */
export function cleanSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      key,
      GROUPS.has(key) && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanValue(v)]))
        : cleanValue(value),
    ]),
  );
}

/** New settings with one key set (value undefined: back to its default), checked by the schema and beyond it. */
export function withSetting(settings: BlogSettings, key: string, value: unknown): BlogSettings {
  checkSettingKey(key);
  const [head, tail] = key.split('.', 2) as [string, string | undefined];
  const resolved = cleanValue(value === undefined ? defaultOf(key) : value);
  const group = new Map<string, unknown>(Object.entries(settings)).get(head);
  const inGroup = (value: unknown) => ({ ...(typeof group === 'object' && group !== null ? group : {}), [tail!]: value });
  const text = String(resolved);
  const checked = key === 'comments.endpoint' && text !== '' ? checkEndpoint(text) : resolved;
  const raw: Record<string, unknown> = { ...settings, [head]: tail === undefined ? checked : inGroup(checked) };
  // The setting's own rule, the one build applies, in the same words.
  const own = settingProblem(key, checked);
  if (own) throw new UsageError(`${own}.`);
  const parsed = settingsSchema().safeParse(raw);
  if (!parsed.success) throw new UsageError(`Invalid value for ${key}: ${describeIssue(parsed.error, raw)}.`);
  return parsed.data;
}

/** The comment server's address when the site is hosted elsewhere: absolute http(s), read as a folder. */
function checkEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    url = new URL('invalid:');
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === '' ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new UsageError(
      `comments.endpoint needs the absolute address of the comment server, such as https://comments.example.com/_termpress/, not "${text}" (unset it to use the site's own server).`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}
