import { customAlphabet } from 'nanoid';

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

/** Whether text is a whole id: exactly the shape newId makes, so it is safe as a file name. */
export function isId(text: string): boolean {
  return text.length === ID_LENGTH && [...text].every((c) => ID_ALPHABET.includes(c));
}
