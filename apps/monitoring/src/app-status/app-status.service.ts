import { Injectable } from '@nestjs/common';
import { ArgoCd } from '@platform/argo-client';
import { NotFoundError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';
import { AppAccess, appNotFound } from '../access/app-access';
import type { TopicRequest } from '../streams/topic-streams';
import type { AppStatus } from '@platform/domain';
import { appStatusOf } from './app-status';
import { appStatusSource } from './app-status.source';

/** An app's Argo CD status: the shared stream topic and the one-off read. */
@Injectable()
export class AppStatusService {
  constructor(
    private readonly argocd: ArgoCd,
    private readonly access: AppAccess,
  ) {}

  async topic(
    app: string,
    principal: Principal,
    environment?: string,
    ref = `status:${app}`,
  ): Promise<TopicRequest> {
    const placement = await this.access.authorize(app, principal, environment);
    return {
      ref,
      // One topic per app and environment: each environment is its own Application.
      key: `status:${app}@${placement.environment}`,
      source: () => appStatusSource(this.argocd, placement),
      authorize: () => this.access.authorize(app, principal, placement.environment),
    };
  }

  async current(app: string, principal: Principal, environment?: string): Promise<AppStatus> {
    const placement = await this.access.authorize(app, principal, environment);
    try {
      return appStatusOf(await this.argocd.get(placement.application), placement);
    } catch (error) {
      throw error instanceof NotFoundError ? appNotFound(app, error) : error;
    }
  }
}
