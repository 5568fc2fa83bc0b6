import type { KubeObject, WatchEvent } from '../../core/kube-object';
import type { ObjectStore, Watch } from '../../core/object-store';
import type { ResourceKind } from '../../core/resource-kinds';
import { controllerOf } from './workload-types';

/**
 * A watch-fed copy of the objects of one kind that a controller of `ownerKind` owns, indexed by
 * the owner's uid: what an informer with an owner index gives a Kubernetes controller. Listing
 * the store instead would scan every pod of every namespace on each reconcile.
 */
export class OwnedObjectCache<T extends KubeObject> {
  private readonly byUid = new Map<string, T>();
  private readonly byOwner = new Map<string, Set<string>>();
  private watch: Watch | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly kind: ResourceKind,
    private readonly ownerKind: string,
    private readonly onEvent: (event: WatchEvent, object: T) => void,
  ) {}

  /** Fills the cache with the current objects (each reported as ADDED), then follows changes. */
  start(): void {
    this.watch = this.store.watch(this.kind, {}, (event) => this.apply(event));
  }

  stop(): void {
    this.watch?.close();
    this.watch = undefined;
    this.byUid.clear();
    this.byOwner.clear();
  }

  owned(ownerUid: string): T[] {
    const uids = this.byOwner.get(ownerUid);
    if (uids === undefined) return [];
    const out: T[] = [];
    for (const uid of uids) {
      const object = this.byUid.get(uid);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  byObjectUid(uid: string): T | undefined {
    return this.byUid.get(uid);
  }

  all(): IterableIterator<T> {
    return this.byUid.values();
  }

  private apply(event: WatchEvent): void {
    const object = event.object as T;
    const owner = controllerOf(object);
    const uid = object.metadata.uid;
    if (owner === undefined || owner.kind !== this.ownerKind || uid === undefined) return;
    if (event.type === 'DELETED') {
      this.byUid.delete(uid);
      this.byOwner.get(owner.uid)?.delete(uid);
      if (this.byOwner.get(owner.uid)?.size === 0) this.byOwner.delete(owner.uid);
    } else {
      this.byUid.set(uid, object);
      let set = this.byOwner.get(owner.uid);
      if (set === undefined) this.byOwner.set(owner.uid, (set = new Set()));
      set.add(uid);
    }
    this.onEvent(event, object);
  }
}
