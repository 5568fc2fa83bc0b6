import type { PodLogLine } from '@platform/domain';
import { AppLogsState } from './app-logs-state';

const line = (pod: string, container: string, n: number): PodLogLine => ({
  pod,
  container,
  time: `2026-01-01T00:00:0${n}.000000000Z`,
  line: `${pod} ${container} ${n}`,
});

describe(AppLogsState.name, () => {
  function state(): AppLogsState {
    const s = new AppLogsState(10);
    for (const pod of ['web-1', 'web-2'])
      for (const container of ['app', 'proxy']) {
        s.apply({ pod, container, change: 'joined' });
        for (let n = 1; n <= 3; n += 1) s.add(line(pod, container, n));
      }
    return s;
  }

  it.each([
    ['every container', 2, undefined, 8],
    ['one container', 2, 'proxy', 4],
    ['no history', 0, undefined, 0],
  ])('cuts %s: the newest lines per container, oldest first', (_case, tail, container, count) => {
    const view = state().view(tail, undefined, container);
    expect(view.pods).toEqual(['web-1', 'web-2']);
    expect(view.lines).toHaveLength(count);
    expect(view.lines.every((l) => container === undefined || l.container === container)).toBe(true);
    expect(view.lines.map((l) => l.time)).toEqual([...view.lines.map((l) => l.time)].sort());
  });

  it('hands the same view to clients that join while nothing changes, a new one after a line', () => {
    const s = state();
    const first = s.view(2, undefined, 'app');
    expect(s.view(2, undefined, 'app')).toBe(first);
    expect(s.view(3, undefined, 'app')).not.toBe(first);
    s.add(line('web-1', 'app', 4));
    const after = s.view(2, undefined, 'app');
    expect(after).not.toBe(first);
    expect(after.lines.map((l) => l.line)).toContain('web-1 app 4');
  });

  it('cuts views by since afresh (they depend on the clock)', () => {
    const s = state();
    expect(s.view(2, 60, undefined)).not.toBe(s.view(2, 60, undefined));
  });
});
