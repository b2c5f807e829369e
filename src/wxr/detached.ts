/** Copies of short strings that outlive the text they were cut from. */

/**
 * A copy of a string that shares no memory with the text it came from. V8 represents a substring as a
 * view of its parent, so a 40-byte key cut from a 256 KB chunk of the file keeps the whole chunk alive;
 * an import that remembers one key per post would then hold the entire file. Round-tripping through
 * JSON always builds a new flat string.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
