import { Log, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { gatherSnapshotPages, type ObjectEvent, type WatchNotice } from '@platform/watch';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { readContainerHistory } from './container-history';
import { LogResumePoint } from './log-resume-point';
import { parseTimestampedLine, type MergedLogItem } from './pod-log-line';

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
  resume: LogResumePoint;
  /** How a follow starts before any line was delivered (see `firstFollow`). */
  fresh: { tailLines?: number; sinceSeconds?: number };
  closed: boolean;
}

const REATTACH_DELAY_MS = 1000;

/**
 * Merged, followed logs of every pod matching a selector: attaches each pod's started containers
 * (pods that appear later too), detaches pods that go, tags every line with pod and container.
 * A container's history is read once (`history`, cut by tailLines/sinceSeconds) and then followed
 * from its last line, so history and live lines are told apart and none is repeated; a follow that
 * ends while the pod still runs (restart, dropped connection) is resumed from the last line the
 * same way. `caught-up` tells when the containers of the first pod list have their history.
 * `pods$` is a pod watch (see `watchResource`).
 */
export function mergedPodLogs(
  kc: KubeConfig,
  pods$: Observable<WatchNotice<ObjectEvent<V1Pod>, V1Pod>>,
  options: MergedLogOptions,
): Observable<MergedLogItem> {
  return new Observable<MergedLogItem>((subscriber) =>
    new PodLogMerger(kc, options, subscriber).start(pods$),
  );
}

class PodLogMerger {
  private readonly log: Log;
  private readonly attached = new Map<string, Attachment>();
  private readonly running = new Map<string, V1Pod>();
  /** History reads of the first pod list still running; undefined before that list arrived. */
  private initialReads: number | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly options: MergedLogOptions,
    private readonly subscriber: Subscriber<MergedLogItem>,
  ) {
    this.log = new Log(kc);
  }

  start(pods$: Observable<WatchNotice<ObjectEvent<V1Pod>, V1Pod>>): () => void {
    // One app's pods: few enough to reconcile against the whole list.
    const subscription: Subscription = pods$.pipe(gatherSnapshotPages()).subscribe({
      next: (notice) => {
        if (notice.kind === 'snapshot') this.reconcile(notice.items);
        else if (notice.kind === 'event') {
          if (notice.event.type === 'DELETED') this.detach(notice.event.object.metadata?.name ?? '');
          else this.consider(notice.event.object);
        }
      },
      error: (error: unknown) => this.subscriber.error(error),
    });
    return () => {
      subscription.unsubscribe();
      for (const state of this.attached.values()) {
        state.closed = true;
        state.controller?.abort();
      }
      this.attached.clear();
    };
  }

  private reconcile(pods: V1Pod[]): void {
    const first = this.initialReads === undefined;
    if (first) this.initialReads = 0;
    const names = new Set(pods.map((p) => p.metadata?.name));
    for (const name of [...this.running.keys()]) if (!names.has(name)) this.detach(name);
    pods.forEach((pod) => this.consider(pod, first));
    if (first) this.historyRead(false);
  }

  private consider(pod: V1Pod, initial = false): void {
    const name = pod.metadata?.name;
    if (name === undefined) return;
    if (pod.metadata?.deletionTimestamp !== undefined) return this.detach(name);
    this.running.set(name, pod);
    for (const container of this.startedContainers(pod)) {
      if (!this.attached.has(`${name}/${container}`)) this.attach(name, container, initial);
    }
  }

  private attach(pod: string, container: string, initial: boolean): void {
    const state: Attachment = { resume: new LogResumePoint(), fresh: {}, closed: false };
    this.attached.set(`${pod}/${container}`, state);
    this.subscriber.next({ kind: 'membership', membership: { pod, container, change: 'joined' } });
    if (initial && this.initialReads !== undefined) this.initialReads += 1;
    const { tailLines, sinceSeconds } = this.options;
    readContainerHistory(this.kc, {
      namespace: this.options.namespace,
      pod,
      container,
      tailLines,
      sinceSeconds,
    })
      .then(
        (lines) => {
          if (state.closed || this.subscriber.closed) return;
          lines.forEach((line) => state.resume.record(line.time, line.line));
          this.subscriber.next({ kind: 'history', pod, container, lines });
          // Nothing there yet: whatever the follow returns (within `since`) was written after the read.
          state.fresh = { sinceSeconds };
        },
        () => {
          // No history to start from: the follow brings it, as live lines.
          state.fresh = { tailLines, sinceSeconds };
        },
      )
      .finally(() => {
        if (initial) this.historyRead(true);
        if (!state.closed && !this.subscriber.closed) this.follow(pod, container, state);
      });
  }

  private historyRead(oneDone: boolean): void {
    if (this.initialReads === undefined || this.initialReads < 0) return;
    if (oneDone) this.initialReads -= 1;
    if (this.initialReads > 0) return;
    this.initialReads = -1;
    this.subscriber.next({ kind: 'caught-up' });
  }

  private follow(pod: string, container: string, state: Attachment): void {
    const accept = state.resume.filter();
    let buffer = '';
    const subscriber = this.subscriber;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline !== -1) {
          const parsed = parseTimestampedLine(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          if (!state.closed && accept(parsed.time, parsed.line)) {
            state.resume.record(parsed.time, parsed.line);
            subscriber.next({ kind: 'line', line: { pod, container, ...parsed } });
          }
          newline = buffer.indexOf('\n');
        }
        done();
      },
    });
    // client-node never calls its `done` callback and a piped body that errors does not end the
    // sink: watch the body itself to learn that the follow is over (ended, dropped or aborted).
    sink.once('pipe', (body: NodeJS.ReadableStream) => {
      let over = false;
      const ended = (): void => {
        if (over) return;
        over = true;
        this.onEnded(pod, container, state);
      };
      body.once('end', ended);
      body.once('error', ended);
      body.once('close', ended);
    });
    const from = state.resume.time;
    const logOptions =
      from === ''
        ? { follow: true, timestamps: true, ...state.fresh }
        : { follow: true, timestamps: true, sinceTime: from };
    this.log.log(this.options.namespace, pod, container, sink, logOptions).then(
      (controller) => {
        state.controller = controller;
        if (state.closed) controller.abort();
      },
      () => this.onEnded(pod, container, state),
    );
  }

  private onEnded(pod: string, container: string, state: Attachment): void {
    if (state.closed || this.subscriber.closed || this.attached.get(`${pod}/${container}`) !== state) return;
    // The stream ended but the pod is still there: the container restarted or the connection
    // dropped; pick up again after the last line delivered.
    const current = this.running.get(pod);
    // A finished pod's containers will not write again; following them again would only spin.
    if (current !== undefined && !['Succeeded', 'Failed'].includes(current.status?.phase ?? '')) {
      setTimeout(() => {
        if (!state.closed && this.running.has(pod)) this.follow(pod, container, state);
      }, REATTACH_DELAY_MS).unref();
    }
  }

  private detach(pod: string): void {
    this.running.delete(pod);
    for (const [key, state] of this.attached) {
      if (!key.startsWith(`${pod}/`)) continue;
      state.closed = true;
      state.controller?.abort();
      this.attached.delete(key);
      this.subscriber.next({
        kind: 'membership',
        membership: { pod, container: key.slice(pod.length + 1), change: 'left' },
      });
    }
  }

  private startedContainers(pod: V1Pod): string[] {
    const started = new Set(
      (pod.status?.containerStatuses ?? [])
        .filter((s) => s.state?.running || s.state?.terminated)
        .map((s) => s.name),
    );
    return (pod.spec?.containers ?? [])
      .map((c) => c.name)
      .filter(
        (c) => (this.options.container === undefined || c === this.options.container) && started.has(c),
      );
  }
}
