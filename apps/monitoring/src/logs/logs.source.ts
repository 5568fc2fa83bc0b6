import type { KubeConfig } from '@kubernetes/client-node';
import { Labels } from '@platform/domain';
import { mergedPodLogs, podsResource, watchResource } from '@platform/k8s';
import { tap } from 'rxjs';
import type { TopicSource } from '../streams/topic';
import { AppLogsState } from './app-logs-state';

export interface AppLogsOptions {
  namespace: string;
  app: string;
  /** Lines of history kept per container: the most any client may ask for as its `tail`. */
  keepLines: number;
  idleTimeoutMs: number;
}

/**
 * An app's logs topic: one pod watch (the app's label) and one followed log per started
 * container, merged. The first state is published once the containers there at start have their
 * history, so every client (the first one too) cuts its own `tail`/`since` from it; then `log` per
 * new line, `pod` when a pod's container joins or leaves. When the pod watch is lost, clients get
 * `reconnecting`; the logs go on from where they were once it is back, without repeating a line.
 */
export function appLogsSource(kc: KubeConfig, options: AppLogsOptions): TopicSource {
  return (feed) => {
    const state = new AppLogsState(options.keepLines);
    let live = false;
    let interrupted = false;
    const pods$ = watchResource(kc, podsResource(kc, options.namespace), {
      labelSelector: `${Labels.app}=${options.app}`,
      idleTimeoutMs: options.idleTimeoutMs,
      timeoutSeconds: Math.max(1, Math.floor(options.idleTimeoutMs / 2000)),
      onInterrupted: (reason) => {
        // Once per outage: the watch retries (and may fail again) until it is back.
        if (!live || interrupted) return;
        interrupted = true;
        feed.publish('reconnecting', { reason });
      },
    }).pipe(
      tap((notice) => {
        if (notice.kind !== 'event') interrupted = false;
      }),
    );
    const subscription = mergedPodLogs(kc, pods$, {
      namespace: options.namespace,
      tailLines: options.keepLines,
    }).subscribe({
      next: (item) => {
        switch (item.kind) {
          case 'caught-up':
            live = true;
            feed.setState(state);
            return;
          case 'history':
            // A container that joins later: its lines so far are news to every client.
            item.lines.forEach((line) => {
              state.add(line);
              if (live) feed.publish('log', line);
            });
            return;
          case 'line':
            state.add(item.line);
            if (live) feed.publish('log', item.line);
            return;
          case 'membership':
            state.apply(item.membership);
            if (live) feed.publish('pod', item.membership);
            return;
        }
      },
      error: (error: unknown) =>
        feed.complete('upstream-error', { message: `the pod logs failed: ${(error as Error).message}` }),
    });
    return () => subscription.unsubscribe();
  };
}
