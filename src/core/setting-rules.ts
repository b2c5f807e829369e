/**
 * One check per blog setting whose value has rules beyond its type: `config set` (and `init`) refuse
 * what `build` would refuse, with the same words, because both call these. Each returns what is wrong,
 * or null.
 */
import { isValidEmail, isValidUrl } from './addresses.js';
import { timezoneProblem } from './dates.js';

/** The parts a permalink pattern may use. */
export const PERMALINK_TOKENS = ['year', 'month', 'day', 'slug', 'id'] as const;

/** The permalink a blog starts with, offered as the fix. */
export const DEFAULT_PERMALINK = '/:year/:month/:day/:slug/';

/** What is wrong with a permalink pattern: it must start with "/", name the post (:slug or :id) and use known parts. */
export function permalinkProblem(pattern: string): string | null {
  const trimmed = pattern.trim();
  const unknown = [...trimmed.matchAll(/:([a-z_]+)/gi)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(PERMALINK_TOKENS as readonly string[]).includes(name));
  if (trimmed.startsWith('/') && unknown.length === 0 && /:(slug|id)\b/.test(trimmed)) return null;
  return (
    `The permalink "${pattern}" cannot be used: it must start with "/", contain :slug or :id, and use only ` +
    `${PERMALINK_TOKENS.map((t) => ':' + t).join(' ')}${unknown.length > 0 ? ` (unknown: ${unknown.map((u) => ':' + u).join(' ')})` : ''}`
  );
}

/** What is wrong with the blog's address: it must be an absolute http(s) URL, the base of every link the site carries. */
export function urlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The blog's url "${url}" is not an absolute address such as https://example.com/`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `The blog's url "${url}" must start with http:// or https://`;
  return null;
}

/** What is wrong with the number of posts on a page of the home page and archives. */
export function postsPerPageProblem(value: unknown): string | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000
    ? null
    : `postsPerPage must be a whole number from 1 to 1000, not ${JSON.stringify(value)}`;
}

/** The moderator's notifications: each may be unset (''), or must be an address of its kind. */
const notifyRule =
  (valid: (text: string) => boolean, wanted: string) =>
  (key: string) =>
  (text: string): string | null =>
    text === '' || valid(text) ? null : `${key} needs ${wanted}, not "${text}"`;
const NOTIFY_RULES = {
  'notify.email': notifyRule(isValidEmail, "the moderator's email address"),
  'notify.webhook': notifyRule(isValidUrl, 'an absolute http(s) address'),
  'notify.smtp': notifyRule(
    (text) => /^smtps?:\/\/[^\s/]+/.test(text),
    'the mail server as smtp://host:587 or smtps://user:password@host:465',
  ),
};

const RULES: Record<string, (value: never) => string | null> = {
  permalink: permalinkProblem,
  url: urlProblem,
  timezone: timezoneProblem,
  postsPerPage: postsPerPageProblem,
  ...Object.fromEntries(Object.entries(NOTIFY_RULES).map(([key, rule]) => [key, rule(key)])),
};

/** What is wrong with a setting's value (by its key, dotted in a group: notify.email) by its own rule, or null (also for settings without one). */
export function settingProblem(key: string, value: unknown): string | null {
  const rule = RULES[key];
  return rule ? rule(value as never) : null;
}

/** The command that sets a setting, for messages that say how to fix it. */
export function setCommand(key: string, example: string): string {
  return `termpress config set ${key} ${example}`;
}
