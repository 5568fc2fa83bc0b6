import type { Application } from '@platform/argo-client';

/** What the portal shows of an app's deployment: Argo CD's view, trimmed to what it renders. */
export interface AppStatus {
  app: string;
  sync: { status: string; revision: string | null };
  health: { status: string; message: string | null };
  operation: {
    phase: string;
    message: string | null;
    revision: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  } | null;
  resources: Array<{
    kind: string;
    namespace: string | null;
    name: string;
    status: string | null;
    health: string | null;
    healthMessage: string | null;
  }>;
  images: string[];
  reconciledAt: string | null;
}

/** The AppStatus of an Application; fields Argo CD has not written yet read as Unknown or null. */
export function appStatusOf(application: Application): AppStatus {
  const status = application.status ?? {};
  const operation = status.operationState;
  return {
    app: application.metadata.name ?? '',
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
