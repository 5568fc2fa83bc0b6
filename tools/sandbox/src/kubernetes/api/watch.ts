import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WatchEvent } from '../../core/kube-object';
import type { Watch } from '../../core/object-store';
import { apiVersionOf, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { StoreError } from '../../core/store-errors';
import { KubeStream } from './kube-stream';
import { type Representation, toTable } from './table/table';
import { flag, integer, selectors } from './query';
import { failureStatus, KubeApiError } from './status';

export interface WatchTarget {
  kind: ResourceKind;
  namespace: string | undefined;
  /** Objects, or (kubectl get -w) one-row Tables, the first with the column definitions. */
  representation: Representation;
}

type WireEvent =
  WatchEvent | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

/**
 * Serves `?watch=1`: one `{"type","object"}` JSON line per change. Bad parameters are answered
 * with a 400 Status before the stream starts; a resourceVersion older than the history is, as on
 * the real server, an HTTP 200 stream holding a single ERROR event (410 Expired) that then ends.
 */
export function serveWatch(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: WatchTarget,
  query: URLSearchParams,
  bookmarkIntervalMs: number,
): void {
  const { labelSelector, fieldSelector } = selectors(query);
  const timeoutSeconds = integer(query, 'timeoutSeconds');
  const bookmarks = flag(query, 'allowWatchBookmarks');
  const sendInitialEvents = flag(query, 'sendInitialEvents');
  const requested = query.get('resourceVersion') ?? '';
  if (requested !== '' && !/^\d+$/.test(requested)) {
    throw KubeApiError.badRequest(
      `resourceVersion: Invalid value: "${requested}": must be a non-negative integer`,
    );
  }
  const resumes = requested !== '' && requested !== '0' && !sendInitialEvents;

  const stream = new KubeStream(ctx, req, res, 'application/json');
  const send = (event: WireEvent): boolean => stream.write(`${JSON.stringify(event)}\n`);
  const { representation } = target;
  let headersSent = false;
  const sendChange = (event: WatchEvent): boolean => {
    if (representation.as === 'objects') return send(event);
    const { resourceVersion } = event.object.metadata;
    const table = toTable(target.kind, [event.object], { resourceVersion }, representation, !headersSent);
    headersSent = true;
    return send({ type: event.type, object: table });
  };
  const bookmark = (annotations?: Record<string, string>): boolean =>
    send({
      type: 'BOOKMARK',
      object: {
        kind: target.kind.kind,
        apiVersion: apiVersionOf(target.kind),
        metadata: { resourceVersion: ctx.store.resourceVersion, ...(annotations && { annotations }) },
      },
    });
  const expire = (message: string): void => {
    send({ type: 'ERROR', object: failureStatus(410, 'Expired', message) });
    stream.end();
  };

  if (resumes && ctx.faults.get('kube').force410 === true) {
    expire(`too old resource version: ${requested} (${ctx.store.resourceVersion})`);
    return;
  }
  let watch: Watch;
  try {
    watch = ctx.store.watch(
      target.kind,
      {
        namespace: target.namespace,
        labelSelector,
        fieldSelector,
        resourceVersion: resumes ? requested : undefined,
      },
      (event) => {
        if (ctx.faults.get('kube').dropWatchEvents !== true) sendChange(event);
      },
    );
  } catch (error) {
    if (error instanceof StoreError && error.reason === 'Expired') return expire(error.message);
    throw error;
  }
  // The informer protocol's marker that the initial state has been sent in full.
  if (sendInitialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const timers: NodeJS.Timeout[] = [];
  if (bookmarks) timers.push(setInterval(() => void bookmark(), bookmarkIntervalMs));
  if (timeoutSeconds !== undefined && timeoutSeconds > 0) {
    timers.push(setTimeout(() => stream.end(), timeoutSeconds * 1000));
  }
  for (const timer of timers) timer.unref();
  stream.onClose(() => {
    watch.close();
    for (const timer of timers) clearTimeout(timer);
  });
}
