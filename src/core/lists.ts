/** Lists typed by people or read from files: comma lists, lists of names, lists of choices. */
import { UsageError } from './errors.js';

/** The items of a typed comma list, trimmed, without blanks. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A list of names without blanks or repeats, trimmed, in first-seen order (repeats in any case). */
export function uniqueList(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const key = value.toLowerCase();
    if (value === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** How a list of choices is named in a message, and whether "all" may stand for every choice. */
export interface ChoiceList {
  /** The flag that takes the list, e.g. --status. */
  flag: string;
  /** What one choice is, e.g. "comment status". */
  noun: string;
  /** "all", alone or in the list, means every choice. */
  all?: boolean;
}

/**
 * A typed comma list of choices, in any case, each once; "all" (where allowed) gives 'all'. Unknown
 * words, or an empty list, are one usage error naming them, the flag and the choices.
 */
export function parseChoiceList<T extends string>(text: string, choices: readonly T[], options: ChoiceList & { all: true }): T[] | 'all';
export function parseChoiceList<T extends string>(text: string, choices: readonly T[], options: ChoiceList): T[];
export function parseChoiceList<T extends string>(text: string, choices: readonly T[], options: ChoiceList): T[] | 'all' {
  const byKey = new Map(choices.map((choice) => [choice.toLowerCase(), choice]));
  const words = splitList(text);
  if (options.all && words.some((word) => word.toLowerCase() === 'all')) return 'all';
  const unknown = words.filter((word) => !byKey.has(word.toLowerCase()));
  if (unknown.length > 0 || words.length === 0) {
    const choicesText = `${choices.join(', ')}${options.all ? ' or all' : ''}`;
    throw new UsageError(`Unknown ${options.noun} "${unknown.join(',') || text}" for ${options.flag}: use ${choicesText}.`);
  }
  return [...new Set(words.map((word) => byKey.get(word.toLowerCase())!))];
}
