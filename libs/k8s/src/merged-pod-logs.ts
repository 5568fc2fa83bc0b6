import { Log, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { Observable, type Subscription } from 'rxjs';
import { parseTimestampedLine, type MergedLogItem } from './pod-log-line';
import type { ResourceNotice } from './resource-notice';

export interface MergedLogOptions {
  namespace: string;
  /** Only this container of each pod; all containers otherwise. */
  container?: string;
  /** Lines of history per container when it is first attached. */
  tailLines?: number;
  sinceSeconds?: number;
}

interface Attachment {
  controller?: AbortController;
  lastTime: string;
  closed: boolean;
}

const REATTACH_DELAY_MS = 1000;

/**
 * Merged, followed logs of every pod matching a selector: follows each pod's containers, attaches pods that
 * appear later, detaches pods that go, tags every line with pod and container, and re-attaches
 * a container whose stream ended while the pod still runs (after a restart) from the last line's
 * time so nothing is repeated. `pods$` is a pod watch (see `watchResource`).
 */
export function mergedPodLogs(
  kc: KubeConfig,
  pods$: Observable<ResourceNotice<V1Pod>>,
  options: MergedLogOptions,
): Observable<MergedLogItem> {
  return new Observable<MergedLogItem>((subscriber) => {
    const log = new Log(kc);
    const attached = new Map<string, Attachment>();
    const running = new Map<string, V1Pod>();

    const containersOf = (pod: V1Pod): string[] =>
      (pod.spec?.containers ?? [])
        .map((c) => c.name)
        .filter((c) => options.container === undefined || c === options.container);

    const startedContainers = (pod: V1Pod): string[] => {
      const started = new Set(
        (pod.status?.containerStatuses ?? [])
          .filter((s) => s.state?.running || s.state?.terminated)
          .map((s) => s.name),
      );
      return containersOf(pod).filter((c) => started.has(c));
    };

    const attach = (pod: string, container: string, resumeFrom?: string): void => {
      const key = `${pod}/${container}`;
      const state: Attachment = attached.get(key) ?? { lastTime: '', closed: false };
      if (!attached.has(key)) {
        attached.set(key, state);
        subscriber.next({ kind: 'membership', membership: { pod, container, change: 'joined' } });
      }
      let buffer = '';
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          buffer += chunk.toString('utf8');
          let newline = buffer.indexOf('\n');
          while (newline !== -1) {
            const parsed = parseTimestampedLine(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
            // A re-attach from the last time may repeat lines stamped at that very instant.
            if (!(resumeFrom !== undefined && parsed.time !== '' && parsed.time <= resumeFrom)) {
              state.lastTime = parsed.time || state.lastTime;
              subscriber.next({ kind: 'line', line: { pod, container, ...parsed } });
            }
            newline = buffer.indexOf('\n');
          }
          done();
        },
      });
      const logOptions = resumeFrom
        ? { follow: true, timestamps: true, sinceTime: resumeFrom }
        : {
            follow: true,
            timestamps: true,
            tailLines: options.tailLines,
            sinceSeconds: options.sinceSeconds,
          };
      log
        .log(
          options.namespace,
          pod,
          container,
          sink,
          (error: unknown) => onEnded(pod, container, error),
          logOptions,
        )
        .then(
          (controller) => {
            state.controller = controller;
            if (state.closed) controller.abort();
          },
          (error: unknown) => onEnded(pod, container, error),
        );
    };

    const onEnded = (pod: string, container: string, _error: unknown): void => {
      const state = attached.get(`${pod}/${container}`);
      if (state === undefined || state.closed || subscriber.closed) return;
      // The stream ended but the pod is still there: the container restarted or the connection
      // dropped; pick up again from the last line seen.
      if (running.has(pod)) {
        setTimeout(() => {
          if (!state.closed && running.has(pod)) attach(pod, container, state.lastTime || undefined);
        }, REATTACH_DELAY_MS).unref();
      }
    };

    const detach = (pod: string): void => {
      running.delete(pod);
      for (const [key, state] of attached) {
        if (!key.startsWith(`${pod}/`)) continue;
        state.closed = true;
        state.controller?.abort();
        attached.delete(key);
        subscriber.next({
          kind: 'membership',
          membership: { pod, container: key.slice(pod.length + 1), change: 'left' },
        });
      }
    };

    const consider = (pod: V1Pod): void => {
      const name = pod.metadata?.name;
      if (name === undefined) return;
      if (pod.metadata?.deletionTimestamp !== undefined) return detach(name);
      running.set(name, pod);
      for (const container of startedContainers(pod)) {
        if (!attached.has(`${name}/${container}`)) attach(name, container);
      }
    };

    const subscription: Subscription = pods$.subscribe({
      next: (notice) => {
        if (notice.kind === 'snapshot') {
          const names = new Set(notice.items.map((p) => p.metadata?.name));
          for (const name of [...running.keys()]) if (!names.has(name)) detach(name);
          notice.items.forEach(consider);
        } else if (notice.kind === 'event') {
          if (notice.type === 'DELETED') detach(notice.object.metadata?.name ?? '');
          else consider(notice.object);
        }
      },
      error: (error: unknown) => subscriber.error(error),
    });

    return () => {
      subscription.unsubscribe();
      for (const state of attached.values()) {
        state.closed = true;
        state.controller?.abort();
      }
      attached.clear();
    };
  });
}
