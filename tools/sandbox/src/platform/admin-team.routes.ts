import type { Router } from '../core/http-kit';
import { sendJson } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { AdminError } from '../admin/admin-errors';
import type { RegistryCredential } from '../registry/client/docker-config';
import { onboardRegistryTeam, teamRegistrySecret } from './registry-onboarding';
import { createTeamOrganization } from './team-organization';

const TEAM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface TeamOnboarding {
  /**
   * Applies the team chart (deploy/team: the team's AppProject and namespaces) for a team
   * onboarded later, when the sandbox was started with one; returns `Kind/name` of each object.
   */
  onboardTeamChart?: (team: string) => Promise<string[]>;
}

/**
 * Onboarding a team the way the platform team does for each new team: `PUT /admin/teams/{team}`
 * creates its git organization, its registry project and (with `--team-chart`) its AppProject and
 * namespaces (as `--git-orgs`, `--registry-teams` and `--team-chart` do at start);
 * `PUT /admin/registry/teams/{team}` the registry part alone (its private project, its robot and
 * Secret).
 */
export function teamRoutes(router: Router, ctx: SandboxContext, onboarding: TeamOnboarding): void {
  router
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
      const argocd =
        onboarding.onboardTeamChart === undefined ? null : await onboarding.onboardTeamChart(team);
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
