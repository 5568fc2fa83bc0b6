import { FieldSelector } from '../../core/field-selector';
import type { Router } from '../../core/http-kit';
import type { WatchEvent } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import type { ResourceKind } from '../../core/resource-kinds';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, type Gateway, type GatewayStream } from '../../grpc-gateway';

/** Field selectors the API server accepts on custom resources. */
const CRD_FIELDS = new Set(['metadata.name', 'metadata.namespace']);

/**
 * `GET /api/v1/workflow-events/{ns}` (WatchWorkflows) and `GET /api/v1/stream/events/{ns}`
 * (WatchEvents): Kubernetes watches piped to the stream. When the watch underneath times out the
 * server ends the stream with ResourceExhausted "EOF"; the sandbox does that after `watchTimeoutMs`
 * without an event.
 */
export function watchRoutes(
  router: Router,
  gateway: Gateway,
  ctx: SandboxContext,
  watchTimeoutMs: number,
): void {
  router.on(
    'GET',
    '/api/v1/workflow-events/:namespace',
    gateway.stream(({ params, query }, stream) => {
      const fieldSelector = query.get('listOptions.fieldSelector') ?? '';
      for (const requirement of fieldSelector.split(',').filter((r) => r !== '')) {
        const label = requirement.split(/!=|==|=/)[0] ?? '';
        if (!CRD_FIELDS.has(label.trim()))
          throw new GrpcError(GrpcCode.InvalidArgument, `field label not supported: ${label}`);
      }
      pipeWatch(ctx, stream, Kinds.Workflow, params.namespace ?? '', query, watchTimeoutMs, (event) => ({
        type: event.type,
        object: event.object,
      }));
    }),
  );

  router.on(
    'GET',
    '/api/v1/stream/events/:namespace',
    gateway.stream(({ params, query }, stream) => {
      pipeWatch(
        ctx,
        stream,
        Kinds.Event,
        params.namespace ?? '',
        query,
        watchTimeoutMs,
        (event) => event.object,
      );
    }),
  );
}

function pipeWatch(
  ctx: SandboxContext,
  stream: GatewayStream,
  kind: ResourceKind,
  namespace: string,
  query: URLSearchParams,
  timeoutMs: number,
  toResult: (event: WatchEvent) => unknown,
): void {
  const resourceVersion = query.get('listOptions.resourceVersion') ?? undefined;
  const resuming = resourceVersion !== undefined && resourceVersion !== '' && resourceVersion !== '0';
  if (resuming && ctx.faults.get('argo').force410) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      `too old resource version: ${resourceVersion} (${ctx.store.oldestResumableVersion})`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const armTimeout = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => stream.fail(new GrpcError(GrpcCode.ResourceExhausted, 'EOF')), timeoutMs);
  };
  const options = {
    namespace: namespace === '' ? undefined : namespace,
    labelSelector: LabelSelector.parse(query.get('listOptions.labelSelector') ?? ''),
    fieldSelector: FieldSelector.parse(query.get('listOptions.fieldSelector') ?? ''),
    resourceVersion,
  };
  armTimeout();
  let watch: { close(): void } | undefined;
  try {
    watch = ctx.store.watch(kind, options, (event) => {
      stream.send(toResult(event));
      armTimeout();
    });
  } catch (error) {
    clearTimeout(timer);
    throw error;
  }
  const opened = watch;
  stream.onClose(() => {
    clearTimeout(timer);
    opened.close();
  });
}
