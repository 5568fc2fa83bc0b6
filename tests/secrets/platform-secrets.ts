import { Kinds, type Sandbox } from '@platform/sandbox';
import { randomBytes } from 'node:crypto';
import type { RunRecord } from './run-record';

/**
 * Passwords and tokens of the sandbox, new for each run: a find of one in a log cannot be a
 * coincidence, and none is a short word that occurs in host names (the defaults' `sandbox`).
 */
export function runSecretsOptions(): {
  argoToken: string;
  argocdPassword: string;
  argocdServices: { username: string; password: string };
  argocdWorkflows: { username: string; password: string };
  registryAdminPassword: string;
  gitPassword: string;
  gitToken: string;
  kubeToken: string;
} {
  const secret = (): string => randomBytes(18).toString('base64url');
  return {
    argoToken: secret(),
    argocdPassword: secret(),
    argocdServices: { username: 'platform-api', password: secret() },
    argocdWorkflows: { username: 'platform-workflows', password: secret() },
    registryAdminPassword: secret(),
    gitPassword: secret(),
    gitToken: secret(),
    kubeToken: secret(),
  };
}

/** Keys of Secret data that name rather than protect (a username, a URL, a timestamp). */
const NOT_SECRET = /^(username|url|type|project|name|.*Mtime)$/;

/**
 * Every secret a platform run uses: the sandbox's logins and tokens, the data of every Secret in
 * its cluster (docker configs opened to their passwords and `auth`), the registry's robot
 * secrets, and the services' own credentials (env keys ending in PASSWORD, TOKEN or SECRET).
 */
export function recordPlatformSecrets(
  record: RunRecord,
  sandbox: Sandbox,
  envs: Record<string, Record<string, string>>,
): void {
  const { config } = sandbox.ctx;
  record.secret('Argo Workflows token', config.argoToken);
  record.secret('Argo CD admin password', config.argocdPassword);
  record.secret("Argo CD services' password", config.argocdServices.password);
  record.secret("Argo CD workflows' password", config.argocdWorkflows.password);
  record.secret('registry admin password', config.registryAdminPassword);
  record.secret('git password', config.gitPassword);
  record.secret('git token', config.gitToken);
  record.secret('Kubernetes API token', sandbox.kubeToken);
  const logins = sandbox.ctx.registry.platformLogins;
  for (const [role, login] of Object.entries(logins ?? {}))
    record.secret(`registry ${role} robot`, login.password);
  for (const [robot, value] of sandbox.ctx.registry.rememberedSecrets)
    record.secret(`registry robot ${robot}`, value);
  for (const secret of sandbox.ctx.store.list(Kinds.Secret).items) {
    const data = (secret as { data?: Record<string, string> }).data ?? {};
    for (const [key, encoded] of Object.entries(data)) {
      if (NOT_SECRET.test(key)) continue;
      const value = Buffer.from(encoded, 'base64').toString('utf8');
      const where = `Secret ${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''} ${key}`;
      if (key === '.dockerconfigjson') recordDockerConfig(record, where, value);
      else record.secret(where, value);
    }
  }
  for (const [service, env] of Object.entries(envs)) {
    for (const [key, value] of Object.entries(env)) {
      if (/(PASSWORD|TOKEN|SECRET)$/.test(key)) record.secret(`${service} ${key}`, value);
    }
  }
}

function recordDockerConfig(record: RunRecord, where: string, json: string): void {
  const config = JSON.parse(json) as { auths?: Record<string, { password?: string; auth?: string }> };
  for (const [host, entry] of Object.entries(config.auths ?? {})) {
    record.secret(`${where} ${host} password`, entry.password);
    record.secret(`${where} ${host} auth`, entry.auth);
  }
}
