import { Injectable } from '@nestjs/common';
import { ArgoCd, ArgoWorkflows, GitServer, type Application } from '@platform/argo-client';
import { ArgoLabels, labelEquals, Labels } from '@platform/domain';
import { NotFoundError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';

/** An app the platform manages: its Argo CD Application carries the app, team and template labels. */
export interface ManagedApp {
  name: string;
  team: string;
  template: string | undefined;
  /** Environments its Argo CD application deploys (from its `values-<env>.yaml` value files). */
  environments: string[];
}

/** Where an app name is already taken. */
export interface AppTraces {
  argocdApplication: boolean;
  /** `<team>/<repo>` of the app's repositories that exist. */
  repositories: string[];
  /** A create task for the name that has not finished. */
  createTask: string | undefined;
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
    private readonly argo: ArgoWorkflows,
    private readonly config: TaskConfig,
  ) {}

  /**
   * The app, if the caller may act on it: 404 when there is no such app, and the same 404 for
   * another team's (its existence is not confirmed, nor its team named).
   */
  async accessible(name: string, principal: Principal): Promise<ManagedApp> {
    const application = await this.application(name);
    const team = application?.metadata.labels?.[Labels.team];
    if (application === undefined || team === undefined || !canAccessTeam(principal, team)) {
      throw new NotFoundError('APP_NOT_FOUND', `app "${name}" not found; create it with POST /apps first`, {
        app: name,
      });
    }
    return {
      name,
      team,
      template: application.metadata.labels?.[Labels.template],
      environments: (application.spec.source?.helm?.valueFiles ?? []).flatMap(
        (file) => /^values-(.+)\.yaml$/.exec(file)?.[1] ?? [],
      ),
    };
  }

  /**
   * Everything that already uses the name, looked up in parallel: the Argo CD Application (app
   * names are global there), the repositories `<team>/<app>` and `<team>/<app>-manifests`, and
   * unfinished create tasks.
   */
  async traces(name: string, team: string): Promise<AppTraces> {
    const repositories = [name, `${name}-manifests`];
    const [application, repos, creates] = await Promise.all([
      this.application(name),
      Promise.all(repositories.map((repo) => this.git.findRepository(team, repo))),
      this.argo.list(this.config.argo.namespace, {
        labelSelector: `${labelEquals(Labels.app, name)},${labelEquals(Labels.taskType, 'create')},${ArgoLabels.completed}!=true`,
        limit: 1,
        fields: 'items.metadata.name',
      }),
    ]);
    return {
      argocdApplication: application !== undefined,
      repositories: repositories.filter((_, i) => repos[i] !== undefined).map((repo) => `${team}/${repo}`),
      createTask: creates.items?.[0]?.metadata.name,
    };
  }

  /** Whether the team has its organization (GitLab: group) on the git server. */
  async hasGitOrganization(team: string): Promise<boolean> {
    return (await this.git.findOrganization(team)) !== undefined;
  }

  private async application(name: string): Promise<Application | undefined> {
    try {
      // With a project Argo CD answers 404 for a missing app (without one, 403 hides existence).
      return await this.argocd.get(name, { project: this.config.argocd.project });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
