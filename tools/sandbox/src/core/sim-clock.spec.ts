import { SimClock } from './sim-clock';

describe('SimClock', () => {
  afterEach(() => jest.useRealTimers());

  it('counts simulated time at the speed each stretch ran at', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const clock = new SimClock(10);
    jest.advanceTimersByTime(1_000);
    clock.speed = 2;
    jest.advanceTimersByTime(500);
    expect(clock.elapsedMs()).toBe(10_000 + 1_000);
  });

  it('never fires a timer longer than Node can wait at once: 2^31-1 ms is as good as never', () => {
    jest.useFakeTimers();
    const clock = new SimClock(1);
    const fired = jest.fn();
    clock.after(2 ** 31 * 1000, fired);
    jest.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
    clock.cancelAll();
  });
});
