import type { Sandbox } from '../sandbox';

/**
 * The settings that point the task service at a sandbox's registry: its URL (with the sandbox's
 * CA file when it serves HTTPS), and the read-only robot of the platform setup
 * (`registryPlatform`) when there is one.
 */
export function registryUpstreamEnv(
  sandbox: Pick<Sandbox, 'urls' | 'ctx' | 'caFile'>,
): Record<string, string> {
  const reader = sandbox.ctx.registry.platformLogins?.reader;
  return {
    REGISTRY_URL: sandbox.urls.registry,
    ...(sandbox.urls.registry.startsWith('https:') ? { REGISTRY_CA_FILE: sandbox.caFile } : {}),
    REGISTRY_HOST: sandbox.ctx.config.registryHost,
    ...(reader === undefined
      ? {}
      : { REGISTRY_USERNAME: reader.username, REGISTRY_PASSWORD: reader.password }),
  };
}
