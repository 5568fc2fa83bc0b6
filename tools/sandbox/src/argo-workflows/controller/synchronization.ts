import type { KubeObject } from '../../core/kube-object';
import { workflowGlobals } from './engine/globals';
import { SpecError } from './engine/spec';
import { substitute } from './engine/variables';
import type { WorkflowSpec, WorkflowStatus } from '../workflow-types';

/** `status.synchronization.mutex` entries: the lock and its holder (`<namespace>/<workflow>`). */
export interface MutexHolding {
  mutex: string;
  holder: string;
}

interface MutexStatus {
  holding?: MutexHolding[];
  waiting?: MutexHolding[];
}

/** What a workflow may do now. */
export type LockDecision =
  | { kind: 'none' }
  | { kind: 'held'; status: WorkflowStatus }
  | { kind: 'waiting'; message: string; status: WorkflowStatus };

interface Waiter {
  key: string;
  priority: number;
  created: string;
  arrival: number;
}

interface MutexState {
  holder?: string;
  queue: Waiter[];
}

/**
 * Argo Workflows' workflow-level mutexes (workflow/sync in v4: `spec.synchronization.mutexes:
 * [{name}]`, global parameters substituted in the name, local to the controller): one holder per
 * lock `<namespace>/Mutex/<name>`; the others wait in a queue ordered by `spec.priority` (higher
 * first), then creation time, then arrival, stay Pending with "Waiting for <lock> lock. Lock
 * status: 0/1" and `status.synchronization.mutex.waiting`, and take the lock in turn when its
 * holder completes. v4 removed the singular `mutex`: Go's decoding drops it, so it locks nothing
 * here either. Semaphores, database locks and template-level synchronization are refused rather
 * than ignored (see {@link lockNames}).
 */
export class WorkflowMutexes {
  private readonly locks = new Map<string, MutexState>();
  private arrivals = 0;

  /** Re-registers the holders recorded in the statuses of unfinished workflows (controller start). */
  restore(workflows: KubeObject[]): void {
    for (const wf of workflows) {
      for (const holding of mutexStatus(wf.status as WorkflowStatus | undefined).holding ?? []) {
        this.state(holding.mutex).holder = holding.holder;
      }
    }
  }

  /** Takes the workflow's locks when they are free and it is first in line, or says what it waits for. */
  decide(wf: KubeObject, spec: WorkflowSpec): LockDecision {
    const names = lockNames(wf, spec);
    if (names.length === 0) return { kind: 'none' };
    const key = holderKey(wf);
    const status = structuredClone((wf.status ?? {}) as WorkflowStatus);
    for (const lock of names) this.enqueue(lock, key, wf);
    const blocked = names.find((lock) => !this.mayAcquire(lock, key));
    const mutex = mutexStatus(status);
    if (blocked !== undefined) {
      mutex.waiting = names
        .filter((lock) => !this.mayAcquire(lock, key))
        .map((lock) => ({ mutex: lock, holder: this.state(lock).holder ?? '' }))
        .filter((w) => w.holder !== '');
      status.synchronization = { mutex: pruned(mutex) };
      return { kind: 'waiting', message: `Waiting for ${blocked} lock. Lock status: 0/1`, status };
    }
    for (const lock of names) {
      const state = this.state(lock);
      state.holder = key;
      state.queue = state.queue.filter((w) => w.key !== key);
    }
    mutex.holding = names.map((lock) => ({ mutex: lock, holder: key }));
    delete mutex.waiting;
    status.synchronization = { mutex: pruned(mutex) };
    return { kind: 'held', status };
  }

  /** Frees the workflow's locks and its places in queues; returns the holders next in line. */
  release(wf: KubeObject): string[] {
    const key = holderKey(wf);
    const next: string[] = [];
    for (const [lock, state] of this.locks) {
      state.queue = state.queue.filter((w) => w.key !== key);
      if (state.holder !== key) continue;
      state.holder = undefined;
      const first = sortedQueue(state.queue)[0];
      if (first !== undefined) next.push(first.key);
      if (state.queue.length === 0) this.locks.delete(lock);
    }
    return next;
  }

  private mayAcquire(lock: string, key: string): boolean {
    const state = this.state(lock);
    if (state.holder === key) return true;
    if (state.holder !== undefined) return false;
    return sortedQueue(state.queue)[0]?.key === key;
  }

  private enqueue(lock: string, key: string, wf: KubeObject): void {
    const state = this.state(lock);
    if (state.holder === key || state.queue.some((w) => w.key === key)) return;
    const priority = Number((wf.spec as { priority?: unknown } | undefined)?.priority ?? 0);
    state.queue.push({
      key,
      priority: Number.isFinite(priority) ? priority : 0,
      created: wf.metadata.creationTimestamp ?? '',
      arrival: this.arrivals++,
    });
  }

  private state(lock: string): MutexState {
    let state = this.locks.get(lock);
    if (state === undefined) {
      state = { queue: [] };
      this.locks.set(lock, state);
    }
    return state;
  }
}

/**
 * The lock keys `<namespace>/Mutex/<name>` of `spec.synchronization.mutexes` (duplicates are an
 * error, as in Argo). What the sandbox does not emulate fails the workflow instead of running it
 * unlocked: semaphores, `database: true` mutexes, and synchronization on a template.
 */
export function lockNames(wf: KubeObject, spec: WorkflowSpec): string[] {
  const withSync = (spec.templates ?? []).find((t) => t.synchronization !== undefined);
  if (withSync !== undefined) {
    throw new SpecError(
      `sandbox: template-level synchronization (template ${withSync.name}) is not emulated`,
    );
  }
  const sync = spec.synchronization as
    | { mutexes?: Array<{ name?: string; namespace?: string; database?: boolean }>; semaphores?: unknown[] }
    | undefined;
  if (sync === undefined || sync === null) return [];
  if ((sync.semaphores ?? []).length > 0) {
    throw new SpecError('sandbox: synchronization semaphores are not emulated');
  }
  const mutexes = sync.mutexes ?? [];
  if (mutexes.length === 0) return [];
  if (mutexes.some((m) => m.database === true)) {
    throw new SpecError('sandbox: database synchronization is not emulated');
  }
  const globals = workflowGlobals(wf, spec, []);
  const names = mutexes.map(
    (m) => `${m.namespace || wf.metadata.namespace || ''}/Mutex/${substitute(m.name ?? '', globals)}`,
  );
  if (new Set(names).size !== names.length) {
    throw new SpecError('requested configuration is invalid: duplicate synchronization item found');
  }
  return names;
}

/** The lock names a workflow holds according to its status. */
export function heldLocks(wf: KubeObject): string[] {
  return (mutexStatus(wf.status as WorkflowStatus | undefined).holding ?? []).map((h) => h.mutex);
}

function holderKey(wf: KubeObject): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}

function mutexStatus(status: WorkflowStatus | undefined): MutexStatus {
  const sync = status?.synchronization as { mutex?: MutexStatus } | undefined;
  return { ...(sync?.mutex ?? {}) };
}

function pruned(mutex: MutexStatus): MutexStatus {
  const out: MutexStatus = {};
  if ((mutex.holding ?? []).length > 0) out.holding = mutex.holding;
  if ((mutex.waiting ?? []).length > 0) out.waiting = mutex.waiting;
  return out;
}

function sortedQueue(queue: Waiter[]): Waiter[] {
  return [...queue].sort(
    (a, b) =>
      b.priority - a.priority ||
      (a.created < b.created ? -1 : a.created > b.created ? 1 : 0) ||
      a.arrival - b.arrival,
  );
}
