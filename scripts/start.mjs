#!/usr/bin/env node
// @ts-check
// `npm start`: builds everything, makes sure Redis answers (starting a local redis-server when
// one is installed), starts the sandbox control plane (Kubernetes, Argo Workflows, Argo CD, git,
// admin + development sign-in, container registry), runs task, monitoring and summary against it, prints the URLs and
// a development token, and stops everything on Ctrl-C. Logs go to .run/logs/<name>.log.
//
// Environment: PLATFORM_PORT_BASE moves every port (see lib/ports.mjs); PLATFORM_RUN_DIR keeps
// logs, sandbox data and the pid file elsewhere than .run; PLATFORM_SANDBOX_SPEED speeds up the
// sandbox's simulated time (default 1); PLATFORM_DEMO_APPS is how many ready-made apps of team
// "demo" are seeded (default 3, 0 for none).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformPorts, SANDBOX_SERVERS } from './lib/ports.mjs';

/**
 * The sandbox CLI's `--json` line (tools/sandbox/src/cli.ts): what a service needs to reach it.
 * @typedef {object} SandboxSummary
 * @property {Record<'kube' | 'argo' | 'argocd' | 'git' | 'admin' | 'registry', string>} urls
 * @property {string} kubeconfig
 * @property {string} caFile
 * @property {string} argoToken
 * @property {{ username: string, password: string }} argocd
 * @property {string} registryHost
 * @property {{ url: string, username?: string, password?: string }} registry
 * @property {{ username: string, token: string }} git
 */
/**
 * @typedef {object} Service
 * @property {string} name
 * @property {number} port
 * @property {string} prefix
 * @property {Record<string, string>} env
 * @property {(sb: SandboxSummary) => Record<string, string | undefined>} sandboxEnv
 */
/** @typedef {{ name: string, child: import('node:child_process').ChildProcess }} Child */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runDir = path.resolve(root, process.env.PLATFORM_RUN_DIR || '.run');
const logsShown = runDir.startsWith(root + path.sep)
  ? path.join(path.relative(root, runDir), 'logs')
  : path.join(runDir, 'logs');
const pidFile = path.join(runDir, 'start.pid');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ports = platformPorts();
const sandboxSpeed = process.env.PLATFORM_SANDBOX_SPEED || '1';
const demoApps = Number(process.env.PLATFORM_DEMO_APPS || '3');
const GATEWAY = { name: 'gateway', port: ports.gateway };
const SANDBOX_PORT_BASE = ports.sandboxBase;
const SANDBOX_PORTS = SANDBOX_SERVERS.map((name, i) => ({
  name: `sandbox ${name}`,
  port: SANDBOX_PORT_BASE + i,
}));
/**
 * The sandbox servers that serve HTTPS with its CA besides the Kubernetes API (which always does):
 * Argo Workflows, as the real server does by default. Argo CD and git stay plain HTTP until the
 * workflow steps that call them (the argocd CLI, git) are given the CA as real pods would be.
 */
const SANDBOX_TLS = 'argo';
/**
 * A server's CA setting when the sandbox serves it over HTTPS.
 * @param {string} key @param {string} url @param {SandboxSummary} sb
 */
const caFor = (key, url, sb) => (url.startsWith('https:') ? { [key]: sb.caFile } : {});
/**
 * The settings every service shares for the upstreams (WithArgoWorkflows, WithArgoCd), from the sandbox.
 * @param {SandboxSummary} sb
 */
const upstreamEnv = (sb) => ({
  ARGO_SERVER_URL: sb.urls.argo,
  ARGO_TOKEN: sb.argoToken,
  ...caFor('ARGO_CA_FILE', sb.urls.argo, sb),
  ARGOCD_SERVER_URL: sb.urls.argocd,
  ARGOCD_USERNAME: sb.argocd.username,
  ARGOCD_PASSWORD: sb.argocd.password,
  ...caFor('ARGOCD_CA_FILE', sb.urls.argocd, sb),
});
/** @type {Service[]} */
const services = [
  {
    name: 'task',
    port: ports.task,
    prefix: '/task/v1',
    env: {
      REDIS_URL: redisUrl,
      TEMPLATES_CATALOG_FILE: path.join(root, 'deploy', 'templates', 'catalog.yaml'),
      // As deploy/base/task/configmap.yaml: a deploy to prod waits for a member of the approvers
      // group, so what runs here is what a team gets in production (the demo and the walkthrough
      // show the approval).
      PROTECTED_ENVIRONMENTS: 'prod',
    },
    sandboxEnv: (sb) => ({
      ...upstreamEnv(sb),
      GIT_SERVER_URL: sb.urls.git,
      ...caFor('GIT_CA_FILE', sb.urls.git, sb),
      GIT_TOKEN: sb.git.token,
      REGISTRY_HOST: sb.registryHost,
      // Where the service asks whether an image was built, as the platform's read-only robot.
      REGISTRY_URL: sb.registry.url,
      REGISTRY_USERNAME: sb.registry.username,
      REGISTRY_PASSWORD: sb.registry.password,
    }),
  },
  {
    name: 'monitoring',
    port: ports.monitoring,
    prefix: '/monitoring/v1',
    // Its replicas' shared rate-limit counters (optional for this service).
    env: { REDIS_URL: redisUrl },
    sandboxEnv: (sb) => ({ ...upstreamEnv(sb), KUBECONFIG: sb.kubeconfig }),
  },
  {
    name: 'summary',
    port: ports.summary,
    prefix: '/summary/v1',
    // A copy on other ports keeps its own summary keys in a shared Redis (its own leader and epoch).
    env: {
      REDIS_URL: redisUrl,
      SUMMARY_KEY_PREFIX: ports.gateway === 8080 ? '{summary}:' : `{summary-${ports.gateway}}:`,
      // One replica of one version: nothing older reads the records.
      SUMMARY_SHARED_PARTS: 'true',
    },
    sandboxEnv: (sb) => ({ ...upstreamEnv(sb), KUBECONFIG: sb.kubeconfig }),
  },
];
/** @type {Child[]} */
const children = [];

function alreadyRunning() {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** @param {number} port @returns {Promise<boolean>} */
function answers(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(500);
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(socket.destroy() && false));
  });
}

async function ensureRedis() {
  const { hostname, port } = new URL(redisUrl);
  if (await answers(Number(port || 6379), hostname)) return;
  const local = hostname === '127.0.0.1' || hostname === 'localhost';
  const installed = spawnSync('redis-server', ['--version']).status === 0;
  if (!local || !installed) {
    console.error(`Redis does not answer at ${redisUrl}.`);
    console.error('Fix: sudo apt-get install -y redis-server   (or set REDIS_URL to a Redis you have)');
    process.exit(1);
  }
  console.log(`starting redis-server on port ${port || 6379} (nothing is saved to disk)`);
  const redis = spawn(
    'redis-server',
    ['--port', String(port || 6379), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  children.push({ name: 'redis', child: redis });
  for (let i = 0; i < 50 && !(await answers(Number(port || 6379))); i += 1) await sleep(100);
}

/** @param {number} ms @returns {Promise<void>} */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {Service} service */
async function waitReady(service) {
  for (let i = 0; i < 150; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${service.port}/healthz/ready`)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return false;
}

/**
 * Starts the sandbox CLI on fixed ports and reads its one-line JSON summary.
 * @returns {Promise<SandboxSummary>}
 */
async function startSandbox() {
  const log = openSync(path.join(runDir, 'logs', 'sandbox.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'tools', 'sandbox', 'dist', 'cli.js'),
      '--json',
      '--port-base',
      String(SANDBOX_PORT_BASE),
      '--data-dir',
      path.join(runDir, 'sandbox'),
      '--speed',
      sandboxSpeed,
      '--templates',
      path.join(root, 'deploy', 'templates', 'repos'),
      '--manifests',
      path.join(root, 'deploy', 'argo'),
      // What a platform team sets up (deploy/argo/README.md): the Secrets deploy/argo's workflows
      // read the Argo CD and git logins from, the git user with its access token, the demo
      // team's organization, AppProject and namespaces (deploy/team), and Argo CD's repo-creds
      // for the git server.
      '--argocd-secret',
      'platform-argocd',
      '--git-auth',
      'platform:sandbox-git-password',
      '--git-token',
      'sandbox-git-token',
      '--git-orgs',
      'demo',
      '--team-chart',
      path.join(root, 'deploy', 'team'),
      '--git-secret',
      'platform-git',
      '--argocd-repo-creds',
      'platform-git-repos',
      // The registry as a platform team sets Harbor up: the services' read-only robot, the nodes'
      // pull credential, and the demo team's private project with its robot, as the Secret
      // platform-registry-demo that the team's builds push with.
      '--registry-platform',
      '--registry-teams',
      'demo',
      '--tls',
      SANDBOX_TLS,
    ],
    { stdio: ['ignore', 'pipe', log] },
  );
  children.push({ name: 'sandbox', child });
  return new Promise((resolve, reject) => {
    let out = '';
    stdoutOf(child).on('data', (/** @type {Buffer} */ chunk) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline === -1) return;
      /** @type {unknown} */
      const summary = JSON.parse(out.slice(0, newline));
      resolve(/** @type {SandboxSummary} */ (summary));
    });
    child.once('exit', (code) =>
      reject(new Error(`the sandbox exited with code ${code}; see ${logsShown}/sandbox.log`)),
    );
  });
}

/**
 * The local gateway: one base URL with the Ingress's path routing (tools/gateway).
 * @returns {Promise<string>}
 */
async function startGateway() {
  const log = openSync(path.join(runDir, 'logs', 'gateway.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'tools', 'gateway', 'dist', 'cli.js'),
      '--ingress',
      path.join(root, 'deploy', 'base', 'ingress.yaml'),
      '--port',
      String(GATEWAY.port),
      ...services.flatMap((s) => ['--backend', `${s.name}=http://127.0.0.1:${s.port}`]),
    ],
    { stdio: ['ignore', 'pipe', log] },
  );
  children.push({ name: 'gateway', child });
  return new Promise((resolve, reject) => {
    stdoutOf(child).once('data', (/** @type {Buffer} */ chunk) => {
      /** @type {unknown} */
      const listening = JSON.parse(String(chunk));
      resolve(/** @type {{ url: string }} */ (listening).url);
    });
    child.once('exit', (code) =>
      reject(new Error(`the gateway exited with code ${code}; see ${logsShown}/gateway.log`)),
    );
  });
}

/**
 * The stdout of a child spawned with it piped (spawn's types cannot tell from a mixed stdio list).
 * @param {import('node:child_process').ChildProcess} child
 */
function stdoutOf(child) {
  if (child.stdout === null) throw new Error('the child was spawned without a stdout pipe');
  return child.stdout;
}

/**
 * Ready-made apps of team "demo" (app-00001...), so the app list and streams show something at once.
 * @param {string} adminUrl
 * @returns {Promise<string[]>}
 */
async function seedDemoApps(adminUrl) {
  if (!(demoApps > 0)) return [];
  const res = await fetch(`${adminUrl}/admin/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // With their repositories (<team>/<app>, <team>/<app>-manifests): buildable and deployable.
    body: JSON.stringify({ apps: demoApps, teams: ['demo'], gitRepos: demoApps }),
  });
  if (!res.ok) throw new Error(`seeding demo apps failed: ${res.status} ${await res.text()}`);
  return Array.from({ length: demoApps }, (_, i) => `app-${String(i + 1).padStart(5, '0')}`);
}

/**
 * A token from the sandbox's development sign-in, which the services trust through its JWKS.
 * @param {string} adminUrl
 * @returns {Promise<string>}
 */
async function devToken(adminUrl) {
  const res = await fetch(`${adminUrl}/admin/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: 'developer',
      name: 'Developer',
      teams: ['demo'],
      groups: ['platform-admins'],
      ttlSeconds: 43200,
    }),
  });
  return /** @type {{ token: string }} */ (await res.json()).token;
}

let stopping = false;

/** @param {number} code the exit code */
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  rmSync(pidFile, { force: true });
  /** @param {import('node:child_process').ChildProcess} child @returns {Promise<void>} */
  const exited = (child) =>
    new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
    );
  // Ctrl-C already reached every child through the terminal's process group; give them a moment
  // to stop on that one signal (a second one means "exit now" to the services), then TERM the rest.
  setTimeout(() => {
    for (const { child } of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }, 1000).unref();
  setTimeout(() => process.exit(code), 8000).unref();
  void Promise.all(children.map(({ child }) => exited(child))).then(() => process.exit(code));
}

async function main() {
  const running = alreadyRunning();
  if (running !== undefined) {
    console.error(
      `The platform is already running (pid ${running}); stop it with Ctrl-C in its terminal first.`,
    );
    process.exit(1);
  }
  for (const s of [GATEWAY, ...services, ...SANDBOX_PORTS]) {
    if (await answers(s.port)) {
      console.error(
        `Port ${s.port} (${s.name}) is taken by another process; free it and run npm start again.`,
      );
      process.exit(1);
    }
  }
  mkdirSync(path.join(runDir, 'logs'), { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGHUP', () => stopAll(0));
  // If whoever started us dies without passing on a signal (npm killed alone), stop too rather
  // than leave the services and the sandbox running.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stopAll(0), 1000).unref();

  console.log('building…');
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) stopAll(1);
  await ensureRedis();
  const sandbox = await startSandbox();
  const seeded = await seedDemoApps(sandbox.urls.admin);
  const identity = {
    AUTH_JWKS_URL: `${sandbox.urls.admin}/.well-known/jwks.json`,
    AUTH_ISSUER: sandbox.urls.admin,
    // The local gateway forwards from this machine: its X-Forwarded-* are believed.
    TRUSTED_PROXIES: '127.0.0.1,::1',
    // Rate limits as in production, counted apart from another copy's in a shared Redis.
    RATE_LIMIT_KEY_PREFIX:
      ports.gateway === 8080 ? 'platform-api:rate-limit:' : `platform-api-${ports.gateway}:rate-limit:`,
  };

  for (const s of services) {
    const log = openSync(path.join(runDir, 'logs', `${s.name}.log`), 'a');
    const child = spawn(process.execPath, [path.join(root, 'apps', s.name, 'dist', 'main.js')], {
      env: {
        ...process.env,
        PORT: String(s.port),
        SHUTDOWN_DRAIN_MS: '0',
        ...identity,
        ...s.env,
        ...s.sandboxEnv?.(sandbox),
      },
      stdio: ['ignore', log, log],
    });
    child.once('exit', (code) => {
      if (!stopping && code !== 0 && code !== null) {
        console.error(`${s.name} exited with code ${code}; see ${logsShown}/${s.name}.log`);
        stopAll(1);
      }
    });
    children.push({ name: s.name, child });
  }
  const ready = await Promise.all(services.map(waitReady));
  const gateway = await startGateway();
  const token = await devToken(sandbox.urls.admin);
  console.log(`\nPlatform API is running at ${gateway} (routed like the Ingress in deploy/base):`);
  services.forEach((s, i) => {
    console.log(
      `  ${s.name.padEnd(10)} ${gateway}${s.prefix}   docs ${gateway}${s.prefix}/docs   ${ready[i] ? 'ready' : 'NOT READY (see log)'}`,
    );
  });
  console.log(
    `  (each service also answers on its own port: ${services.map((s) => `${s.name} ${s.port}`).join(', ')})`,
  );
  const shown = (/** @type {string} */ file) =>
    file.startsWith(root + path.sep) ? path.relative(root, file) : file;
  const https = Object.entries(sandbox.urls)
    .filter(([, url]) => url.startsWith('https:'))
    .map(([name]) => name);
  console.log(`\nSandbox control plane (${https.join(' and ')} over HTTPS, signed by its CA):`);
  for (const [name, url] of Object.entries(sandbox.urls)) console.log(`  ${name.padEnd(10)} ${url}`);
  console.log(
    `  kubeconfig ${shown(sandbox.kubeconfig)}   try: KUBECONFIG=${shown(sandbox.kubeconfig)} kubectl get pods -A`,
  );
  console.log(`  CA file    ${shown(sandbox.caFile)}`);
  console.log(
    `  images     ${sandbox.registryHost}/<team>/<app>:<tag> (Harbor-style: private team projects)`,
  );
  console.log(
    `  teams      demo: its git organization and registry project (another team: curl -X PUT ${sandbox.urls.admin}/admin/teams/<team>)`,
  );
  console.log(`\nDevelopment token (team "demo", admin; 12 h):\n  export TOKEN=${token}`);
  const auth = '-H "Authorization: Bearer $TOKEN"';
  const sample = seeded[0] ?? 'APP';
  console.log(`\nDemo apps seeded: ${seeded.length > 0 ? seeded.join(', ') : 'none'}. Try:`);
  console.log(`  curl -s ${auth} ${gateway}/summary/v1/apps              # the app list`);
  console.log(`  curl -s ${auth} ${gateway}/task/v1/templates            # the app templates`);
  console.log(
    `  curl -sN ${auth} ${gateway}/monitoring/v1/apps/${sample}/status/stream   # live status (SSE)`,
  );
  const portEnv = process.env.PLATFORM_PORT_BASE
    ? `PLATFORM_PORT_BASE=${process.env.PLATFORM_PORT_BASE} `
    : '';
  console.log(`Or create, build and deploy an app with live progress: ${portEnv}npm run demo`);
  console.log(`\nLogs: ${logsShown}/<name>.log   Stop: Ctrl-C`);
}

main().catch((error) => {
  // Stopped while starting: the sandbox going away fails what was in flight; that is no news.
  if (!stopping) console.error(error);
  stopAll(1);
});
