import { UsageError } from '../src/core/errors.js';
import { IdIndex, ID_LENGTH, ambiguousRef, idRef, isId, isIdPrefix, newId } from '../src/core/ids.js';

describe('ids', () => {
  it('mints 8-character ids from the alphabet', () => {
    const id = newId();
    expect(id).toHaveLength(ID_LENGTH);
    expect(isIdPrefix(id)).toBe(true);
  });
  it.each([
    ['abcd', true],
    ['abc', false],
    ['abcdefghj', false],
    ['ABCD', false],
    ['abil', false],
  ])('isIdPrefix(%s) is %s', (text, expected) => {
    expect(isIdPrefix(text)).toBe(expected);
  });
});

describe('references to posts and comments', () => {
  it.each([
    ['  ABCD2345 ', 'abcd2345'],
    ['abcd', 'abcd'],
    ['Hello-World', 'Hello-World'],
    ['wp-123', 'wp-123'],
    ['   ', ''],
  ])('idRef(%j) is %j', (ref, wanted) => {
    expect(idRef(ref)).toBe(wanted);
  });

  const index = new IdIndex(['abcd2345', 'abcd2399', 'zzzz0000', 'wp-12345', 'abcd2345'], (id) => id);
  it.each([
    ['abcd2345', ['abcd2345']],
    ['abcd', ['abcd2345', 'abcd2345', 'abcd2399']],
    ['abcd23', ['abcd2345', 'abcd2345', 'abcd2399']],
    ['abcd2399', ['abcd2399']],
    ['zzz', []],
    ['zzzz', ['zzzz0000']],
    ['wp-1', ['wp-12345']],
    ['nope', []],
  ])('an index of ids finds %j as %j', (wanted, found) => {
    expect(index.lookup(wanted)).toEqual(found);
  });

  it('names at most ten candidates of an ambiguous prefix, and how many there are', () => {
    const candidates = Array.from({ length: 12 }, (_, i) => `id${i}`);
    const error = ambiguousRef('abcd', 'posts', candidates);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`"abcd" matches 12 posts: ${candidates.slice(0, 10).join(', ')}; give more characters of the id.`);
  });
});

describe('isId', () => {
  it.each([
    ['0123abcd', true],
    ['zzzzzzzz', true],
    ['0123abc', false],
    ['0123abcde', false],
    ['0123abci', false],
    ['0123ABCD', false],
    ['0123abc\n', false],
    ['../abcde', false],
  ])('isId(%j) is %s', (text, expected) => {
    expect(isId(text)).toBe(expected);
  });

  it('accepts every id newId makes', () => {
    for (let i = 0; i < 100; i++) expect(isId(newId())).toBe(true);
  });
});
