import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ArgoCdApi, ArgoCdApiError, dig, digString, type Application } from './argocd-api';
import { describeApplication, describeOperation, formatApplication, resourcesTable } from './argocd-describe';
import { CliUsageError, parseFlags, type FlagSpec, type ParsedFlags } from './cli-flags';
import { runInterpreted } from './interpreted';
import type { CommandHandler, CommandIo } from './mini-shell';
import type { StepResult, StepRuntime } from './step-runtime';

/** Exit code of the real CLI for any failure (argocd's ErrorGeneric). */
export const ARGOCD_ERROR_EXIT = 20;

const GLOBAL: FlagSpec = {
  bool: ['insecure', 'plaintext', 'grpc-web', 'core', 'port-forward', 'help'],
  value: [
    'server',
    'auth-token',
    'config',
    'loglevel',
    'logformat',
    'grpc-web-root-path',
    'header',
    'port-forward-namespace',
    'client-crt',
    'client-crt-key',
    'server-crt',
    'kube-context',
    'http-retry-max',
    'argocd-context',
  ],
  short: { H: 'header', h: 'help' },
};

const COMMANDS: Record<string, FlagSpec> = {
  login: {
    bool: ['sso', 'skip-test-tls'],
    value: ['username', 'password', 'name', 'sso-port', 'sso-launch-browser'],
  },
  'app create': {
    bool: [
      'upsert',
      'validate',
      'auto-prune',
      'self-heal',
      'allow-empty',
      'directory-recurse',
      'set-finalizer',
    ],
    value: [
      'repo',
      'path',
      'revision',
      'dest-server',
      'dest-name',
      'dest-namespace',
      'project',
      'sync-policy',
      'sync-option',
      'label',
      'annotations',
      'values',
      'values-literal-file',
      'helm-set',
      'helm-set-string',
      'release-name',
      'directory-include',
      'directory-exclude',
      'revision-history-limit',
      'file',
      'app-namespace',
      'name-prefix',
      'name-suffix',
      'kustomize-image',
      'sync-retry-limit',
    ],
    short: { l: 'label', f: 'file', N: 'app-namespace' },
  },
  'app sync': {
    bool: [
      'prune',
      'dry-run',
      'async',
      'force',
      'apply-out-of-sync-only',
      'preview-changes',
      'server-side',
      'replace',
      'assumeYes',
    ],
    value: [
      'revision',
      'timeout',
      'retry-limit',
      'resource',
      'label',
      'strategy',
      'app-namespace',
      'project',
      'info',
    ],
    short: { l: 'label', N: 'app-namespace' },
  },
  'app wait': {
    bool: ['health', 'sync', 'operation', 'suspended', 'degraded'],
    value: ['timeout', 'resource', 'selector', 'app-namespace'],
    short: { l: 'selector', N: 'app-namespace' },
  },
  'app get': {
    bool: ['refresh', 'hard-refresh', 'show-params', 'show-operation'],
    value: ['output', 'app-namespace', 'timeout'],
    short: { o: 'output', N: 'app-namespace' },
  },
  'app delete': {
    bool: ['cascade', 'yes', 'wait'],
    value: ['propagation-policy', 'app-namespace', 'selector'],
    short: { y: 'yes', p: 'propagation-policy', N: 'app-namespace', l: 'selector' },
  },
  version: { bool: ['client', 'short'], value: ['output'], short: { o: 'output' } },
  logout: { bool: [], value: [] },
};

/**
 * Interprets the argocd CLI image (`quay.io/argoproj/argocd`) against the sandbox Argo CD at
 * `ctx.urls.argocd`: `argocd login` (the session is opened with the sandbox's configured admin
 * credentials, whatever the script passes), `app create` (with `--upsert`, labels, sync policy,
 * `-f file`), `app sync` (waits for the operation unless `--async`), `app wait` (`--health`,
 * `--sync`, `--operation`, `--timeout`), `app get` (`-o json|yaml` or the text summary) and
 * `app delete`. Without a prior login, a command needs `--server`/`ARGOCD_SERVER` or
 * `--auth-token`/`ARGOCD_AUTH_TOKEN`, as with the real CLI.
 */
export function runArgoCdCli(rt: StepRuntime): Promise<StepResult> {
  const api = new ArgoCdApi(rt.ctx.urls.argocd, rt.signal);
  const handler: CommandHandler = (argv, io) => argocd(rt, api, argv.slice(1), io);
  return runInterpreted(rt, ['argocd'], { argocd: handler });
}

async function argocd(rt: StepRuntime, api: ArgoCdApi, args: string[], io: CommandIo): Promise<number> {
  const started = Date.now();
  const fatal = (message: string): number => {
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    io.err(`time="${time}" level=fatal msg="${message.replace(/"/g, '\\"')}"\n`);
    return ARGOCD_ERROR_EXIT;
  };
  const words = args.filter((a) => !a.startsWith('-'));
  const key = words[0] === 'app' ? `app ${words[1] ?? ''}` : (words[0] ?? '');
  const spec = COMMANDS[key];
  if (spec === undefined)
    return fatal(
      `unknown command "${key}" for "argocd" (the sandbox interprets ${Object.keys(COMMANDS).join(', ')})`,
    );
  let flags: ParsedFlags;
  try {
    const withoutCommand = [...args];
    for (const word of key.split(' ')) withoutCommand.splice(withoutCommand.indexOf(word), 1);
    flags = parseFlags(withoutCommand, {
      bool: [...GLOBAL.bool, ...spec.bool],
      value: [...GLOBAL.value, ...spec.value],
      short: { ...GLOBAL.short, ...spec.short },
    });
  } catch (error) {
    if (error instanceof CliUsageError) return fatal(error.message);
    throw error;
  }
  if (rt.ctx.urls.argocd === '')
    return fatal('the sandbox Argo CD server is not running (ctx.urls.argocd is empty)');
  try {
    switch (key) {
      case 'version':
        io.out(`argocd: v3.5.1+sandbox\n`);
        return 0;
      case 'logout':
        return 0;
      case 'login':
        await api.login(rt.ctx.config.argocdUsername, rt.ctx.config.argocdPassword);
        io.out(
          `'${rt.ctx.config.argocdUsername}:login' logged in successfully\nContext '${flags.positionals[0] ?? rt.ctx.urls.argocd}' updated\n`,
        );
        return 0;
      default:
        break;
    }
    if (!api.loggedIn) {
      const addressed =
        flags.has('server') ||
        flags.has('auth-token') ||
        io.env.has('ARGOCD_SERVER') ||
        io.env.has('ARGOCD_AUTH_TOKEN');
      if (!addressed) return fatal('Argo CD server address unspecified');
      await api.login(rt.ctx.config.argocdUsername, rt.ctx.config.argocdPassword);
    }
    const name = flags.positionals[0];
    const needName = (): string => {
      if (name === undefined || name === '') throw new CliUsageError(`${key} requires an application name`);
      return name;
    };
    switch (key) {
      case 'app create':
        return await appCreate(api, flags, io);
      case 'app sync':
        return await appSync(rt, api, needName(), flags, io, fatal, started);
      case 'app wait':
        return await appWait(rt, api, needName(), flags, io, fatal, started);
      case 'app get': {
        const app = await api.getApplication(
          needName(),
          flags.on('hard-refresh') ? 'hard' : flags.on('refresh') ? 'normal' : undefined,
        );
        const output = flags.get('output') ?? 'wide';
        io.out(
          output === 'json' || output === 'yaml'
            ? formatApplication(app, output)
            : describeApplication(app, rt.ctx.urls.argocd),
        );
        return 0;
      }
      case 'app delete':
        await api.deleteApplication(needName(), flags.get('cascade') !== 'false');
        return 0;
      default:
        return fatal(`unknown command "${key}"`);
    }
  } catch (error) {
    if (error instanceof ArgoCdApiError || error instanceof CliUsageError) return fatal(error.message);
    throw error;
  }
}

async function appCreate(api: ArgoCdApi, flags: ParsedFlags, io: CommandIo): Promise<number> {
  let app: Application;
  const file = flags.get('file');
  if (file !== undefined) {
    app = parseYaml(await readFile(io.resolvePath(file), 'utf8')) as Application;
  } else {
    app = applicationFromFlags(flags);
  }
  const name = digString(app, 'metadata', 'name');
  if (name === '') throw new CliUsageError('app create requires an application name');
  let before: Application | undefined;
  try {
    before = await api.getApplication(name);
  } catch (error) {
    if (!(error instanceof ArgoCdApiError) || (error.status !== 404 && error.status !== 403)) throw error;
  }
  const created = await api.createApplication(app, flags.on('upsert'), flags.get('validate') !== 'false');
  const verb =
    before === undefined
      ? 'created'
      : JSON.stringify(before.spec) === JSON.stringify(created.spec)
        ? 'unchanged'
        : 'updated';
  io.out(`application '${name}' ${verb}\n`);
  return 0;
}

/** The Application `argocd app create NAME --repo ... --path ...` sends. */
export function applicationFromFlags(flags: ParsedFlags): Application {
  const name = flags.positionals[0] ?? '';
  const labels = keyValues(flags.all('label'));
  const annotations = keyValues(flags.all('annotations'));
  const source: Record<string, unknown> = { repoURL: flags.get('repo') ?? '' };
  if (flags.has('path')) source.path = flags.get('path');
  if (flags.has('revision')) source.targetRevision = flags.get('revision');
  const helmSets = [...flags.all('helm-set'), ...flags.all('helm-set-string')];
  if (flags.has('values') || helmSets.length > 0 || flags.has('release-name')) {
    source.helm = {
      ...(flags.has('values') ? { valueFiles: flags.all('values') } : {}),
      ...(helmSets.length > 0
        ? {
            parameters: helmSets.map((s) => ({
              name: s.split('=')[0],
              value: s.split('=').slice(1).join('='),
            })),
          }
        : {}),
      ...(flags.has('release-name') ? { releaseName: flags.get('release-name') } : {}),
    };
  }
  if (flags.on('directory-recurse')) source.directory = { recurse: true };
  const destination: Record<string, unknown> = {};
  if (flags.has('dest-server')) destination.server = flags.get('dest-server');
  if (flags.has('dest-name')) destination.name = flags.get('dest-name');
  if (flags.has('dest-namespace')) destination.namespace = flags.get('dest-namespace');
  const policy = flags.get('sync-policy');
  const automated = policy === 'automated' || policy === 'auto' || policy === 'automatic';
  const syncOptions = flags.all('sync-option');
  const syncPolicy: Record<string, unknown> = {};
  if (automated)
    syncPolicy.automated = {
      prune: flags.on('auto-prune'),
      selfHeal: flags.on('self-heal'),
      ...(flags.on('allow-empty') ? { allowEmpty: true } : {}),
    };
  if (syncOptions.length > 0) syncPolicy.syncOptions = syncOptions;
  const metadata: Record<string, unknown> = { name };
  if (flags.has('app-namespace')) metadata.namespace = flags.get('app-namespace');
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (flags.on('set-finalizer')) metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
  return {
    metadata,
    spec: {
      project: flags.get('project') ?? 'default',
      source,
      destination,
      ...(Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {}),
      ...(flags.has('revision-history-limit')
        ? { revisionHistoryLimit: Number(flags.get('revision-history-limit')) }
        : {}),
    },
  };
}

async function appSync(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  flags: ParsedFlags,
  io: CommandIo,
  fatal: (message: string) => number,
  started: number,
): Promise<number> {
  const body: Record<string, unknown> = { prune: flags.on('prune'), dryRun: flags.on('dry-run') };
  if (flags.has('revision')) body.revision = flags.get('revision');
  if (flags.on('force')) body.strategy = { apply: { force: true } };
  if (flags.has('resource')) {
    body.resources = flags.all('resource').map((r) => {
      const [group = '', kind = '', resName = ''] = r.split(':');
      const [ns, n] = resName.includes('/') ? resName.split('/') : [undefined, resName];
      return { group, kind, name: n, ...(ns !== undefined ? { namespace: ns } : {}) };
    });
  }
  await api.sync(name, body);
  if (flags.on('async')) return 0;
  const timeout = Number(flags.get('timeout') ?? '0');
  const app = await poll(
    rt,
    api,
    name,
    timeout,
    started,
    (a) => dig(a, 'operation') === undefined && completed(digString(a, 'status', 'operationState', 'phase')),
  );
  if (app === undefined)
    return fatal(`timed out (${timeout}s) waiting for app "${name}" match desired state`);
  io.out(
    `${resourcesTable(app)}\n${describeApplication(app, rt.ctx.urls.argocd)}\n${describeOperation(app)}`,
  );
  const phase = digString(app, 'status', 'operationState', 'phase');
  return phase === 'Succeeded' ? 0 : fatal(`Operation has completed with phase: ${phase}`);
}

async function appWait(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  flags: ParsedFlags,
  io: CommandIo,
  fatal: (message: string) => number,
  started: number,
): Promise<number> {
  const any = ['health', 'sync', 'operation', 'suspended', 'degraded'].some((f) => flags.on(f));
  const want = {
    health: flags.on('health') || !any,
    sync: flags.on('sync') || !any,
    operation: flags.on('operation') || !any,
    suspended: flags.on('suspended'),
    degraded: flags.on('degraded'),
  };
  const timeout = Number(flags.get('timeout') ?? '0');
  let failedOperation = '';
  const app = await poll(rt, api, name, timeout, started, (a) => {
    const health = digString(a, 'status', 'health', 'status');
    const opPhase = digString(a, 'status', 'operationState', 'phase');
    const operationDone = dig(a, 'operation') === undefined && (opPhase === '' || completed(opPhase));
    if (want.operation && operationDone && (opPhase === 'Failed' || opPhase === 'Error')) {
      failedOperation = opPhase;
      return true;
    }
    return (
      (!want.sync || digString(a, 'status', 'sync', 'status') === 'Synced') &&
      (!want.operation || operationDone) &&
      (want.health
        ? health === 'Healthy' ||
          (want.suspended && health === 'Suspended') ||
          (want.degraded && health === 'Degraded')
        : true) &&
      (!want.suspended || want.health || health === 'Suspended') &&
      (!want.degraded || want.health || health === 'Degraded')
    );
  });
  if (failedOperation !== '') return fatal(`Operation has completed with phase: ${failedOperation}`);
  if (app === undefined)
    return fatal(`timed out (${timeout}s) waiting for app "${name}" match desired state`);
  io.out(`${resourcesTable(app)}\n${describeApplication(app, rt.ctx.urls.argocd)}`);
  return 0;
}

// `--timeout 0` means "forever" for the real CLI; the sandbox gives up after an hour of simulated time.
const FOREVER_SECONDS = 3600;

async function poll(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  timeoutSeconds: number,
  started: number,
  done: (app: Application) => boolean,
): Promise<Application | undefined> {
  const seconds = timeoutSeconds > 0 ? timeoutSeconds : FOREVER_SECONDS;
  const deadline = started + (seconds * 1000) / rt.ctx.clock.speed;
  for (;;) {
    const app = await api.getApplication(name);
    if (done(app)) return app;
    if (Date.now() >= deadline || rt.signal.aborted) return undefined;
    await rt.ctx.clock.sleep(rt.pollIntervalMs);
  }
}

function completed(phase: string): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs.flatMap((p) => p.split(','))) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
