#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { fromWorkingDirectory } from './cli-paths';
import { startSandbox, type SandboxServer } from './sandbox';

const USAGE = `platform-sandbox: a local Kubernetes + Argo Workflows + Argo CD + git + registry control plane

  --host <addr>        address to bind (default 127.0.0.1)
  --advertise <host>   host name clients use for it (URLs, kubeconfig, token issuer)
  --port-base <n>      kube n, argo n+1, argocd n+2, git n+3, admin n+4, registry n+5
                       (default: random ports)
  --data-dir <dir>     keep git repositories and work dirs here (default: a temporary folder)
  --templates <dir>    seed each sub-folder as a template git repository
  --manifests <dir>    apply the YAML manifests in <dir> (WorkflowTemplates, Secrets...)
  --argocd-secret <n>  create Secret <n> in the argo namespace with the workflows' Argo CD login
  --git-auth <user:password>  the git server's user and password (default sandbox:sandbox-git-password)
  --git-token <token>  a personal access token of that user
  --git-orgs <a,b>     create these team organizations, where the git user may create repositories
  --team-chart <dir>   onboard each team of --git-orgs with this Helm chart (deploy/team): its
                       Argo CD AppProject and namespaces, rendered by the real helm and applied
  --git-secret <n>     create Secret <n> in the argo namespace with the git login (its token if set)
  --argocd-repo-creds <n>  create the Argo CD repo-creds Secret <n> for everything on the git server
  --registry-auth <m>  harbor (default: Harbor's robot accounts and token auth) or none
  --registry-platform  set the registry up as a platform team does: read-only robots for the
                       services and the nodes' pulls
  --registry-teams <t> onboard these teams (comma-separated): a private project and robot each,
                       Secret platform-registry-<team> for its builds
  --registry-platform-secret <s>  give the platform robots this secret (default: generated)
  --tls <servers>      these serve HTTPS with the sandbox CA too (kube always does):
                       all (every one but admin), or a list such as argo,argocd,git
  --speed <factor>     simulated time factor (default 1)
  --json               print one JSON line with the URLs instead of text`;

const ORDER: SandboxServer[] = ['kube', 'argo', 'argocd', 'git', 'admin', 'registry'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      advertise: { type: 'string' },
      'port-base': { type: 'string' },
      'data-dir': { type: 'string' },
      templates: { type: 'string' },
      manifests: { type: 'string' },
      'argocd-secret': { type: 'string' },
      'git-auth': { type: 'string' },
      'git-secret': { type: 'string' },
      'git-token': { type: 'string' },
      'git-orgs': { type: 'string' },
      'team-chart': { type: 'string' },
      'argocd-repo-creds': { type: 'string' },
      'registry-auth': { type: 'string' },
      'registry-platform': { type: 'boolean' },
      'registry-teams': { type: 'string' },
      'registry-platform-secret': { type: 'string' },
      speed: { type: 'string' },
      tls: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
  const base = values['port-base'] === undefined ? undefined : Number(values['port-base']);
  if (base !== undefined && !(Number.isInteger(base) && base > 0 && base < 65530)) {
    throw new Error(`--port-base must be a port number, got ${values['port-base']}`);
  }
  const registryAuth = values['registry-auth'] ?? 'harbor';
  if (registryAuth !== 'harbor' && registryAuth !== 'none') {
    throw new Error(`--registry-auth must be harbor or none, got ${registryAuth}`);
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) throw new Error(`--speed must be a number > 0, got ${values.speed}`);
  const sandbox = await startSandbox({
    host: values.host ?? '127.0.0.1',
    advertisedHost: values.advertise,
    ports: base === undefined ? {} : Object.fromEntries(ORDER.map((name, i) => [name, base + i])),
    dataDir: fromWorkingDirectory(values['data-dir']),
    templatesDir: fromWorkingDirectory(values.templates),
    manifestsDir: fromWorkingDirectory(values.manifests),
    argocdCredentialsSecret: values['argocd-secret'],
    ...gitLogin(values['git-auth']),
    gitToken: values['git-token'],
    gitOrganizations: values['git-orgs']?.split(',').filter((o) => o !== ''),
    teamChart: fromWorkingDirectory(values['team-chart']),
    gitCredentialsSecret: values['git-secret'],
    argocdRepoCredsSecret: values['argocd-repo-creds'],
    registryAuth,
    registryPlatform: values['registry-platform'] === true,
    registryTeams: values['registry-teams']?.split(',').filter((t) => t !== ''),
    registryPlatformSecret: values['registry-platform-secret'],
    speed,
    tls: tlsServers(values.tls),
  });
  const { config } = sandbox.ctx;
  // What a service needs to talk to this sandbox, for npm start and other launchers.
  const summary = {
    urls: sandbox.urls,
    kubeconfig: sandbox.kubeconfigPath,
    caFile: sandbox.caFile,
    argoToken: config.argoToken,
    // The services' read-only Argo CD account (the workflows' is in the --argocd-secret Secret).
    argocd: { ...config.argocdServices },
    registryHost: config.registryHost,
    // The services' read-only robot, when the platform setup created it.
    registry: {
      url: sandbox.urls.registry,
      username: sandbox.ctx.registry.platformLogins?.reader.username,
      password: sandbox.ctx.registry.platformLogins?.reader.password,
    },
    git: { username: config.gitUsername, token: config.gitToken ?? config.gitPassword },
  };
  if (values.json === true) {
    console.log(JSON.stringify(summary));
  } else {
    console.log('sandbox running:');
    for (const name of ORDER) console.log(`  ${name.padEnd(8)} ${sandbox.urls[name]}`);
    console.log(`  kubeconfig ${sandbox.kubeconfigPath}`);
    console.log(`  CA file    ${sandbox.caFile}`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function tlsServers(value: string | undefined): boolean | SandboxServer[] {
  if (value === undefined) return false;
  if (value === 'all') return true;
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ORDER as string[]).includes(name) || name === 'admin');
  if (unknown.length > 0) {
    throw new Error(
      `--tls takes all or a list of ${ORDER.filter((n) => n !== 'admin').join(',')}, got ${value}`,
    );
  }
  return names as SandboxServer[];
}

function gitLogin(value: string | undefined): { gitUsername?: string; gitPassword?: string } {
  if (value === undefined) return {};
  const colon = value.indexOf(':');
  if (colon <= 0) throw new Error(`--git-auth must be user:password, got ${value}`);
  return { gitUsername: value.slice(0, colon), gitPassword: value.slice(colon + 1) };
}

main().catch((error: unknown) => {
  console.error(`platform-sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
