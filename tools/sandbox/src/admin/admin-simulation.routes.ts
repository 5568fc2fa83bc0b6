import type { Router } from '../core/http-kit';
import { readJson, sendJson } from '../core/http-kit';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { StoreError } from '../core/store-errors';
import { createTeamOrganization } from '../git/team-organization';
import type { RegistryCredential } from '../registry/client/docker-config';
import { onboardRegistryTeam, teamRegistrySecret } from '../registry/registry-onboarding';
import { CRASH_ANNOTATION, type DeploymentObject } from '../workloads/workload-types';
import { AdminError, FieldChecker, objectBody } from './admin-errors';

export interface AdminHooks {
  /** Replaces the default reset (clearing the stores) when the sandbox needs to restart its controllers too. */
  reset?: () => Promise<void>;
  /**
   * Applies the team chart (deploy/team: the team's AppProject and namespaces) for a team
   * onboarded later, when the sandbox was started with one; returns `Kind/name` of each object.
   */
  onboardTeamChart?: (team: string) => Promise<string[]>;
}

const TEAM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Simulated time, resets, the crash knob, the registry's content, and onboarding a team the way
 * the platform team does for each new team: `PUT /admin/teams/{team}` creates its git
 * organization, its registry project and (with `--team-chart`) its AppProject and namespaces (as
 * `--git-orgs`, `--registry-teams` and `--team-chart` do at start);
 * `PUT /admin/registry/teams/{team}` the registry part alone (its private project, its robot and
 * Secret).
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
    })
    .on('PUT', '/admin/registry/teams/:team', (_req, res, params) => {
      const team = params.team ?? '';
      if (!TEAM.test(team)) {
        throw AdminError.invalid([{ field: 'team', message: 'must be a DNS label (a Harbor project name)' }]);
      }
      if (ctx.config.registryAuth !== 'harbor') {
        throw new AdminError(
          409,
          'NO_REGISTRY_AUTH',
          'the registry runs without auth: there are no projects',
        );
      }
      sendJson(res, 200, { team, ...registryTeam(ctx, team) });
    })
    .on('PUT', '/admin/teams/:team', async (_req, res, params) => {
      const team = params.team ?? '';
      if (!TEAM.test(team)) {
        throw AdminError.invalid([
          { field: 'team', message: 'must be a DNS label (a git organization and registry project name)' },
        ]);
      }
      createTeamOrganization(ctx, team);
      // A registry without auth has no projects: anyone may push there already.
      const registry = ctx.config.registryAuth === 'harbor' ? registryTeam(ctx, team) : null;
      const argocd = hooks.onboardTeamChart === undefined ? null : await hooks.onboardTeamChart(team);
      sendJson(res, 200, { team, gitOrganization: team, registry, argocd });
    });
}

/** Onboards `team` in the registry (idempotent): its project, robot and the robot's Secret. */
function registryTeam(
  ctx: SandboxContext,
  team: string,
): { project: string; robot: RegistryCredential; secret: string } {
  const robot = onboardRegistryTeam(ctx, team);
  return { project: team, robot, secret: teamRegistrySecret(team) };
}
