import type { KubeObject } from '../../core/kube-object';
import type { ObjectStore } from '../../core/object-store';
import { ALL_KINDS } from '../../core/resource-kinds';
import { groupOf, trackingAppOf } from '../shared/render-tracking';

/** Owner chains are short (Pod → ReplicaSet → Deployment); a cycle must not loop forever. */
const MAX_DEPTH = 5;

/**
 * The app a live object belongs to, as Argo CD's cluster cache finds it: the tracking annotation
 * of the object, or of the object that controls it (a Pod's ReplicaSet's Deployment), following
 * controller ownerReferences. Labels play no part: v3 tracks by annotation.
 */
export function owningApp(store: ObjectStore, object: KubeObject, depth = 0): string | undefined {
  const app = trackingAppOf(object);
  if (app !== undefined || depth >= MAX_DEPTH) return app;
  const owner = object.metadata.ownerReferences?.find((ref) => ref.controller === true);
  if (owner === undefined) return undefined;
  const group = groupOf(owner.apiVersion);
  const kind = ALL_KINDS.find((k) => k.group === group && k.kind === owner.kind);
  if (kind === undefined) return undefined;
  const parent = store.get(kind, kind.namespaced ? object.metadata.namespace : undefined, owner.name);
  if (parent === undefined || parent.metadata.uid !== owner.uid) return undefined;
  return owningApp(store, parent, depth + 1);
}
