import type { KubeObject } from '../core/kube-object';
import { INSTANCE_LABEL, TRACKING_ANNOTATION } from './app-types';

/** `<app>:<group>/<kind>:<namespace>/<name>`, the value Argo CD's annotation tracking writes. */
export function trackingId(app: string, object: KubeObject): string {
  const group = groupOf(object.apiVersion ?? '');
  return `${app}:${group}/${object.kind ?? ''}:${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** Marks an object as the app's: the tracking annotation, and the instance label. */
export function trackObject(object: KubeObject, app: string): KubeObject {
  object.metadata.labels = { ...object.metadata.labels, [INSTANCE_LABEL]: app };
  object.metadata.annotations = {
    ...object.metadata.annotations,
    [TRACKING_ANNOTATION]: trackingId(app, object),
  };
  return object;
}

/** True when the live object's tracking annotation says it belongs to `app`. */
export function isTrackedBy(object: KubeObject, app: string): boolean {
  return object.metadata.annotations?.[TRACKING_ANNOTATION]?.startsWith(`${app}:`) === true;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}
