import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { DestinationCluster } from './app-project';
import type { AppDestination } from './app-types';

/** The cluster Argo CD runs in, known without a Secret (`in-cluster`). */
export const IN_CLUSTER: DestinationCluster = {
  server: 'https://kubernetes.default.svc',
  name: 'in-cluster',
};

/** Why a destination names no cluster Argo CD knows: the text of Argo CD's error. */
export class DestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationError';
  }
}

/**
 * `argo.GetDestinationCluster` (argoproj/argo-cd `util/argo/argo.go`, `util/db/cluster.go`): by
 * server (a trailing `/` ignored) or by name, never both, never neither. Clusters are the
 * in-cluster one and those of the cluster Secrets in Argo CD's namespace (labelled
 * `argocd.argoproj.io/secret-type: cluster`, with `name` and `server`): the sandbox deploys
 * to none but its own, yet Applications may name them as on a real Argo CD.
 */
export function destinationCluster(
  ctx: SandboxContext,
  destination: AppDestination | undefined,
): DestinationCluster {
  const server = destination?.server ?? '';
  const name = destination?.name ?? '';
  if (name !== '' && server !== '') {
    throw new DestinationError(
      `application destination can't have both name and server defined: ${name} ${server}`,
    );
  }
  const clusters = clusterSecrets(ctx);
  if (server !== '') {
    const url = server.replace(/\/+$/, '');
    const found =
      clusters.find((c) => c.server === url) ?? (url === IN_CLUSTER.server ? IN_CLUSTER : undefined);
    if (found !== undefined) return found;
    throw new DestinationError(
      `error getting cluster by server ${JSON.stringify(server)}: rpc error: code = NotFound desc = cluster ${JSON.stringify(url)} not found`,
    );
  }
  if (name !== '') {
    const named = clusters.filter((c) => c.name === name);
    if (named.length === 0 && name === IN_CLUSTER.name) return IN_CLUSTER;
    if (named.length === 0) throw new DestinationError(`there are no clusters with this name: ${name}`);
    if (named.length > 1) {
      throw new DestinationError(
        `there are ${named.length} clusters with the same name: [${named.map((c) => c.server).join(' ')}]`,
      );
    }
    return named[0] ?? IN_CLUSTER;
  }
  throw new DestinationError('Destination server missing from app spec');
}

function clusterSecrets(ctx: SandboxContext): DestinationCluster[] {
  return ctx.store
    .list(Kinds.Secret, { namespace: ctx.config.argocdNamespace })
    .items.filter((s) => s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster')
    .map((s) => ({ server: field(s, 'server').replace(/\/+$/, ''), name: field(s, 'name') }));
}

/** A Secret's value: `data` is base64; `stringData` as written (the sandbox keeps it). */
function field(secret: KubeObject, key: string): string {
  const s = secret as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  const plain = s.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = s.data?.[key];
  return encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
}
