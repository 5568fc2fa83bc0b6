import { busyNanos } from './busy-time';

describe(busyNanos.name, () => {
  it('counts overlapping intervals once and gaps not at all', () => {
    expect(
      busyNanos([
        [0, 60],
        [10, 60],
        [60, 100],
        [150, 160],
      ]),
    ).toBe(110);
  });

  it('handles intervals in any order, nested ones and none', () => {
    expect(
      busyNanos([
        [50, 70],
        [0, 100],
        [20, 30],
      ]),
    ).toBe(100);
    expect(busyNanos([])).toBe(0);
  });
});
