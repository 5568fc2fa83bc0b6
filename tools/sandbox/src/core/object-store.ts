import { randomBytes, randomUUID } from 'node:crypto';
import type { FieldSelector } from './field-selector';
import type { KubeObject, WatchEvent, WatchEventType } from './kube-object';
import type { LabelSelector } from './label-selector';
import { apiVersionOf, kindKey, type ResourceKind } from './resource-kinds';
import { StoreError } from './store-errors';

export interface ListOptions {
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
}

export interface WatchOptions extends ListOptions {
  /** Resume after this version; undefined or "0" sends the current objects first as ADDED. */
  resourceVersion?: string;
}

export interface Watch {
  close(): void;
}

interface HistoryEntry {
  rv: number;
  key: string;
  event: WatchEvent;
  /** The object as it was before this change (none for ADDED): lists at an older version undo it. */
  previous?: KubeObject;
  /** When it was recorded (ms), for the freshness window. */
  at: number;
}

/** How much change history the store keeps for watches to resume from. */
export interface HistoryOptions {
  /** At most this many changes (the watch cache's upper bound capacity, 100 × 1024). */
  historyLimit?: number;
  /** Changes younger than this are kept (the watch cache's eventFreshDuration, 75 s). */
  freshMs?: number;
  /** At least this many changes stay, however old (the watch cache's lower bound capacity, 100). */
  minimum?: number;
  now?: () => number;
}

interface Watcher extends ListOptions {
  key: string;
  listener: (event: WatchEvent) => void;
}

/**
 * The sandbox's etcd and the API server's watch cache in one: every object of every kind, one
 * global monotonic resourceVersion, and a bounded history of changes so watches can resume from a
 * version. Bounded as kube-apiserver's watch cache is (apiserver pkg/storage/cacher/watch_cache.go):
 * it starts at the version it was initialised at, keeps changes for at least 75 s and between 100
 * and 102,400 of them; a resume from before what it keeps is 410 Expired, "too old resource
 * version: X (Y)". Objects are copied on the way in and out: callers never share references with
 * the store.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 1;
  /** The version the history starts after (the watch cache's initial list). */
  private historyStart = 1;
  /** Whether a change was evicted since then: the history then starts at its first entry. */
  private evicted = false;
  private readonly historyLimit: number;
  private readonly freshMs: number;
  private readonly minimum: number;
  private readonly now: () => number;
  /** The version of each kind's last change (by kind key); kinds not in it last changed at {@link clearedAt}. */
  private readonly kindVersions = new Map<string, number>();
  private clearedAt = 0;
  /** Sorted lists already computed (see {@link derived}), least recently used first. */
  private readonly derivations = new Map<string, unknown>();

  constructor(options: HistoryOptions = {}) {
    this.historyLimit = options.historyLimit ?? 100 * 1024;
    this.freshMs = options.freshMs ?? 75_000;
    this.minimum = Math.min(options.minimum ?? 100, this.historyLimit);
    this.now = options.now ?? Date.now;
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /**
   * The oldest version a watch may resume from without 410 Expired: the one the history started
   * at, or, once changes were evicted, the one just before the oldest it still holds.
   */
  get oldestResumableVersion(): number {
    if (!this.evicted) return this.historyStart;
    return (this.history[0]?.rv ?? this.rv + 1) - 1;
  }

  /**
   * Starts the history afresh at the current version, as an API server's watch cache starts from
   * a list when the server starts: a resume from any earlier version is 410 Expired.
   */
  restartHistory(): void {
    this.history.length = 0;
    this.historyStart = this.rv;
    this.evicted = false;
  }

  get(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(kind).get(objectKey(kind, namespace, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  mustGet(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(kind, namespace, name);
    if (found === undefined) throw notFound(kind, name);
    return found;
  }

  list(kind: ResourceKind, options: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const { items, resourceVersion } = this.listShared(kind, options);
    return { items: items.map((object) => structuredClone(object)), resourceVersion };
  }

  /**
   * {@link list} without the copies, for callers that only read what they get and send it (the
   * list routes of the APIs). Sharing is safe because a stored object is never changed: every
   * write stores a new one. Copying each object was most of the time of a list of thousands.
   */
  listShared(
    kind: ResourceKind,
    options: ListOptions = {},
    /** Names `options` (e.g. the raw query), so that pages of one list reuse its sorted items. */
    optionsKey?: string,
  ): { items: readonly KubeObject[]; resourceVersion: string } {
    const compute = (): KubeObject[] => {
      const items: KubeObject[] = [];
      for (const object of this.bucket(kind).values()) if (matches(object, options)) items.push(object);
      return items.sort(byNamespaceAndName);
    };
    const items = optionsKey === undefined ? compute() : this.derived(kind, `list|${optionsKey}`, compute);
    return { items, resourceVersion: this.resourceVersion };
  }

  /** The version of the last change to an object of `kind`. */
  kindVersion(kind: ResourceKind): number {
    return this.kindVersions.get(kindKey(kind)) ?? this.clearedAt;
  }

  /**
   * A value computed from the objects of `kind` as they are now, computed again only once the
   * kind changes. Pages of a list are read one request at a time: the API server reads each page
   * from etcd at the list's revision, starting at the page's key, while the store would otherwise
   * filter and sort every object of the kind again for each page (quadratic in the list's size,
   * minutes for 50,000 pods). The answers are the same; only their cost differs.
   */
  derived<T>(kind: ResourceKind, key: string, compute: () => T): T {
    return this.memo(`${kindKey(kind)}|${key}|${this.kindVersion(kind)}`, compute);
  }

  private memo<T>(key: string, compute: () => T): T {
    if (this.derivations.has(key)) {
      const value = this.derivations.get(key) as T;
      this.derivations.delete(key);
      this.derivations.set(key, value);
      return value;
    }
    const value = compute();
    this.derivations.set(key, value);
    // A few lists are paged at a time; sixteen keep them all without keeping stale ones for long.
    if (this.derivations.size > 16) this.derivations.delete(this.derivations.keys().next().value as string);
    return value;
  }

  /**
   * {@link listShared} as the objects were at `version`, as etcd answers a list at a revision: the current ones
   * with every later change undone from the history. A version older than the history is 410
   * Expired with etcd's message; a future one is refused too (the store cannot wait for it).
   */
  listSharedAt(
    kind: ResourceKind,
    options: ListOptions,
    version: number,
    optionsKey?: string,
  ): { items: readonly KubeObject[]; resourceVersion: string } {
    if (version < this.oldestResumableVersion) {
      throw new StoreError('Expired', 'The resourceVersion for the provided list is too old.');
    }
    if (version > this.rv) {
      throw new StoreError('TooLarge', `Too large resource version: ${version}, current: ${this.rv}`);
    }
    // Nothing of this kind changed since: the list at `version` is the current one.
    if (version >= this.kindVersion(kind)) {
      return { items: this.listShared(kind, options, optionsKey).items, resourceVersion: String(version) };
    }
    if (optionsKey !== undefined) {
      // The objects as they were at a past version never change (until it expires, checked above).
      const items = this.memo(
        `${kindKey(kind)}|at|${optionsKey}|${version}`,
        () => this.listSharedAt(kind, options, version).items,
      );
      return { items, resourceVersion: String(version) };
    }
    const state = new Map(this.bucket(kind));
    const key = kindKey(kind);
    for (let i = this.history.length - 1; i >= 0; i -= 1) {
      const entry = this.history[i];
      if (entry === undefined || entry.rv <= version) break;
      if (entry.key !== key) continue;
      const { namespace, name = '' } = entry.event.object.metadata;
      const objectName = objectKey(kind, namespace, name);
      if (entry.previous === undefined) state.delete(objectName);
      else state.set(objectName, entry.previous);
    }
    // Shared like listShared's: stored objects and history entries are never changed in place.
    const items = [...state.values()].filter((object) => matches(object, options)).sort(byNamespaceAndName);
    return { items, resourceVersion: String(version) };
  }

  count(kind: ResourceKind): number {
    return this.bucket(kind).size;
  }

  create(kind: ResourceKind, input: KubeObject): KubeObject {
    return this.insert(kind, structuredClone(input), false);
  }

  /**
   * Bulk-load path (the admin seed): like {@link create}, but takes ownership of `object` instead
   * of copying it, and the stored object doubles as its history entry. Returns the stored object
   * itself, which the caller must treat as read-only. Safe because the store never mutates a
   * stored object in place: updates and deletions always commit fresh copies.
   */
  adopt(kind: ResourceKind, object: KubeObject): Readonly<KubeObject> {
    return this.insert(kind, object, true);
  }

  private insert(kind: ResourceKind, object: KubeObject, shared: boolean): KubeObject {
    const meta = object.metadata ?? (object.metadata = {});
    if (!kind.namespaced) delete meta.namespace;
    if (meta.name === undefined || meta.name === '') {
      if (meta.generateName === undefined || meta.generateName === '') {
        throw new StoreError('Invalid', `${kind.kind}: metadata.name or metadata.generateName is required`, {
          kind: kind.kind,
        });
      }
      meta.name = meta.generateName + randomSuffix();
    }
    const key = objectKey(kind, meta.namespace, meta.name);
    if (this.bucket(kind).has(key)) {
      throw new StoreError(
        'AlreadyExists',
        `${kind.plural}${groupSuffix(kind)} "${meta.name}" already exists`,
        {
          name: meta.name,
          kind: kind.plural,
          group: kind.group,
        },
      );
    }
    object.apiVersion = apiVersionOf(kind);
    object.kind = kind.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.generation = 1;
    return this.commit(kind, key, object, 'ADDED', shared);
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set it must equal the stored one (409
   * Conflict otherwise), as the API server's optimistic concurrency demands.
   */
  update(kind: ResourceKind, input: KubeObject): KubeObject {
    const meta = input.metadata;
    const key = objectKey(kind, meta.namespace, meta.name ?? '');
    const current = this.bucket(kind).get(key);
    if (current === undefined) throw notFound(kind, meta.name ?? '');
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${kind.plural}${groupSuffix(kind)} "${meta.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: meta.name, kind: kind.plural, group: kind.group },
      );
    }
    const object = structuredClone(input);
    object.apiVersion = apiVersionOf(kind);
    object.kind = kind.kind;
    object.metadata.uid = current.metadata.uid;
    object.metadata.creationTimestamp = current.metadata.creationTimestamp;
    object.metadata.generation = (current.metadata.generation ?? 1) + (specChanged(current, object) ? 1 : 0);
    if (current.metadata.deletionTimestamp !== undefined) {
      object.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
      if ((object.metadata.finalizers ?? []).length === 0) return this.remove(kind, key, object);
    }
    return this.commit(kind, key, object, 'MODIFIED');
  }

  /** Read-modify-write without a version check: for the sandbox's own controllers. */
  mutate(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    change: (o: KubeObject) => void,
  ): KubeObject {
    const object = this.mustGet(kind, namespace, name);
    change(object);
    delete object.metadata.resourceVersion;
    return this.update(kind, object);
  }

  /** Deletes an object; one with finalizers only gets a deletionTimestamp until they are removed. */
  delete(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    const key = objectKey(kind, namespace, name);
    const current = this.bucket(kind).get(key);
    if (current === undefined) throw notFound(kind, name);
    if ((current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp !== undefined) return structuredClone(current);
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return this.commit(kind, key, marked, 'MODIFIED');
    }
    return this.remove(kind, key, structuredClone(current));
  }

  /**
   * Streams changes. Without a resourceVersion (or "0") the current objects come first as ADDED;
   * with one, every change after it is replayed from history, or 410 Expired is thrown when the
   * history no longer reaches back that far.
   */
  watch(kind: ResourceKind, options: WatchOptions, listener: (event: WatchEvent) => void): Watch {
    const key = kindKey(kind);
    const watcher: Watcher = { ...options, key, listener };
    const from = options.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      for (const object of this.list(kind, options).items) listener({ type: 'ADDED', object });
    } else {
      const version = Number(from);
      if (!Number.isInteger(version) || version < 0) {
        throw new StoreError('BadRequest', `invalid resourceVersion: ${JSON.stringify(from)}`);
      }
      if (version < this.oldestResumableVersion) {
        throw new StoreError(
          'Expired',
          `too old resource version: ${version} (${this.oldestResumableVersion})`,
        );
      }
      for (const entry of this.history) {
        if (entry.rv > version && entry.key === key && matches(entry.event.object, options)) {
          listener({ type: entry.event.type, object: structuredClone(entry.event.object) });
        }
      }
    }
    this.watchers.add(watcher);
    return { close: () => this.watchers.delete(watcher) };
  }

  /** Drops every object and the history (admin reset); open watches stay open. */
  clear(): void {
    this.objects.clear();
    this.rv += 1;
    this.kindVersions.clear();
    this.clearedAt = this.rv;
    this.derivations.clear();
    this.restartHistory();
  }

  /** Forgets the history so every resume gets 410 (fault injection). */
  expireHistory(): void {
    this.history.length = 0;
    this.rv += 1;
    this.evicted = true;
  }

  private commit(
    kind: ResourceKind,
    key: string,
    object: KubeObject,
    type: WatchEventType,
    shared = false,
  ): KubeObject {
    this.rv += 1;
    object.metadata.resourceVersion = String(this.rv);
    const previous = this.bucket(kind).get(key);
    this.bucket(kind).set(key, object);
    this.record(kind, type, object, previous);
    return shared ? object : structuredClone(object);
  }

  private remove(kind: ResourceKind, key: string, object: KubeObject): KubeObject {
    this.rv += 1;
    object.metadata.resourceVersion = String(this.rv);
    const previous = this.bucket(kind).get(key);
    this.bucket(kind).delete(key);
    this.record(kind, 'DELETED', object, previous);
    return structuredClone(object);
  }

  private record(kind: ResourceKind, type: WatchEventType, object: KubeObject, previous?: KubeObject): void {
    const key = kindKey(kind);
    // The history holds the committed objects themselves (and the ones they replaced): a stored
    // object is never changed, every write stores a new one, so no copy is needed. With up to
    // 102,400 changes kept, copies would have cost a copy of every object changed in 75 s.
    const snapshot = object;
    const at = this.now();
    this.kindVersions.set(key, this.rv);
    this.history.push({ rv: this.rv, key, event: { type, object: snapshot }, previous, at });
    this.evictHistory(at);
    for (const watcher of this.watchers) {
      if (watcher.key === key && matches(snapshot, watcher)) {
        watcher.listener({ type, object: structuredClone(snapshot) });
      }
    }
  }

  /**
   * Past the limit, trimmed in chunks of an eighth of it (splicing one entry off the front on every
   * write made bulk loads quadratic); beyond the minimum, changes older than the fresh window go.
   */
  private evictHistory(now: number): void {
    let drop = 0;
    if (this.history.length > this.historyLimit + (this.historyLimit >> 3)) {
      drop = this.history.length - this.historyLimit;
    }
    const staleBefore = now - this.freshMs;
    while (
      this.history.length - drop > this.minimum &&
      (this.history[drop]?.at ?? Number.POSITIVE_INFINITY) < staleBefore
    ) {
      drop += 1;
    }
    if (drop === 0) return;
    this.history.splice(0, drop);
    this.evicted = true;
  }

  private bucket(kind: ResourceKind): Map<string, KubeObject> {
    const key = kindKey(kind);
    let bucket = this.objects.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }
}

function objectKey(kind: ResourceKind, namespace: string | undefined, name: string): string {
  return kind.namespaced ? `${namespace ?? ''}/${name}` : name;
}

function matches(object: KubeObject, options: ListOptions): boolean {
  if (options.namespace !== undefined && object.metadata.namespace !== options.namespace) return false;
  if (options.labelSelector !== undefined && !options.labelSelector.matches(object.metadata.labels))
    return false;
  if (options.fieldSelector !== undefined && !options.fieldSelector.matches(object)) return false;
  return true;
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const bn = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

function specChanged(before: KubeObject, after: KubeObject): boolean {
  return JSON.stringify(before.spec) !== JSON.stringify(after.spec);
}

function notFound(kind: ResourceKind, name: string): StoreError {
  return new StoreError('NotFound', `${kind.plural}${groupSuffix(kind)} "${name}" not found`, {
    name,
    kind: kind.plural,
    group: kind.group,
  });
}

function groupSuffix(kind: ResourceKind): string {
  return kind.group === '' ? '' : `.${kind.group}`;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters like the API server's generateName suffix. */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}
