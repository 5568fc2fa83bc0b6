import { Injectable } from '@nestjs/common';
import { ArgoCd, type Application } from '@platform/argo-client';
import {
  appEnvironments,
  appTeam,
  isApplicationOf,
  labelEquals,
  Labels,
  type AppEnvironment,
} from '@platform/domain';
import { NotFoundError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';

/** Where one environment of an app runs and whose the app is, as its Argo CD Applications say. */
export interface AppPlacement extends AppEnvironment {
  app: string;
  team: string;
}

/**
 * Authorization per app: the team is the `platform-api/team` label (and AppProject) of the app's
 * Argo CD Applications, one per environment; a caller sees the apps of their teams (admins all),
 * and another team's app is as unknown as a missing one (404). Checked when a stream opens, and
 * again while it stays open.
 */
@Injectable()
export class AppAccess {
  constructor(private readonly argocd: ArgoCd) {}

  /**
   * The environment asked for, or without one the app's first: the environment of its oldest
   * Application, where create-app put it.
   */
  async authorize(app: string, principal: Principal, environment?: string): Promise<AppPlacement> {
    const applications = await this.applicationsOf(app);
    const team = appTeam(applications);
    if (team === undefined || !canAccessTeam(principal, team)) throw appNotFound(app);
    const environments = appEnvironments(app, applications);
    const chosen =
      environment === undefined
        ? environments.find((e) => e.application === oldest(applications)?.metadata.name)
        : environments.find((e) => e.environment === environment);
    if (chosen === undefined) throw environmentNotFound(app, environment, environments);
    return { app, team, ...chosen };
  }

  private async applicationsOf(app: string): Promise<Application[]> {
    const found = await this.argocd.list({ selector: labelEquals(Labels.app, app) });
    return found.filter((a) => isApplicationOf(a.metadata.labels, app));
  }
}

function oldest(applications: Application[]): Application | undefined {
  return [...applications].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  )[0];
}

export function appNotFound(app: string, cause?: unknown): NotFoundError {
  return new NotFoundError('APP_NOT_FOUND', `app "${app}" not found`, { app }, { cause });
}

function environmentNotFound(
  app: string,
  environment: string | undefined,
  environments: AppEnvironment[],
): NotFoundError {
  const names = environments.map((e) => e.environment);
  return new NotFoundError(
    'ENVIRONMENT_NOT_FOUND',
    `app "${app}" is not deployed to ${environment === undefined ? 'any environment' : `"${environment}"`}; ` +
      (names.length === 0 ? 'it has no environment yet' : `its environments: ${names.join(', ')}`),
    { app, environment: environment ?? null, environments: names },
  );
}
