import type { AdminRoutes } from '../admin';
import type { SandboxContext } from '../core/sandbox-context';
import { seedRoutes } from './admin-seed.routes';
import { teamRoutes, type TeamOnboarding } from './admin-team.routes';

/**
 * What the sandbox's admin API does for the platform: seeding its apps and onboarding its teams.
 * The composition root hands these to `adminHandler`, so the admin API itself knows no platform.
 */
export function platformAdminRoutes(ctx: SandboxContext, onboarding: TeamOnboarding = {}): AdminRoutes[] {
  return [(router) => seedRoutes(router, ctx), (router) => teamRoutes(router, ctx, onboarding)];
}
