import { randomBytes } from 'node:crypto';
import type { KubeObject } from './kube-object';
import type { ObjectStore } from './object-store';
import { Kinds } from './resource-kinds';
import { kubeTime, microTime } from './sim-clock';

export type EventType = 'Normal' | 'Warning';

/**
 * Writes core/v1 Events about objects the way kubelet and controllers do: the same object,
 * reason and message again bumps `count` and `lastTimestamp` instead of creating a new Event.
 */
export class EventRecorder {
  private readonly aggregated = new Map<string, string>();

  constructor(private readonly store: ObjectStore) {}

  record(
    involved: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    component: string,
  ): KubeObject {
    const namespace = involved.metadata.namespace ?? 'default';
    const now = new Date();
    const aggregateKey = `${involved.metadata.uid ?? ''}/${reason}/${message}`;
    const existingName = this.aggregated.get(aggregateKey);
    if (existingName !== undefined && this.store.get(Kinds.Event, namespace, existingName) !== undefined) {
      return this.store.mutate(Kinds.Event, namespace, existingName, (event) => {
        event.count = Number(event.count ?? 1) + 1;
        event.lastTimestamp = kubeTime(now);
      });
    }
    const name = `${involved.metadata.name ?? 'object'}.${randomBytes(8).toString('hex')}`;
    this.aggregated.set(aggregateKey, name);
    return this.store.create(Kinds.Event, {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: kubeTime(now),
      lastTimestamp: kubeTime(now),
      eventTime: microTime(now),
      reportingComponent: component,
      reportingInstance: `${component}-sandbox`,
      source: { component },
    });
  }

  clear(): void {
    this.aggregated.clear();
  }
}
