import { newId, isIdPrefix, ID_LENGTH } from '../src/core/ids.js';

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
