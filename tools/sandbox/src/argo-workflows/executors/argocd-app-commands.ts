import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ArgoCdApiError, dig, digString, type Application, type ArgoCdApi } from './argocd-api';
import { describeApplication, describeOperation, resourcesTable } from './argocd-describe';
import { HealthTransitions } from './argocd-health-transitions';
import { CliUsageError, type ParsedFlags } from './cli-flags';
import type { CommandIo } from './command-io';
import type { StepRuntime } from './step-runtime';

/** What `argocd app sync|wait` print and return on failure (a logrus fatal line and exit 20). */
export type Fatal = (message: string) => number;

/** `argocd app create`: prints "application '<name>' created|updated|unchanged". */
export async function appCreate(api: ArgoCdApi, flags: ParsedFlags, io: CommandIo): Promise<number> {
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

/** `argocd app sync`: requests the sync, then (unless --async) waits for the operation to finish. */
export async function appSync(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  flags: ParsedFlags,
  io: CommandIo,
  fatal: Fatal,
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
  const { app, matched } = await poll(
    rt,
    api,
    name,
    timeout,
    started,
    (a) => dig(a, 'operation') === undefined && completed(digString(a, 'status', 'operationState', 'phase')),
  );
  const status = `${resourcesTable(app)}\n${describeApplication(app, rt.ctx.urls.argocd)}\n${describeOperation(app)}`;
  if (!matched) return fatal(timedOut(io, status, timeout, name));
  io.out(status);
  const phase = digString(app, 'status', 'operationState', 'phase');
  return phase === 'Succeeded' ? 0 : fatal(`Operation has completed with phase: ${phase}`);
}

/** `argocd app wait`: polls until sync/health/operation match, or the timeout. */
export async function appWait(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  flags: ParsedFlags,
  io: CommandIo,
  fatal: Fatal,
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
  let turnedDegraded: string | undefined;
  const transitions = new HealthTransitions();
  const { app, matched } = await poll(rt, api, name, timeout, started, (a) => {
    const health = digString(a, 'status', 'health', 'status');
    const opPhase = digString(a, 'status', 'operationState', 'phase');
    const operationDone = dig(a, 'operation') === undefined && (opPhase === '' || completed(opPhase));
    if (want.operation && operationDone && (opPhase === 'Failed' || opPhase === 'Error')) {
      failedOperation = opPhase;
      return true;
    }
    const ready =
      (!want.sync || digString(a, 'status', 'sync', 'status') === 'Synced') &&
      (!want.operation || operationDone) &&
      (want.health
        ? health === 'Healthy' ||
          (want.suspended && health === 'Suspended') ||
          (want.degraded && health === 'Degraded')
        : true) &&
      (!want.suspended || want.health || health === 'Suspended') &&
      (!want.degraded || want.health || health === 'Degraded');
    if (ready || !want.health) return ready;
    turnedDegraded = transitions.degraded(a, name);
    return turnedDegraded !== undefined;
  });
  if (failedOperation !== '') return fatal(`Operation has completed with phase: ${failedOperation}`);
  const status = `${resourcesTable(app)}\n${describeApplication(app, rt.ctx.urls.argocd)}`;
  if (!matched && turnedDegraded === undefined) return fatal(timedOut(io, status, timeout, name));
  io.out(status);
  return turnedDegraded === undefined ? 0 : fatal(turnedDegraded);
}

/**
 * What waitOnApplicationStatus (argo-cd cmd/argocd/commands/app.go) does when its timeout fires:
 * it prints the app's state between two notices, then once more as the wait ends, and returns
 * the error the command turns into a fatal line.
 */
function timedOut(io: CommandIo, status: string, timeout: number, name: string): string {
  io.out(
    `\nThis is the state of the app after \`wait\` timed out:\n${status}` +
      `\nThe command timed out waiting for the conditions to be met.\n${status}`,
  );
  return `timed out (${timeout}s) waiting for app "${name}" match desired state`;
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
): Promise<{ app: Application; matched: boolean }> {
  const seconds = timeoutSeconds > 0 ? timeoutSeconds : FOREVER_SECONDS;
  const deadline = started + (seconds * 1000) / rt.ctx.clock.speed;
  for (;;) {
    const app = await api.getApplication(name);
    if (done(app)) return { app, matched: true };
    if (Date.now() >= deadline || rt.signal.aborted) return { app, matched: false };
    await rt.ctx.clock.sleep(rt.pollIntervalMs);
  }
}

/** Polls until the app is gone (404, or the 403 Argo CD gives for an app that no longer exists). */
export async function waitDeleted(
  rt: StepRuntime,
  api: ArgoCdApi,
  name: string,
  appNamespace = '',
): Promise<void> {
  for (;;) {
    try {
      await api.getApplication(name, undefined, appNamespace);
    } catch (error) {
      if (error instanceof ArgoCdApiError && (error.status === 404 || error.status === 403)) return;
      throw error;
    }
    if (rt.signal.aborted) return;
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
