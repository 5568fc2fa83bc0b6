import { KubeConfig } from '@kubernetes/client-node';
import { Injectable } from '@nestjs/common';
import { listAppEvents } from '@platform/k8s';
import type { Principal } from '@platform/service-runtime';
import { AppAccess } from '../access/app-access';
import type { TopicRequest } from '../streams/topic-streams';
import type { AppEvent } from '@platform/domain';
import { appEventOf } from './app-event';
import { appEventsSource } from './events.source';
import { NamespaceEvents } from './namespace-events';

/** Kubernetes events of an app's objects: the shared stream topic and the one-off read. */
@Injectable()
export class EventsService {
  constructor(
    private readonly access: AppAccess,
    private readonly namespaces: NamespaceEvents,
    private readonly kc: KubeConfig,
  ) {}

  async topic(
    app: string,
    principal: Principal,
    environment?: string,
    ref = `events:${app}`,
  ): Promise<TopicRequest> {
    const placement = await this.access.authorize(app, principal, environment);
    return {
      ref,
      // One topic per app and environment: each environment is its own namespace.
      key: `events:${app}@${placement.environment}`,
      source: () => appEventsSource(this.namespaces.of(placement.namespace), app),
      authorize: () => this.access.authorize(app, principal, placement.environment),
    };
  }

  /** The newest `limit` events, newest first. */
  async recent(app: string, principal: Principal, limit: number, environment?: string): Promise<AppEvent[]> {
    const { namespace } = await this.access.authorize(app, principal, environment);
    const events = await listAppEvents(this.kc, {
      namespace,
      names: [app],
      namePrefixes: [`${app}-`],
      limit,
    });
    return events.map(appEventOf);
  }
}
