import type { Handler, Router } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import { parseBool, parseOptionalInt, type Gateway } from '../../grpc-gateway';
import { streamWorkflowLogs } from './workflow-logs';

/** `GET /api/v1/workflows/{ns}/{name}/log` and its per-pod form `/{podName}/log`. */
export function logRoutes(router: Router, gateway: Gateway, ctx: SandboxContext, batchMs: number): void {
  const handler: Handler = gateway.stream(({ params, query }, stream) => {
    const grep = query.get('grep') ?? '';
    streamWorkflowLogs(
      ctx,
      stream,
      {
        namespace: params.namespace ?? '',
        name: params.name ?? '',
        podName: params.podName ?? query.get('podName') ?? '',
        container: query.get('logOptions.container') ?? '',
        follow: parseBool(query.get('logOptions.follow')),
        grep: grep === '' ? undefined : safeRegExp(grep),
        tailLines: parseOptionalInt(query.get('logOptions.tailLines')),
        sinceSeconds: parseOptionalInt(query.get('logOptions.sinceSeconds')),
      },
      batchMs,
    );
  });
  router.on('GET', '/api/v1/workflows/:namespace/:name/log', handler);
  router.on('GET', '/api/v1/workflows/:namespace/:name/:podName/log', handler);
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    // Go's regexp.MatchString error means no line matches.
    return /$^/;
  }
}
