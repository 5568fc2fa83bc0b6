import type { Principal } from '@platform/service-runtime';
import { taskSelector } from './task-selector';

const caller = (teams: string[], admin = false): Principal => ({
  id: 'alice',
  teams,
  groups: [],
  admin,
  expiresAt: 0,
});

describe(taskSelector.name, () => {
  it("selects the platform's workflows of the caller's teams, with the filters", () => {
    expect(taskSelector({ app: 'shop', type: 'ci', phase: 'Failed' }, caller(['payments', 'content']))).toBe(
      'platform-api/task-type=ci,platform-api/app=shop,platform-api/team in (payments,content),workflows.argoproj.io/phase in (Failed,Error)',
    );
    expect(taskSelector({}, caller([], true))).toBe('platform-api/task-type');
    expect(taskSelector({}, caller([]))).toBeUndefined();
  });

  it.each([['a,b'], ['*'], ['payments) ,x notin (y']])('never lets a team %j add selector terms', (team) => {
    expect(() => taskSelector({}, caller(['payments', team]))).toThrow('not a label value');
  });
});
