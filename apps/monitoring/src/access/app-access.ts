import { Injectable } from '@nestjs/common';
import { ArgoCd, type Application } from '@platform/argo-client';
import { Labels } from '@platform/domain';
import { ForbiddenError, NotFoundError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';

/** Where an app runs and whose it is, as its Argo CD Application says. */
export interface AppPlacement {
  app: string;
  team: string | null;
  /** The namespace its workload is deployed to (the Application's destination). */
  namespace: string;
}

/**
 * Authorization per app: the team is the `platform-api/team` label of the app's Argo CD
 * Application; a caller sees the apps of their teams (admins all), and another team's app is as
 * unknown as a missing one (404). Checked when a stream opens, and again while it stays open.
 */
@Injectable()
export class AppAccess {
  constructor(private readonly argocd: ArgoCd) {}

  async authorize(app: string, principal: Principal): Promise<AppPlacement> {
    const placement = placementOf(app, await this.application(app));
    if (!canAccessTeam(principal, placement.team)) throw appNotFound(app);
    return placement;
  }

  private async application(app: string): Promise<Application> {
    try {
      return await this.argocd.get(app);
    } catch (error) {
      // Argo CD answers 403 for an app that does not exist, so as not to leak names.
      if (error instanceof NotFoundError || error instanceof ForbiddenError) throw appNotFound(app, error);
      throw error;
    }
  }
}

export function appNotFound(app: string, cause?: unknown): NotFoundError {
  return new NotFoundError('APP_NOT_FOUND', `app "${app}" not found`, { app }, { cause });
}

function placementOf(app: string, application: Application): AppPlacement {
  return {
    app,
    team: application.metadata.labels?.[Labels.team] ?? null,
    namespace: application.spec.destination?.namespace ?? '',
  };
}
