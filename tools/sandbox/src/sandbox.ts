import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminHandler } from './admin/admin.server';
import {
  ApplicationController,
  type ApplicationControllerOptions,
} from './argo-cd/controller/application-controller';
import { argoCdHandler } from './argo-cd/server/argo-cd.server';
import { argoWorkflowsHandler, type ArgoWorkflowsServerOptions } from './argo-workflows/server';
import { createContext } from './core/create-context';
import type { SandboxConfig, SandboxContext, SandboxUrls } from './core/sandbox-context';
import { gitHandler, seedTemplateRepos } from './git';
import { createTeamOrganization } from './platform/team-organization';
import { kubeApiHandler, writeKubeconfig } from './kubernetes/api';
import { ensureDefaultProject } from './argo-cd/shared/app-projects';
import { ensureArgoCdSettings } from './argo-cd/server/argocd-settings';
import { registryHandler } from './registry/registry.server';
import { onboardRegistryTeam, setUpPlatformRegistry } from './platform/registry-onboarding';
import { seedPlatformArgoCdAccounts } from './platform/platform-argocd-accounts';
import {
  applyManifests,
  createBaseNamespaces,
  createCredentialsSecret,
  createRepoCredsSecret,
} from './platform/base-objects';
import { onboardTeam } from './platform/team-onboarding';
import { platformAdminRoutes } from './platform/admin-routes';
import { listen, type Listening, type ServerTls } from './core/listen';
import { realToolIfAvailable } from './tools/real-tools';
import { loadOrCreateCa } from './tls/sandbox-ca';
import {
  WorkflowController,
  type WorkflowControllerOptions,
} from './argo-workflows/controller/workflow-controller';
import { DeploymentController } from './kubernetes/controllers/deployment-controller';
import { TokenController } from './kubernetes/controllers/token-controller';

export type SandboxServer = keyof SandboxUrls;

/** A team's organization as {@link SandboxOptions.gitOrganizations} describes it (kept when it exists). */
export { createTeamOrganization };

export interface SandboxOptions extends Partial<Omit<SandboxConfig, 'dataDir'>> {
  /** Kept after stop when given; otherwise a temporary folder removed on stop. */
  dataDir?: string;
  /**
   * The host name others reach the sandbox by (e.g. `sandbox` in docker-compose): it goes into
   * the URLs, the kubeconfig and the sign-in tokens' issuer. Default: the bound address.
   */
  advertisedHost?: string;
  /**
   * Servers that serve HTTPS with the sandbox's CA too, as the real Argo servers do by default:
   * `true` for every one but admin (the sandbox's own), or a list (`['argo']`). The Kubernetes API
   * always does, like every real API server.
   */
  tls?: boolean | SandboxServer[];
  /** Port per server; 0 (the default) picks a free one. */
  ports?: Partial<Record<SandboxServer, number>>;
  /** Simulated-time factor: 10 makes pods start ten times faster. */
  speed?: number;
  /** Bearer token the Kubernetes API requires (written into the kubeconfig). */
  kubeToken?: string;
  /** Changes the Kubernetes API keeps for watch resumes (older versions get 410). */
  historyLimit?: number;
  bookmarkIntervalMs?: number;
  /** Folder of YAML manifests (WorkflowTemplates, Secrets...) applied at start, like `kubectl apply -f`. */
  manifestsDir?: string;
  /**
   * Creates a Secret of this name in the Argo namespace holding the workflows' Argo CD account
   * (`username`, `password`), as a platform team provides it to its workflows.
   */
  argocdCredentialsSecret?: string;
  /**
   * The same for the git server's login (`username`, and `token`: the user's access token when
   * `gitToken` is set, else its password).
   */
  gitCredentialsSecret?: string;
  /**
   * Organizations of the git server to create at start, one per team, the way this project asks a
   * platform team to: private, owned by the site administrator, with a team `platform-api` that
   * may create repositories and write to all of them, whose one member is the git user.
   */
  gitOrganizations?: string[];
  /**
   * The platform's per-team Helm chart (deploy/team), rendered with the real Helm for each team
   * of `gitOrganizations` (release name = team, `gitUrl` = this git server) and applied: the
   * team's Argo CD AppProject and its namespaces, the rest of what onboarding a team means.
   */
  teamChart?: string;
  /**
   * Creates a Secret of this name in the Argo CD namespace, labelled
   * `argocd.argoproj.io/secret-type: repo-creds`, with the git login for every repository under
   * the git server's URL: what Argo CD needs to read private repositories (a platform team creates
   * it once, e.g. with `argocd repocreds add <git-url>/ --username ... --password ...`).
   */
  argocdRepoCredsSecret?: string;
  /**
   * Sets the registry up as a platform team does once (see {@link setUpPlatformRegistry}): its
   * read-only robots for the services and for the nodes' pulls (builds push with their team's).
   */
  registryPlatform?: boolean;
  /**
   * Teams onboarded in the registry: a private project and a robot `robot$<team>+ci` each, kept
   * as the Secret `platform-registry-<team>` that the team's builds push with.
   */
  registryTeams?: string[];
  argoServer?: ArgoWorkflowsServerOptions;
  workflowController?: WorkflowControllerOptions;
  applicationController?: ApplicationControllerOptions;
}

/** A running sandbox: its URLs, a kubeconfig for it, and the shared state for tests. */
export interface Sandbox {
  urls: SandboxUrls;
  kubeconfigPath: string;
  kubeToken: string;
  /**
   * The CA (PEM file, `<dataDir>/tls/ca.crt`) that signed the certificate of every server that
   * speaks HTTPS: what a kubeconfig's certificate-authority or a service's `*_CA_FILE` names.
   */
  caFile: string;
  ctx: SandboxContext;
  stop(): Promise<void>;
}

/**
 * Starts the whole local control plane: Kubernetes, Argo Workflows, Argo CD, git, admin and
 * container registry APIs on their own ports, plus the workflow, application and deployment controllers, over one shared
 * state. Used by `npm start`, the integration tests and the benchmarks.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'platform-sandbox-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const { ports = {}, speed = 1, kubeToken = 'sandbox-kube-token', historyLimit } = options;
  const ctx = createContext(configFrom(options, dataDir), speed, historyLimit);
  createBaseNamespaces(ctx);
  // Argo CD renders charts with the real Helm: say once, now, when there is none.
  const helm = await realToolIfAvailable('helm');
  if (helm.missing !== undefined) console.warn(`sandbox: Argo CD cannot render Helm charts: ${helm.missing}`);

  const controllers = {
    tokens: new TokenController(ctx),
    deployments: new DeploymentController(ctx),
    applications: new ApplicationController(ctx, options.applicationController),
    workflows: new WorkflowController(ctx, options.workflowController),
  };
  const startControllers = (): void => Object.values(controllers).forEach((c) => c.start());
  const stopControllers = (): void => Object.values(controllers).forEach((c) => c.stop());

  const ca = await loadOrCreateCa(dataDir);
  const certificate = await ca.issueServerCertificate(serverNames(ctx.config.host, options.advertisedHost));
  const tlsFor = (name: SandboxServer): ServerTls | undefined =>
    servesTls(name, options.tls) ? certificate : undefined;

  const servers: Listening[] = [];
  const serve = async (name: SandboxServer, handler: Parameters<typeof listen>[0]): Promise<string> => {
    const server = await listen(handler, ctx.config.host, ports[name] ?? 0, tlsFor(name));
    servers.push(server);
    const url = new URL(server.url);
    if (options.advertisedHost !== undefined) url.hostname = options.advertisedHost;
    ctx.urls[name] = url.origin;
    return url.origin;
  };
  try {
    await serve(
      'kube',
      kubeApiHandler(ctx, { token: kubeToken, bookmarkIntervalMs: options.bookmarkIntervalMs }),
    );
    await serve('argo', argoWorkflowsHandler(ctx, options.argoServer));
    await serve('argocd', argoCdHandler(ctx));
    await serve('git', gitHandler(ctx));
    await serve('registry', registryHandler(ctx));
    const { teamChart } = options;
    await serve(
      'admin',
      adminHandler(
        ctx,
        {
          reset: async () => {
            stopControllers();
            ctx.clock.cancelAll();
            ctx.faults.clear();
            ctx.store.clear();
            ctx.logs.clear();
            ctx.events.clear();
            ctx.registry.clear();
            await seedInitialState(ctx, options);
            ctx.store.restartHistory();
            startControllers();
          },
        },
        ca,
        platformAdminRoutes(
          ctx,
          teamChart === undefined
            ? {}
            : { onboardTeamChart: (team: string) => onboardTeam(ctx, teamChart, team, ctx.urls.git) },
        ),
      ),
    );
    await seedInitialState(ctx, options);
    // The API server's watch cache starts here, from a list of what was seeded: like on a real
    // cluster, a resume from an earlier version (resourceVersion=1) is 410 Expired.
    ctx.store.restartHistory();
    startControllers();
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }

  const kubeconfigPath = path.join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, ctx.urls.kube, kubeToken, ca.caPem);
  return {
    urls: ctx.urls,
    kubeconfigPath,
    kubeToken,
    caFile: ca.caFile,
    ctx,
    stop: async () => {
      stopControllers();
      ctx.clock.cancelAll();
      ctx.faults.clear();
      await Promise.all(servers.map((s) => s.close()));
      ctx.logs.clear();
      if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function servesTls(name: SandboxServer, tls: SandboxOptions['tls']): boolean {
  if (name === 'kube') return true;
  if (tls === true) return name !== 'admin';
  return Array.isArray(tls) && tls.includes(name);
}

/** What the server certificate is valid for: every name a client may use to reach the sandbox. */
function serverNames(host: string, advertisedHost: string | undefined): string[] {
  const names = ['127.0.0.1', 'localhost'];
  if (host !== '0.0.0.0' && host !== '::') names.push(host);
  if (advertisedHost !== undefined) names.push(advertisedHost);
  return names;
}

async function seedInitialState(ctx: SandboxContext, options: SandboxOptions): Promise<void> {
  createBaseNamespaces(ctx);
  ensureArgoCdSettings(ctx);
  ensureDefaultProject(ctx);
  seedPlatformArgoCdAccounts(ctx);
  if (options.templatesDir !== undefined) await seedTemplateRepos(ctx, options.templatesDir);
  if (options.manifestsDir !== undefined) applyManifests(ctx, options.manifestsDir);
  const { config } = ctx;
  if (config.registryAuth === 'harbor') {
    if (options.registryPlatform === true) setUpPlatformRegistry(ctx);
    for (const team of options.registryTeams ?? []) onboardRegistryTeam(ctx, team);
  }
  if (options.argocdCredentialsSecret !== undefined) {
    createCredentialsSecret(ctx, options.argocdCredentialsSecret, { ...config.argocdWorkflows });
  }
  const gitSecret = config.gitToken ?? config.gitPassword;
  if (options.gitCredentialsSecret !== undefined) {
    createCredentialsSecret(ctx, options.gitCredentialsSecret, {
      username: config.gitUsername,
      token: gitSecret,
    });
  }
  for (const team of options.gitOrganizations ?? []) {
    createTeamOrganization(ctx, team);
    if (options.teamChart !== undefined) await onboardTeam(ctx, options.teamChart, team, ctx.urls.git);
  }
  if (options.argocdRepoCredsSecret !== undefined) {
    createRepoCredsSecret(ctx, options.argocdRepoCredsSecret, {
      url: `${ctx.urls.git}/`,
      username: config.gitUsername,
      password: gitSecret,
    });
  }
}

function configFrom(options: SandboxOptions, dataDir: string): Partial<SandboxConfig> {
  const config: Partial<SandboxConfig> = { dataDir };
  const keys: Array<keyof SandboxConfig> = [
    'host',
    'keepaliveMs',
    'argoNamespace',
    'argocdNamespace',
    'argoToken',
    'argocdUsername',
    'argocdPassword',
    'argocdServices',
    'argocdWorkflows',
    'registryHost',
    'registryAuth',
    'registryAdminPassword',
    'registryPlatformSecret',
    'gitUsername',
    'gitPassword',
    'gitToken',
    'gitTemplatesOrg',
    'templatesDir',
  ];
  for (const key of keys) {
    if (options[key] !== undefined) Object.assign(config, { [key]: options[key] });
  }
  return config;
}
