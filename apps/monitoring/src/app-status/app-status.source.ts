import type { ArgoCd } from '@platform/argo-client';
import { gatherSnapshotPages } from '@platform/watch';
import type { AppPlacement } from '../access/app-access';
import type { TopicSource } from '../streams/topic';
import { appStatusOf } from './app-status';

/**
 * An app's status topic: one Argo CD watch of the Application. Every (re)connection of the watch
 * lists it afresh; after the first, clients get `reconnecting` and a new `snapshot` so they know
 * they may have missed intermediate states but now hold the truth. Changes that do not alter what
 * the portal shows (Argo CD rewrites reconciledAt constantly) are not sent.
 */
export function appStatusSource(argocd: ArgoCd, placement: AppPlacement): TopicSource {
  const app = placement.application;
  return (feed) => {
    let last: string | undefined;
    let connected = false;
    // One Application: its list is gathered whole.
    const subscription = argocd
      .watch({ name: app })
      .pipe(gatherSnapshotPages())
      .subscribe({
        next: (notice) => {
          switch (notice.kind) {
            case 'snapshot': {
              if (connected) feed.publish('reconnecting', { reason: notice.reason });
              connected = true;
              const application = notice.items.find((a) => a.metadata.name === app);
              const status = application === undefined ? null : appStatusOf(application, placement);
              last = signature(status);
              feed.snapshot(status);
              return;
            }
            case 'event': {
              if (notice.event.application.metadata.name !== app) return;
              const status =
                notice.event.type === 'DELETED' ? null : appStatusOf(notice.event.application, placement);
              const next = signature(status);
              if (next === last) return;
              last = next;
              feed.publish(
                status === null ? 'deleted' : 'status',
                status ?? { app: placement.app, environment: placement.environment },
              );
              feed.setState(status);
              return;
            }
            case 'resync':
            case 'reconnected':
              feed.publish('reconnecting', { reason: notice.reason });
              return;
          }
        },
        error: (error: unknown) =>
          feed.complete('upstream-error', {
            message: `the Argo CD watch failed: ${(error as Error).message}`,
          }),
      });
    return () => subscription.unsubscribe();
  };
}

/** Equality of what clients see; reconciledAt moves on every refresh and alone is no change. */
function signature(status: ReturnType<typeof appStatusOf> | null): string {
  return status === null ? 'null' : JSON.stringify({ ...status, reconciledAt: null });
}
