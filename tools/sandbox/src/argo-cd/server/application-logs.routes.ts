import type { Handler, Router } from '../../core/http-kit';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, parseBool, parseOptionalInt } from '../../grpc-gateway';
import type { ApplicationAccess } from './application-access';
import type { ArgoCdGateway } from './argo-cd-gateway';
import { streamApplicationLogs } from './application-logs';

/** `GET /api/v1/applications/{name}/logs` and `.../pods/{podName}/logs`. */
export function applicationLogRoutes(
  router: Router,
  gateway: ArgoCdGateway,
  ctx: SandboxContext,
  access: ApplicationAccess,
): void {
  const handler: Handler = gateway.stream(({ params, query, caller }, stream) => {
    const app = access.get(
      caller?.claims,
      'get',
      params.name ?? '',
      query.get('project') ?? '',
      query.get('appNamespace') ?? '',
    );
    access.require(caller?.claims, 'logs', 'get', app);
    const podName = params.podName ?? query.get('podName') ?? '';
    const filter = query.get('filter');
    streamApplicationLogs(ctx, stream, app, {
      container: query.get('container') ?? '',
      follow: parseBool(query.get('follow')),
      tailLines: positive(parseOptionalInt(query.get('tailLines'))),
      sinceSeconds: positive(parseOptionalInt(query.get('sinceSeconds'))),
      untilTime: untilTime(query.get('untilTime')),
      filter: filter === null || filter === '' ? undefined : filter,
      matchCase: parseBool(query.get('matchCase')),
      // A pod name means kind Pod and that resource name.
      kind: podName !== '' ? 'Pod' : (query.get('kind') ?? ''),
      group: query.get('group') ?? '',
      resourceName: podName !== '' ? podName : (query.get('resourceName') ?? ''),
      namespace: query.get('namespace') ?? '',
    });
  });
  router.on('GET', '/api/v1/applications/:name/logs', handler);
  router.on('GET', '/api/v1/applications/:name/pods/:podName/logs', handler);
}

/** Argo CD ignores non-positive tailLines / sinceSeconds. */
function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

function untilTime(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new GrpcError(GrpcCode.InvalidArgument, `invalid untilTime: ${text}`);
  return ms;
}
