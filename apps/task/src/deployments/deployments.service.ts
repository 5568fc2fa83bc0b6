import { Injectable } from '@nestjs/common';
import type { Deployment } from '@platform/domain';
import { ConflictError, NotFoundError, UnprocessableError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';
import { AppDirectory, type ManagedApp } from '../apps/app-directory';
import { AppsService, field, invalidIf } from '../apps/apps.service';
import { TaskConfig } from '../config/task-config';
import type { Accepted } from '../idempotency/idempotent-submissions';
import { DeploymentHistory, MAX_HISTORY } from './deployment-history';
import type { PromotionBody, RollbackBody } from './deployments.dto';

/**
 * The lifecycle of an app's environments beyond a deploy: its history, promotions and rollbacks.
 * Both are cd tasks (GitOps: a commit to the environment's values, then a sync), never Argo CD's
 * own rollback, which an auto-sync would undo.
 */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly directory: AppDirectory,
    private readonly apps: AppsService,
    private readonly history: DeploymentHistory,
    private readonly config: TaskConfig,
  ) {}

  async list(
    app: string,
    principal: Principal,
    environment: string | undefined,
    limit: number,
  ): Promise<Deployment[]> {
    const found = await this.directory.accessible(app, principal);
    const environments =
      environment === undefined
        ? found.environments.map((e) => e.environment)
        : [this.deployed(found, environment)];
    return this.history.list(found, environments, limit);
  }

  /**
   * Deploys to `to` exactly what `from` runs: the digest of `from`'s latest deploy, refused
   * unless `from` is Synced (it runs what its values say) and Healthy.
   */
  async promote(
    app: string,
    body: PromotionBody,
    principal: Principal,
    key: string | undefined,
  ): Promise<Accepted> {
    if (body.from === body.to) invalidIf([field('to', 'must differ from from')]);
    const found = await this.directory.accessible(app, principal);
    const source = found.environments.find((e) => e.environment === this.deployed(found, body.from));
    const status =
      source === undefined ? undefined : await this.directory.applicationStatus(source.application);
    if (status?.sync !== 'Synced' || status.health !== 'Healthy') {
      throw new ConflictError(
        'SOURCE_NOT_READY',
        `cannot promote app "${app}" from ${body.from}: it is ${status?.sync ?? 'Unknown'} and ${status?.health ?? 'Unknown'}; ` +
          'a promotion takes what runs in an environment that is Synced and Healthy',
        { app, environment: body.from, sync: status?.sync ?? null, health: status?.health ?? null },
      );
    }
    const [latest] = (await this.history.list(found, [body.from], MAX_HISTORY)).filter(
      (d) => d.reason !== null,
    );
    if (latest?.tag == null || latest.digest === null) {
      throw new UnprocessableError(
        'NOTHING_TO_PROMOTE',
        `app "${app}" has no deploy to ${body.from} recorded in its manifests repository; deploy a build there first`,
        { app, environment: body.from },
      );
    }
    const digest = latest.digest;
    return this.apps.submitDeploy(found, principal, key, body, {
      environment: body.to,
      tag: latest.tag,
      reason: 'promotion',
      origin: body.from,
      digest: () => Promise.resolve(digest),
    });
  }

  /**
   * Restores an earlier deploy's image (tag and digest) in a new commit, then syncs: a rollback
   * that later syncs keep, because it is what git says.
   */
  async rollback(
    app: string,
    body: RollbackBody,
    principal: Principal,
    key: string | undefined,
  ): Promise<Accepted> {
    const found = await this.directory.accessible(app, principal);
    const environment = this.deployed(found, body.environment);
    const history = await this.history.list(found, [environment], MAX_HISTORY);
    const wanted = body.to;
    const target = history.find(
      (d) => d.task === wanted || (/^[0-9a-f]{7,64}$/.test(wanted) && d.manifestsCommit.startsWith(wanted)),
    );
    if (target === undefined) {
      throw new NotFoundError(
        'DEPLOYMENT_NOT_FOUND',
        `no deploy of app "${app}" to ${environment} is task or commit "${wanted}" among its last ${MAX_HISTORY}; see GET /apps/${app}/deployments?environment=${environment}`,
        { app, environment, to: wanted },
      );
    }
    if (target.tag === null || target.digest === null) {
      throw new UnprocessableError(
        'NOT_A_PLATFORM_DEPLOY',
        `commit ${target.manifestsCommit} of ${app}-manifests was not made by a platform deploy (${JSON.stringify(target.summary)}): it names no image to go back to`,
        { app, environment, manifestsCommit: target.manifestsCommit },
      );
    }
    const digest = target.digest;
    return this.apps.submitDeploy(found, principal, key, body, {
      environment,
      tag: target.tag,
      reason: 'rollback',
      origin: target.manifestsCommit.slice(0, 12),
      digest: () => Promise.resolve(digest),
    });
  }

  /** The environment, when the app is deployed there; 404 naming the ones it has otherwise. */
  private deployed(found: ManagedApp, environment: string): string {
    if (found.environments.some((e) => e.environment === environment)) return environment;
    const names = found.environments.map((e) => e.environment);
    throw new NotFoundError(
      'ENVIRONMENT_NOT_FOUND',
      `app "${found.name}" is not deployed to "${environment}"; its environments: ${names.join(', ') || 'none yet'}`,
      { app: found.name, environment, environments: names, configured: this.config.environments },
    );
  }
}
