import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { StoreError } from '../../core/store-errors';
import type { ApplicationObject } from './app-types';

/** Read-modify-write of an Application; undefined when it was deleted meanwhile. */
export function patch(
  ctx: SandboxContext,
  name: string,
  change: (app: ApplicationObject) => void,
): ApplicationObject | undefined {
  try {
    return ctx.store.mutate(Kinds.Application, ctx.config.argocdNamespace, name, (o) => {
      change(o as ApplicationObject);
      // The same source object lands in several places (comparedTo, syncResult, history); stored
      // as one aliased object it would change everywhere when a client edits one of them.
      const plain = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
      for (const key of Object.keys(o)) delete o[key];
      Object.assign(o, plain);
    }) as ApplicationObject;
  } catch (error) {
    if (error instanceof StoreError && error.reason === 'NotFound') return undefined;
    throw error;
  }
}
