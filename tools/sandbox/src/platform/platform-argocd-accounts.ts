import type { KubeObject } from '../core/kube-object';
import { Kinds } from '../core/resource-kinds';
import type { ArgoCdLogin, SandboxContext } from '../core/sandbox-context';
import {
  ARGOCD_CM,
  ARGOCD_RBAC_CM,
  ARGOCD_SECRET,
  base64Values,
  bcryptHash,
} from '../argo-cd/server/argocd-settings';

/** The Argo CD RBAC roles of the platform: read for the services; create, sync, delete for the workflows. */
export const PLATFORM_ROLES = { reader: 'role:platform-reader', deployer: 'role:platform-deployer' } as const;

/**
 * The `policy.csv` lines a platform team adds to argocd-rbac-cm for the Platform API: the
 * services' account may get every application (the name-taken check must see every project's)
 * and every project (is a team onboarded?); the workflows' account may get, create, sync and
 * delete applications (cd removes an environment its failed first deploy provisioned; delete
 * retires an app), in the teams' projects only: nothing in `default`, which permits everything (a
 * deny wins over every allow). It may not update them: `app create` runs without `--upsert`, so
 * an app of another project is never overwritten. The same lines are in the READMEs.
 */
export function platformArgoCdPolicy(services: string, workflows: string): string {
  const { reader, deployer } = PLATFORM_ROLES;
  return [
    `p, ${reader}, applications, get, */*, allow`,
    `p, ${reader}, projects, get, *, allow`,
    ...['get', 'create', 'sync', 'delete'].map(
      (action) => `p, ${deployer}, applications, ${action}, */*, allow`,
    ),
    `p, ${deployer}, applications, *, default/*, deny`,
    `g, ${services}, ${reader}`,
    `g, ${workflows}, ${deployer}`,
  ].join('\n');
}

/**
 * Sets up the platform's two Argo CD accounts the way a platform team does on a real Argo CD:
 * `accounts.<name>: login` in argocd-cm, the bcrypt password in argocd-secret
 * (`accounts.<name>.password`, `.passwordMtime`) and the policy lines in argocd-rbac-cm's
 * `policy.csv`. Nothing else: no default role, no other account.
 */
export function seedPlatformArgoCdAccounts(ctx: SandboxContext): void {
  const { argocdServices: services, argocdWorkflows: workflows } = ctx.config;
  const logins: ArgoCdLogin[] = [services, workflows];
  const namespace = ctx.config.argocdNamespace;
  const mtime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx.store.mutate(Kinds.ConfigMap, namespace, ARGOCD_CM, (cm) => {
    cm.data = {
      ...dataOf(cm),
      ...Object.fromEntries(logins.map((l) => [`accounts.${l.username}`, 'login'])),
    };
  });
  ctx.store.mutate(Kinds.Secret, namespace, ARGOCD_SECRET, (secret) => {
    secret.data = {
      ...dataOf(secret),
      ...base64Values(
        Object.fromEntries(
          logins.flatMap((l) => [
            [`accounts.${l.username}.password`, bcryptHash(l.password)],
            [`accounts.${l.username}.passwordMtime`, mtime],
          ]),
        ),
      ),
    };
  });
  ctx.store.mutate(Kinds.ConfigMap, namespace, ARGOCD_RBAC_CM, (cm) => {
    const data = dataOf(cm);
    const existing = data['policy.csv'] ?? '';
    const lines = platformArgoCdPolicy(services.username, workflows.username);
    cm.data = { ...data, 'policy.csv': existing === '' ? `${lines}\n` : `${existing.trimEnd()}\n${lines}\n` };
  });
}

function dataOf(object: KubeObject): Record<string, string> {
  return { ...((object.data ?? {}) as Record<string, string>) };
}
