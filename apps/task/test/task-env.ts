import { argoUpstreamEnv, registryUpstreamEnv, type Sandbox } from '@platform/sandbox';
import { TEST_AUTH_ENV, TEST_LIMITS_ENV, TEST_REDIS_URL } from '@platform/service-runtime/testing';
import path from 'node:path';

/** The repo's own template catalog, as the Deployment mounts it from a ConfigMap. */
export const CATALOG_FILE = path.resolve(__dirname, '..', '..', '..', 'deploy', 'templates', 'catalog.yaml');

// Never called: a syntactically valid URL of a port nothing listens on.
const NOWHERE = 'http://127.0.0.1:9';

/** A complete task service environment whose upstreams are `overrides` (or nowhere). */
export function taskEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    ...TEST_AUTH_ENV,
    ...TEST_LIMITS_ENV,
    ARGO_SERVER_URL: NOWHERE,
    ARGOCD_SERVER_URL: NOWHERE,
    ARGOCD_PASSWORD: 'unused',
    GIT_SERVER_URL: NOWHERE,
    REGISTRY_HOST: 'registry.test',
    REGISTRY_URL: NOWHERE,
    TEMPLATES_CATALOG_FILE: CATALOG_FILE,
    ...overrides,
  };
}

/** The task service's environment against a running sandbox. */
export function sandboxTaskEnv(
  sandbox: Sandbox,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const { urls, ctx } = sandbox;
  return taskEnv({
    ...argoUpstreamEnv(sandbox),
    GIT_SERVER_URL: urls.git,
    ...(urls.git.startsWith('https:') ? { GIT_CA_FILE: sandbox.caFile } : {}),
    ...(ctx.config.gitToken === undefined ? {} : { GIT_TOKEN: ctx.config.gitToken }),
    ...registryUpstreamEnv(sandbox),
    ...overrides,
  });
}
