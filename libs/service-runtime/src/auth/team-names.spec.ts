import { isTeamName, TeamNameFilter } from './team-names';

describe(TeamNameFilter.name, () => {
  it.each([
    ['*', false],
    ['a,b', false],
    ['-', false],
    ['team a', false],
    ['zespół', false],
    ['ｐａｙｍｅｎｔｓ', false],
    ['Payments', false],
    ['payments-', false],
    ['', false],
    ['a'.repeat(64), false],
    ['a'.repeat(63), true],
    ['payments', true],
    ['team-2', true],
  ])('judges %j a team name: %s', (value, expected) => {
    expect(isTeamName(value)).toBe(expected);
  });

  it('keeps the DNS-1123 labels, once each, and drops the rest', () => {
    const filter = new TeamNameFilter(() => undefined);
    expect(filter.keep(['payments', '*', 'a,b', '-', 'team a', 'zespół', 'payments', 'content'])).toEqual([
      'payments',
      'content',
    ]);
  });

  it('reports each distinct refused value once', () => {
    const reports: string[] = [];
    const filter = new TeamNameFilter((message) => reports.push(message));
    filter.keep(['*', 'a,b']);
    filter.keep(['*', 'payments', 'a,b', '-']);
    expect(reports).toEqual([
      expect.stringContaining('"*"'),
      expect.stringContaining('"a,b"'),
      expect.stringContaining('"-"'),
    ]);
  });

  it('remembers a bounded number of refused values, then reports no more', () => {
    const reports: string[] = [];
    const filter = new TeamNameFilter((message) => reports.push(message));
    for (let i = 0; i < 1500; i += 1) filter.keep([`bad team ${i}`]);
    expect(reports).toHaveLength(1000);
    filter.keep(['bad team 0', 'bad team 1200']);
    expect(reports).toHaveLength(1000);
  });

  it('reports a long value cut short', () => {
    const reports: string[] = [];
    new TeamNameFilter((message) => reports.push(message)).keep(['x'.repeat(10_000) + '*']);
    expect(reports[0]?.length).toBeLessThan(300);
  });
});
