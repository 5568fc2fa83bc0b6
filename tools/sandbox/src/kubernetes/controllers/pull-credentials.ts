import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import {
  DockerConfigError,
  keyringCredentials,
  parseDockerConfig,
  type RegistryCredential,
} from '../../registry/client/docker-config';

/**
 * The credentials the kubelet tries for an image, in its order: the pod's `imagePullSecrets`
 * (Secrets in its namespace of type `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg`),
 * then the node's own docker config. Only entries matching the image's registry and path count; a
 * missing or malformed Secret is skipped, as the kubelet only logs it.
 */
export function pullCredentials(
  ctx: SandboxContext,
  namespace: string,
  imagePullSecrets: unknown,
  repository: string,
): RegistryCredential[] {
  const out: RegistryCredential[] = [];
  for (const ref of Array.isArray(imagePullSecrets) ? (imagePullSecrets as Array<{ name?: unknown }>) : []) {
    if (typeof ref.name !== 'string') continue;
    const secret = ctx.store.get(Kinds.Secret, namespace, ref.name) as
      { type?: string; data?: Record<string, string> } | undefined;
    const text = dockerConfigOf(secret);
    if (text !== undefined) out.push(...matching(text, `secret ${namespace}/${ref.name}`, repository));
  }
  const node = ctx.registry.nodeDockerConfig;
  if (node !== undefined) out.push(...matching(node, '/var/lib/kubelet/config.json', repository));
  return out;
}

function dockerConfigOf(
  secret: { type?: string; data?: Record<string, string> } | undefined,
): string | undefined {
  const data = secret?.data ?? {};
  if (secret?.type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson'] !== undefined) {
    return Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8');
  }
  if (secret?.type === 'kubernetes.io/dockercfg' && data['.dockercfg'] !== undefined) {
    // The legacy format is the `auths` map itself.
    return JSON.stringify({
      auths: JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString('utf8')) as unknown,
    });
  }
  return undefined;
}

function matching(text: string, source: string, repository: string): RegistryCredential[] {
  try {
    return keyringCredentials(parseDockerConfig(text, source), repository);
  } catch (error) {
    if (error instanceof DockerConfigError || error instanceof SyntaxError) return [];
    throw error;
  }
}
