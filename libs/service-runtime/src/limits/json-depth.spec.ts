import { jsonDeeperThan } from './json-depth';

const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

describe(jsonDeeperThan.name, () => {
  it.each([
    ['{}', 1, false],
    ['{"a":{"b":[1,2]}}', 3, false],
    ['{"a":{"b":[1,2]}}', 2, true],
    [nested(32), 32, false],
    [nested(33), 32, true],
    [nested(100_000), 32, true],
    // Brackets inside strings, escaped quotes included, are text.
    ['{"a":"[[[[{{{{\\"[[[["}', 1, false],
    ['["\\\\",[[]]]', 2, true],
    ['"just a string"', 0, false],
  ])('judges %s against a depth of %i: %s', (text, maxDepth, deeper) => {
    expect(jsonDeeperThan(text, maxDepth)).toBe(deeper);
  });

  it('stops at the first level too deep, however long the rest', () => {
    const text = nested(40) + ' '.repeat(1_000_000);
    expect(jsonDeeperThan(text, 32)).toBe(true);
  });
});
