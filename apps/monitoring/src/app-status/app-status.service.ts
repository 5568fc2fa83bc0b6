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

  async topic(app: string, principal: Principal, ref = `status:${app}`): Promise<TopicRequest> {
    await this.access.authorize(app, principal);
    return {
      ref,
      key: `status:${app}`,
      source: () => appStatusSource(this.argocd, app),
      authorize: () => this.access.authorize(app, principal),
    };
  }

  async current(app: string, principal: Principal): Promise<AppStatus> {
    await this.access.authorize(app, principal);
    try {
      return appStatusOf(await this.argocd.get(app));
    } catch (error) {
      throw error instanceof NotFoundError ? appNotFound(app, error) : error;
    }
  }
}
