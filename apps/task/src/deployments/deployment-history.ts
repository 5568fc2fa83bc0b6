import { Injectable } from '@nestjs/common';
import { GitServer } from '@platform/argo-client';
import type { Deployment } from '@platform/domain';
import type { ManagedApp } from '../apps/app-directory';
import { TaskConfig } from '../config/task-config';
import { deploymentOf } from './deployment-trailers';

/** The most a history read returns per environment: one page of the git server's commit list. */
export const MAX_HISTORY = 50;

/**
 * The deployment history of an app, read from its manifests repository: every commit to an
 * environment's `chart/values-<env>.yaml` on main, newest first. It outlives the cd workflows
 * (Argo garbage-collects them) and Argo CD's own history (revisionHistoryLimit).
 */
@Injectable()
export class DeploymentHistory {
  constructor(
    private readonly git: GitServer,
    private readonly config: TaskConfig,
  ) {}

  async list(app: ManagedApp, environments: readonly string[], limit = MAX_HISTORY): Promise<Deployment[]> {
    const repository = `${this.config.registry.host}/${app.team}/${app.name}`;
    const perEnvironment = await Promise.all(
      environments.map(async (environment) => {
        const commits = await this.git.fileHistory(app.team, `${app.name}-manifests`, {
          path: `chart/values-${environment}.yaml`,
          ref: 'main',
          limit,
        });
        return commits.map((c) =>
          deploymentOf(
            { sha: c.sha, message: c.message, committedAt: c.committedAt },
            environment,
            repository,
          ),
        );
      }),
    );
    return perEnvironment
      .flat()
      .sort((a, b) => b.committedAt.localeCompare(a.committedAt))
      .slice(0, limit);
  }
}
