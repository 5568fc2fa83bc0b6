import type { Application } from './argocd-api';
import { HealthTransitions } from './argocd-health-transitions';

const app = (...health: Array<string | undefined>): Application => ({
  metadata: { name: 'web' },
  status: {
    resources: health.map((status, i) => ({
      group: 'apps',
      kind: 'Deployment',
      namespace: 'web-dev',
      name: `web-${i}`,
      ...(status !== undefined ? { health: { status } } : {}),
    })),
  },
});

describe('HealthTransitions (what argocd app wait --health remembers between looks)', () => {
  it('fails on a resource that turns Degraded from a health it had', () => {
    const t = new HealthTransitions();
    expect(t.degraded(app('Progressing', 'Healthy'), 'web')).toBeUndefined();
    expect(t.degraded(app('Degraded', 'Healthy'), 'web')).toBe(
      "application 'web' health state has transitioned from Progressing to Degraded",
    );
  });

  it('lets be what was Degraded or Unknown at first, and what it sees for the first time', () => {
    const t = new HealthTransitions();
    expect(t.degraded(app('Degraded', 'Unknown'), 'web')).toBeUndefined();
    expect(t.degraded(app('Degraded', 'Degraded', 'Degraded'), 'web')).toBeUndefined();
  });

  it('keeps the last known health when a look has none, as the CLI merges states', () => {
    const t = new HealthTransitions();
    t.degraded(app('Healthy'), 'web');
    expect(t.degraded(app(undefined), 'web')).toBeUndefined();
    expect(t.degraded(app('Degraded'), 'web')).toMatch(/from Healthy to Degraded$/);
  });
});
