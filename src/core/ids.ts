import { customAlphabet } from 'nanoid';
import { UsageError } from './errors.js';

/** Crockford's base32 in lower case: no i, l, o or u to be mistaken for 1, 0 or v. */
export const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const ID_LENGTH = 8;
export const MIN_PREFIX = 4;

const mint = customAlphabet(ID_ALPHABET, ID_LENGTH);

/** A new random id for a post or comment. */
export function newId(): string {
  return mint();
}

/** Whether text has the shape of an id or of an id prefix long enough to look up. */
export function isIdPrefix(text: string): boolean {
  return text.length >= MIN_PREFIX && text.length <= ID_LENGTH && [...text].every((c) => ID_ALPHABET.includes(c));
}

// A listing tests the name of every post file: one regular expression is much quicker than a loop.
const WHOLE_ID = new RegExp(`^[${ID_ALPHABET}]{${ID_LENGTH}}$`);

/** Whether text is a whole id: exactly the shape newId makes, so it is safe as a file name. */
export function isId(text: string): boolean {
  return WHOLE_ID.test(text);
}

/**
 * A reference to a post or comment as typed, ready to look up: trimmed, and in lower case when it has
 * the letters of an id (ids are lower case). Imported ids of other shapes are kept as given.
 */
export function idRef(ref: string): string {
  const trimmed = ref.trim();
  const lower = trimmed.toLowerCase();
  return lower !== '' && [...lower].every((c) => ID_ALPHABET.includes(c)) ? lower : trimmed;
}

/**
 * Items by whole id, or by a prefix of 4+ characters, found without a scan per lookup: a bulk action
 * names thousands of comments, and looking each up in turn would be quadratic.
 */
export class IdIndex<T> {
  /** The first item with each id, in the order given. */
  private readonly byId = new Map<string, T>();
  /** Every item sorted by id, so that the items with a prefix sit together. */
  private readonly sorted: Array<{ id: string; item: T }> = [];

  constructor(items: Iterable<T>, idOf: (item: T) => string) {
    for (const item of items) {
      const id = idOf(item);
      if (!this.byId.has(id)) this.byId.set(id, item);
      this.sorted.push({ id, item });
    }
    this.sorted.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The item with this id (from idRef), else every item whose id starts with it when it is 4+ characters long. */
  lookup(wanted: string): T[] {
    const exact = this.byId.get(wanted);
    if (exact !== undefined) return [exact];
    if (wanted.length < MIN_PREFIX) return [];
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]!.id < wanted) low = middle + 1;
      else high = middle;
    }
    const matches: T[] = [];
    for (let i = low; i < this.sorted.length && this.sorted[i]!.id.startsWith(wanted); i++) matches.push(this.sorted[i]!.item);
    return matches;
  }
}

/** The usage error for a prefix that names several posts or comments, listing the first ten of them. */
export function ambiguousRef(wanted: string, noun: string, described: readonly string[]): UsageError {
  return new UsageError(
    `"${wanted}" matches ${described.length} ${noun}: ${described.slice(0, 10).join(', ')}; give more characters of the id.`,
  );
}
