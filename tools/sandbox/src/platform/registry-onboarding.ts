import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import type { RegistryCredential } from '../registry/client/docker-config';
import type { RegistryAction } from '../registry/harbor-accounts';

/**
 * The Secret a team's builds push with (deploy/argo ci.yaml, create-app.yaml mount
 * `platform-registry-{{workflow.parameters.team}}`): its project robot, and nobody else's.
 */
export function teamRegistrySecret(team: string): string {
  return `platform-registry-${team}`;
}

/** Robots the platform team creates once (system level, Harbor "all projects"), read-only. */
export const PLATFORM_ROBOTS = {
  /** The services' read-only account: "was this image built?" (REGISTRY_USERNAME). */
  reader: 'platform-api',
  /** The nodes' pull credential (the kubelet's /var/lib/kubelet/config.json). */
  nodes: 'cluster-pull',
} as const;

/** What the platform setup hands out: the logins of its robots. */
export interface PlatformRegistryLogins {
  reader: RegistryCredential;
  nodes: RegistryCredential;
}

/**
 * What a platform team sets up once in Harbor and the cluster before the Platform API can build
 * and deploy (documented in deploy/argo/README.md): a read-only robot for the services, and a
 * read-only robot in every node's kubelet config, since the app charts set no imagePullSecrets
 * and the projects are private. No robot may push to every project: builds push with their
 * team's robot ({@link onboardRegistryTeam}). Robot secrets survive a sandbox reset, so running
 * services keep working.
 */
export function setUpPlatformRegistry(ctx: SandboxContext): PlatformRegistryLogins {
  const robot = (name: string, actions: RegistryAction[]): RegistryCredential => {
    const fullName = `robot$${name}`;
    const created =
      ctx.registry.accounts.robot(fullName) ??
      ctx.registry.accounts.createRobot({
        name,
        actions,
        namespaces: ['*'],
        secret: ctx.config.registryPlatformSecret ?? rememberedSecret(ctx, fullName),
      });
    ctx.registry.rememberedSecrets.set(fullName, created.secret);
    return { username: created.name, password: created.secret };
  };
  const logins = {
    reader: robot(PLATFORM_ROBOTS.reader, ['pull']),
    nodes: robot(PLATFORM_ROBOTS.nodes, ['pull']),
  };
  ctx.registry.nodeDockerConfig = dockerConfigJson(ctx.config.registryHost, logins.nodes);
  ctx.registry.platformLogins = logins;
  return logins;
}

/**
 * Onboards a team the way the platform team does it in Harbor: a private project named after the
 * team and a project robot `robot$<team>+ci` that may pull and push there only, kept as the
 * Secret `platform-registry-<team>` in the Argo namespace (the per-team credential a workflow
 * picks by team, issue #16). Idempotent.
 */
export function onboardRegistryTeam(ctx: SandboxContext, team: string): RegistryCredential {
  const accounts = ctx.registry.accounts;
  accounts.ensureProject(team);
  const name = `robot$${team}+ci`;
  const robot =
    accounts.robot(name) ??
    accounts.createRobot({
      name: 'ci',
      project: team,
      actions: ['pull', 'push'],
      secret: rememberedSecret(ctx, name),
    });
  ctx.registry.rememberedSecrets.set(name, robot.secret);
  const login = { username: robot.name, password: robot.secret };
  putDockerConfigSecret(ctx, teamRegistrySecret(team), login);
  return login;
}

/** A docker config with one `auths` entry, as `kubectl create secret docker-registry` writes it. */
export function dockerConfigJson(host: string, login: RegistryCredential): string {
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
  return JSON.stringify({ auths: { [host]: { username: login.username, password: login.password, auth } } });
}

function putDockerConfigSecret(ctx: SandboxContext, name: string, login: RegistryCredential): void {
  const namespace = ctx.config.argoNamespace;
  const secret = {
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': Buffer.from(dockerConfigJson(ctx.config.registryHost, login)).toString('base64'),
    },
  };
  if (ctx.store.get(Kinds.Secret, namespace, name) === undefined) ctx.store.create(Kinds.Secret, secret);
  else ctx.store.update(Kinds.Secret, secret);
}

function rememberedSecret(ctx: SandboxContext, name: string): string | undefined {
  return ctx.registry.rememberedSecrets.get(name);
}
