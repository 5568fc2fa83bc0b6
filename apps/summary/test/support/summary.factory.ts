import type { EnvironmentSummary } from '@platform/domain';
import type { StoredSummary } from '../../src/fold/stored-summary';

/** An AppSummary as the collector writes it (no stale fields), with overrides. */
export function summaryFactory(overrides: Partial<StoredSummary> & { app: string }): StoredSummary {
  return {
    team: 'payments',
    template: 'go-service',
    repos: { source: null, manifests: null },
    build: null,
    deploy: null,
    sync: { status: 'Synced', revision: null, operation: null },
    health: { status: 'Healthy', message: null },
    images: [],
    pods: { ready: 1, total: 1, restarts: 0 },
    lastWarning: null,
    lastActivityAt: null,
    observedAt: {
      app: null,
      build: null,
      deploy: null,
      sync: null,
      health: null,
      pods: null,
      rollout: null,
      lastWarning: null,
    },
    ...overrides,
  };
}

/** One environment of an AppSummary (as `<app>-<environment>` in `<team>-<environment>`), with overrides. */
export function environmentFactory(
  app: string,
  environment: string,
  overrides: Partial<EnvironmentSummary> = {},
): EnvironmentSummary {
  return {
    application: `${app}-${environment}`,
    namespace: `payments-${environment}`,
    deploy: null,
    sync: { status: 'Synced', revision: null, operation: null },
    health: { status: 'Healthy', message: null },
    images: [],
    pods: { ready: 1, total: 1, restarts: 0 },
    rollout: null,
    lastActivityAt: null,
    ...overrides,
  };
}
