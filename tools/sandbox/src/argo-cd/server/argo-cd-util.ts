import type { KubeObject } from '../../core/kube-object';
import type { SandboxContext } from '../../core/sandbox-context';

export { parseBool } from '../../grpc-gateway';

/** Component name on the Events the API server records about Applications. */
export const SERVER_COMPONENT = 'argocd-server';

/** `logAppEvent`: a Normal Event on the Application, as the API server records user actions. */
export function recordAppEvent(ctx: SandboxContext, app: KubeObject, reason: string, message: string): void {
  ctx.events.record(app, 'Normal', reason, message, SERVER_COMPONENT);
}

/** The app's sources (`spec.sources`, else `spec.source`). */
export function sourcesOf(
  app: KubeObject,
): Array<{ repoURL?: string; targetRevision?: string; path?: string }> {
  const spec = (app.spec ?? {}) as { source?: unknown; sources?: unknown };
  if (Array.isArray(spec.sources)) return spec.sources as Array<{ repoURL?: string }>;
  return spec.source === undefined || spec.source === null ? [] : [spec.source];
}

/** Deep equality of JSON values, independent of key order (Go's reflect.DeepEqual on decoded structs). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(normalizeEmpty(a)) === canonical(normalizeEmpty(b));
}

function normalizeEmpty(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
  return value;
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)),
          )
        : v,
    ) ?? 'undefined'
  );
}
