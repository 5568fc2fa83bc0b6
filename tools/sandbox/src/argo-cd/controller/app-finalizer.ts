import type { SandboxContext } from '../../core/sandbox-context';
import { StoreError } from '../../core/store-errors';
import { kindOf, trackedObjects } from './app-compare';
import { RESOURCES_FINALIZER, type ApplicationObject } from '../shared/app-types';
import { patch } from '../shared/app-patch';

/**
 * Cascading deletion: an Application being deleted with the resources finalizer (or its
 * `/foreground` and `/background` variants) first deletes every object it tracks, then drops the
 * finalizer so the store lets the Application go.
 */
export function finalizeDeletion(ctx: SandboxContext, app: ApplicationObject): void {
  const name = app.metadata.name ?? '';
  const ours = (f: string) => f === RESOURCES_FINALIZER || f.startsWith(`${RESOURCES_FINALIZER}/`);
  if (!(app.metadata.finalizers ?? []).some(ours)) return;
  for (const live of trackedObjects(ctx, name)) {
    const kind = kindOf(live);
    if (kind === undefined) continue;
    try {
      ctx.store.delete(kind, live.metadata.namespace, live.metadata.name ?? '');
    } catch (error) {
      if (!(error instanceof StoreError && error.reason === 'NotFound')) throw error;
    }
  }
  patch(ctx, name, (a) => (a.metadata.finalizers = (a.metadata.finalizers ?? []).filter((f) => !ours(f))));
}
