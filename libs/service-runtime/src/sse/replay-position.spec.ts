import { formatReplayPosition, parseReplayPosition } from './replay-position';

describe(parseReplayPosition.name, () => {
  it.each([
    ['AbCd-_12.0', { epoch: 'AbCd-_12', seq: 0, end: false }],
    ['AbCd-_12.42', { epoch: 'AbCd-_12', seq: 42, end: false }],
    ['AbCd-_12.42.end', { epoch: 'AbCd-_12', seq: 42, end: true }],
  ])('reads %s', (text, position) => {
    expect(parseReplayPosition(text)).toEqual(position);
    expect(formatReplayPosition(position)).toBe(text);
  });

  it.each([
    ['a short epoch', 'AbCd.4'],
    ['a negative position', 'AbCd-_12.-1'],
    ['a fraction', 'AbCd-_12.1.5'],
    ['another suffix', 'AbCd-_12.4.done'],
    ['a multiplexed cursor', 'm1~abcd.AbCd-_12.4'],
    ['a number too large to be exact', 'AbCd-_12.9999999999999999'],
    ['nothing', ''],
  ])('refuses %s', (_what, text) => {
    expect(parseReplayPosition(text)).toBeUndefined();
  });
});
