import type { Application } from '@platform/argo-client';
import type { AppStatus } from '@platform/domain';

/**
 * The AppStatus of an app's environment from its Application; fields Argo CD has not written yet
 * read as Unknown or null.
 */
export function appStatusOf(
  application: Application,
  placement: { app: string; environment: string },
): AppStatus {
  const status = application.status ?? {};
  const operation = status.operationState;
  return {
    app: placement.app,
    environment: placement.environment,
    application: application.metadata.name ?? '',
    sync: { status: status.sync?.status || 'Unknown', revision: status.sync?.revision ?? null },
    health: { status: status.health?.status ?? 'Unknown', message: status.health?.message ?? null },
    operation:
      operation === undefined
        ? null
        : {
            phase: operation.phase,
            message: operation.message ?? null,
            revision: operation.syncResult?.revision ?? null,
            startedAt: operation.startedAt ?? null,
            finishedAt: operation.finishedAt ?? null,
          },
    resources: (status.resources ?? []).map((r) => ({
      kind: r.kind ?? '',
      namespace: r.namespace ?? null,
      name: r.name ?? '',
      status: r.status ?? null,
      health: r.health?.status ?? null,
      healthMessage: r.health?.message ?? null,
    })),
    images: status.summary?.images ?? [],
    reconciledAt: status.reconciledAt ?? null,
  };
}
