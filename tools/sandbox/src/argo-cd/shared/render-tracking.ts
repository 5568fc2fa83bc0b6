import type { KubeObject } from '../../core/kube-object';
import { TRACKING_ANNOTATION } from './app-types';

/**
 * `<app>:<group>/<kind>:<namespace>/<name>`, the value Argo CD's annotation tracking writes; an
 * object without a namespace gets the destination namespace (`UnstructuredToAppInstanceValue`).
 */
export function trackingId(app: string, object: KubeObject, defaultNamespace = ''): string {
  const group = groupOf(object.apiVersion ?? '');
  const namespace = object.metadata.namespace ?? defaultNamespace;
  return `${app}:${group}/${object.kind ?? ''}:${namespace}/${object.metadata.name ?? ''}`;
}

/**
 * Marks an object as the app's the way Argo CD v3 does by default (`resourceTrackingMethod:
 * annotation`, argo-cd `util/argo/resource_tracking.go` SetAppInstance): the tracking annotation
 * only, no `app.kubernetes.io/instance` label. CustomResourceDefinitions are left unmarked.
 */
export function trackObject(object: KubeObject, app: string, defaultNamespace = ''): KubeObject {
  if (
    object.kind === 'CustomResourceDefinition' &&
    groupOf(object.apiVersion ?? '') === 'apiextensions.k8s.io'
  )
    return object;
  object.metadata.annotations = {
    ...object.metadata.annotations,
    [TRACKING_ANNOTATION]: trackingId(app, object, defaultNamespace),
  };
  return object;
}

/** The app a live object's tracking annotation names, if it has a well-formed one. */
export function trackingAppOf(object: KubeObject): string | undefined {
  const value = object.metadata.annotations?.[TRACKING_ANNOTATION];
  if (value === undefined) return undefined;
  const parts = value.split(':');
  if (parts.length < 3) return undefined;
  const rest = parts.slice(1);
  const groupKind = rest[0] ?? '';
  const namespaceName = rest.slice(1).join(':');
  if (groupKind.split('/').length !== 2 || namespaceName.split('/').length !== 2) return undefined;
  return parts[0];
}

/** True when the live object's tracking annotation says it belongs to `app`. */
export function isTrackedBy(object: KubeObject, app: string): boolean {
  return trackingAppOf(object) === app;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}
