import { planRollout, rollingParameters } from '../../src/kubernetes/controllers/rollout-plan';
import type { DeploymentSpec } from '../../src/kubernetes/controllers/workload-types';

const spec = (replicas: number, strategy?: DeploymentSpec['strategy']): DeploymentSpec => ({
  replicas,
  template: { spec: { containers: [{ name: 'main', image: 'x' }] } },
  strategy,
});
const rs = (name: string, replicas: number, available: number, pods = replicas) => ({
  name,
  replicas,
  available,
  pods,
});

describe(planRollout.name, () => {
  it.each([
    // [case, desired, new rs, old rs, expected {new, old}]
    ['first rollout scales straight up', 3, rs('n', 0, 0), [], { n: 3 }],
    [
      'surge adds one new pod, no old pod goes before it is ready',
      2,
      rs('n', 0, 0),
      [rs('o', 2, 2)],
      { n: 1, o: 2 },
    ],
    ['one new pod ready lets one old pod go', 2, rs('n', 1, 1), [rs('o', 2, 2)], { n: 1, o: 1 }],
    ['the new set grows as old ones shrink', 2, rs('n', 1, 1), [rs('o', 1, 1)], { n: 2, o: 1 }],
    ['all new ready: the old set goes to zero', 2, rs('n', 2, 2), [rs('o', 1, 1)], { n: 2, o: 0 }],
    ['a stuck new pod keeps every old pod', 2, rs('n', 1, 0), [rs('o', 2, 2)], { n: 1, o: 2 }],
    ['unhealthy old pods go first', 4, rs('n', 1, 0), [rs('o', 4, 2)], { n: 1, o: 3 }],
    ['scaling down trims the new set', 1, rs('n', 3, 3), [], { n: 1 }],
  ])('%s', (_case, desired, newRs, oldRs, expected) => {
    expect(Object.fromEntries(planRollout({ spec: spec(desired), newRs, oldRs }))).toEqual(expected);
  });

  it('recreates: old sets to zero first, then the new set once no old pod is left', () => {
    const recreate = spec(2, { type: 'Recreate' });
    expect(
      Object.fromEntries(planRollout({ spec: recreate, newRs: rs('n', 0, 0), oldRs: [rs('o', 2, 2)] })),
    ).toEqual({ n: 0, o: 0 });
    expect(
      Object.fromEntries(planRollout({ spec: recreate, newRs: rs('n', 0, 0), oldRs: [rs('o', 0, 0)] })),
    ).toEqual({ n: 2, o: 0 });
  });

  it('resolves percentages like the Deployment controller (surge up, unavailable down)', () => {
    expect(rollingParameters(spec(10), 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(rollingParameters(spec(1, { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }), 1)).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });
});
