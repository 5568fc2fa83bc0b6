import { Injectable } from '@nestjs/common';
import { ArgoCd, GitServer, type Application } from '@platform/argo-client';
import {
  appEnvironments,
  applicationName,
  appTeam,
  isApplicationOf,
  labelEquals,
  Labels,
  type AppEnvironment,
} from '@platform/domain';
import { ForbiddenError, NotFoundError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';
import { AppActivity } from '../tasks/app-activity';

/**
 * An app the platform manages: one Argo CD Application per environment, each labelled with the
 * app, team and template.
 */
export interface ManagedApp {
  name: string;
  team: string;
  template: string | undefined;
  /** The environments it is deployed to, each with its Application and namespace. */
  environments: AppEnvironment[];
}

/** Where an app name is already taken. */
export interface AppTraces {
  argocdApplication: boolean;
  /** `<team>/<repo>` of the app's repositories that exist. */
  repositories: string[];
  /** A create task for the name that has not finished. */
  createTask: string | undefined;
  /** A delete task of an app of that name that has not finished: the name is free once it succeeds. */
  deleteTask: string | undefined;
}

/**
 * What exists of an app, upstream: the Argo CD Application is the app's record (team, template);
 * git repositories and unfinished create tasks also claim a name.
 */
@Injectable()
export class AppDirectory {
  constructor(
    private readonly argocd: ArgoCd,
    private readonly git: GitServer,
    private readonly activity: AppActivity,
    private readonly config: TaskConfig,
  ) {}

  /**
   * The app, if the caller may act on it: 404 when there is no such app, and the same 404 for
   * another team's (its existence is not confirmed, nor its team named).
   */
  async accessible(name: string, principal: Principal): Promise<ManagedApp> {
    const applications = await this.applicationsOf(name);
    const team = appTeam(applications);
    if (team === undefined || !canAccessTeam(principal, team)) {
      throw new NotFoundError('APP_NOT_FOUND', `app "${name}" not found; create it with POST /apps first`, {
        app: name,
      });
    }
    return {
      name,
      team,
      template: applications.find((a) => a.metadata.labels?.[Labels.template] !== undefined)?.metadata
        .labels?.[Labels.template],
      environments: appEnvironments(name, applications),
    };
  }

  /**
   * Everything that already uses the name, looked up in parallel: Argo CD Applications of the app
   * or named like one of its environments' would be (names are global there), the repositories
   * `<team>/<app>` and `<team>/<app>-manifests`, and unfinished create tasks.
   */
  async traces(name: string, team: string): Promise<AppTraces> {
    const repositories = [name, `${name}-manifests`];
    const [labelled, named, repos, claims] = await Promise.all([
      this.applicationsOf(name),
      Promise.all(
        [name, ...this.config.environments.map((env) => applicationName(name, env))].map((n) =>
          this.application(n),
        ),
      ),
      Promise.all(repositories.map((repo) => this.git.findRepository(team, repo))),
      this.activity.unfinished(name, ['create', 'delete']),
    ]);
    return {
      argocdApplication: labelled.length > 0 || named.some((a) => a !== undefined),
      repositories: repositories
        .filter((repo, i) => isNamed(repos[i], repo))
        .map((repo) => `${team}/${repo}`),
      createTask: claims.find((t) => t.type === 'create')?.id,
      deleteTask: claims.find((t) => t.type === 'delete')?.id,
    };
  }

  /** Whether the team has its organization (GitLab: group) on the git server. */
  async hasGitOrganization(team: string): Promise<boolean> {
    return (await this.git.findOrganization(team)) !== undefined;
  }

  /**
   * Whether the team has its Argo CD AppProject (named like the team), which create-app puts
   * the team's apps in. An account that may not read projects is the platform's misconfiguration:
   * that ForbiddenError goes on (a 502).
   */
  async hasArgoCdProject(team: string): Promise<boolean> {
    try {
      await this.argocd.getProject(team);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** What Argo CD says of an environment's Application now (its sync and health). */
  async applicationStatus(name: string): Promise<{ sync: string; health: string } | undefined> {
    const application = await this.application(name);
    return (
      application && {
        sync: application.status?.sync?.status || 'Unknown',
        health: application.status?.health?.status ?? 'Unknown',
      }
    );
  }

  /** The app's Applications, one per environment, found by their app label. */
  private async applicationsOf(app: string): Promise<Application[]> {
    const found = await this.argocd.list({ selector: labelEquals(Labels.app, app) });
    return found.filter((a) => isApplicationOf(a.metadata.labels, app));
  }

  /**
   * The Application of that name in any project: names are global in Argo CD, so a name taken
   * in another team's project is taken. Asked without a project, Argo CD answers a missing app
   * with the very 403 it gives an app the caller may not read ("permission denied", so that
   * nobody learns which names exist); the services' account may get every application
   * (`applications, get` on every project and app), so for it that 403 means there is none.
   */
  private async application(name: string): Promise<Application | undefined> {
    try {
      return await this.argocd.get(name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      if (error instanceof ForbiddenError && error.message === ARGOCD_PERMISSION_DENIED) return undefined;
      throw error;
    }
  }
}

/**
 * Whether the git server found the repository under the name asked for. A renamed repository
 * (a retired app's, archived) leaves its old name redirecting to the new one: Gitea answers the
 * old name with a 301 (which the Gitea client reads as no repository), GitLab with the project
 * under its new path. The old name is free then, as both servers let a new repository take it.
 */
function isNamed(repo: { name: string } | undefined, name: string): boolean {
  return repo !== undefined && repo.name.toLowerCase() === name.toLowerCase();
}

/** Argo CD's whole message for an app it will not confirm exists (`argocommon.PermissionDeniedAPIError`). */
const ARGOCD_PERMISSION_DENIED = 'permission denied';
