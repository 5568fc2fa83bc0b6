import type { Router } from '../core/http-kit';
import { readJson, sendJson } from '../core/http-kit';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { StoreError } from '../core/store-errors';
import { CRASH_ANNOTATION, type DeploymentObject } from '../kubernetes/controllers/workload-types';
import { AdminError, FieldChecker, objectBody } from './admin-errors';

export interface AdminHooks {
  /** Replaces the default reset (clearing the stores) when the sandbox needs to restart its controllers too. */
  reset?: () => Promise<void>;
}

/**
 * Simulated time, resets, the crash knob and the registry's content. Onboarding a team is the
 * platform's business: platform/admin-team.routes.ts.
 */
export function simulationRoutes(router: Router, ctx: SandboxContext, hooks: AdminHooks): void {
  router
    .on('GET', '/admin/speed', (_req, res) => sendJson(res, 200, { factor: ctx.clock.speed }))
    .on('PUT', '/admin/speed', async (req, res) => {
      const check = new FieldChecker(objectBody(await readJson(req)), ['factor']);
      const factor = check.body.factor;
      const valid = typeof factor === 'number' && Number.isFinite(factor) && factor > 0;
      if (!valid) check.problem('factor', 'must be a number greater than 0');
      check.done();
      ctx.clock.speed = valid ? factor : ctx.clock.speed;
      sendJson(res, 200, { factor: ctx.clock.speed });
    })
    .on('POST', '/admin/reset', async (_req, res) => {
      if (hooks.reset !== undefined) {
        await hooks.reset();
      } else {
        ctx.store.clear();
        ctx.logs.clear();
        ctx.registry.clear();
        ctx.events.clear();
        ctx.faults.clear();
      }
      sendJson(res, 200, { reset: true, resourceVersion: ctx.store.resourceVersion });
    })
    .on('POST', '/admin/apps/:namespace/:deployment/crash', async (req, res, params) => {
      const check = new FieldChecker(objectBody(await readJson(req), true), ['crash']);
      const crash = check.boolean('crash') ?? true;
      check.done();
      const namespace = params.namespace ?? '';
      const name = params.deployment ?? '';
      try {
        ctx.store.mutate(Kinds.Deployment, namespace, name, (object) => {
          const template = (object as DeploymentObject).spec.template;
          const annotations = { ...(template.metadata?.annotations ?? {}) };
          if (crash) annotations[CRASH_ANNOTATION] = 'true';
          else delete annotations[CRASH_ANNOTATION];
          template.metadata = { ...template.metadata, annotations };
        });
      } catch (error) {
        if (error instanceof StoreError && error.reason === 'NotFound') {
          throw AdminError.notFound(`deployment "${name}" not found in namespace "${namespace}"`);
        }
        throw error;
      }
      sendJson(res, 200, { namespace, deployment: name, crash });
    })
    .on('GET', '/admin/registry', (_req, res) => {
      const images = ctx.registry.list().map((i) => ({ ...i, pushedAt: i.pushedAt.toISOString() }));
      sendJson(res, 200, { images });
    });
}
