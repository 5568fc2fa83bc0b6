import { goDurationString, goTimeString, parseArgoDuration } from './go-time';

describe(goDurationString.name, () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [5000, '5s'],
    [1500, '1.5s'],
    [600_000, '10m0s'],
    [3_723_000, '1h2m3s'],
  ])('%d ms → %s', (ms, text) => expect(goDurationString(ms)).toBe(text));
});

describe(parseArgoDuration.name, () => {
  it.each([
    ['30', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['250ms', 250],
    ['ten minutes', undefined],
    ['10', 10_000],
  ])('%s → %s', (text, ms) => expect(parseArgoDuration(text)).toBe(ms));
});

describe(goTimeString.name, () => {
  it('prints UTC as Go does, without a zero fraction', () => {
    expect(goTimeString(Date.parse('2026-12-06T07:43:07Z'))).toBe('2026-12-06 07:43:07 +0000 UTC');
    expect(goTimeString(Date.parse('2026-12-06T07:43:07.250Z'))).toBe('2026-12-06 07:43:07.25 +0000 UTC');
  });
});
