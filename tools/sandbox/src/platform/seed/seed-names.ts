import type { KubeObject } from '../../core/kube-object';
import type { ResourceKind } from '../../core/resource-kinds';
import { StoreError } from '../../core/store-errors';
import { fnv32a } from '../../kubernetes/controllers/pod-template-hash';

/** Stores a fresh object the caller no longer touches; returns the stored (read-only) object. */
export type Create = (kind: ResourceKind, object: KubeObject) => Readonly<KubeObject>;

/** 40 hex characters derived from `seed`: SHA-like, without a cryptographic hash per call. */
export function fakeSha(seed: string): string {
  let out = '';
  for (let i = 0; i < 5; i += 1) out += fnv32a(`${i}:${seed}`).toString(16).padStart(8, '0');
  return out;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A generateName-style suffix; names only need to be unique, so Math.random will do. */
export function nameSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i += 1) out += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return out;
}

/** Creates with a random suffix, drawing again on the rare name collision. */
export function createWithFreshName(
  create: Create,
  kind: ResourceKind,
  build: (suffix: string) => KubeObject,
): Readonly<KubeObject> {
  for (;;) {
    try {
      return create(kind, build(nameSuffix()));
    } catch (error) {
      if (!(error instanceof StoreError && error.reason === 'AlreadyExists')) throw error;
    }
  }
}

let events = 0;
const EVENT_PREFIX = nameSuffix();

/** A unique Event name suffix (the recorder's are random hex; a counter is cheaper). */
export function eventSuffix(): string {
  events += 1;
  return `${EVENT_PREFIX}${events.toString(16).padStart(11, '0')}`;
}

/** RFC 3339 with second precision (Kubernetes Time). */
export function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
