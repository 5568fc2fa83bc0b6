import type {
  DeploySummary,
  EnvironmentSummary,
  HealthSummary,
  SyncSummary,
  TaskPhase,
} from '@platform/domain';
import type { StoredSummary } from './stored-summary';
import type { AppState } from './app-state';
import type { ApplicationFacts } from './from-application';
import { combinedRollout } from './from-deployment';
import type { TaskFacts } from './from-workflow';
import { laterWarning, type WarningFacts } from './from-workloads';

const OPERATION_PHASES: Record<string, TaskPhase> = {
  Running: 'Running',
  Terminating: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Error: 'Failed',
};

/**
 * Health from best to worst, as Argo CD ranks it when it rolls resources up into an Application
 * (gitops-engine pkg/health/health.go `healthOrder`): the app's health is its worst environment's.
 * A status not listed ranks as Unknown.
 */
const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];
/** Sync from best to worst: an app is OutOfSync when any environment is. */
const SYNC_ORDER = ['Synced', 'Unknown', 'OutOfSync'];

/**
 * The AppSummary of an app's state, or undefined while it has no Argo CD Application (an app
 * exists from its first Application on and disappears with its last). Each Application is one
 * environment; the top-level parts roll them up (see AppSummary). Staleness is not part of the
 * stored summary: readers add it from the sources' health.
 */
export function summaryOf(state: AppState): StoredSummary | undefined {
  const chosen = state.environments();
  const first = chosen[0];
  if (first === undefined) return undefined;
  const environments: Record<string, EnvironmentSummary> = {};
  let sync: SyncSummary = first.sync;
  let health: HealthSummary = first.health;
  let operated: DeploySummary | null = null;
  const times: string[] = [];
  for (const facts of chosen) {
    const environment = environmentSummary(state, facts);
    environments[facts.environment] = environment;
    if (rank(SYNC_ORDER, facts.sync.status) > rank(SYNC_ORDER, sync.status)) sync = facts.sync;
    if (rank(HEALTH_ORDER, facts.health.status) > rank(HEALTH_ORDER, health.status)) health = facts.health;
    if (
      environment.deploy !== null &&
      environment.deploy.taskId === null &&
      laterDeploy(environment.deploy, operated)
    )
      operated = environment.deploy;
    if (environment.lastActivityAt !== null) times.push(environment.lastActivityAt);
  }
  const ci = state.latest('ci');
  const cd = state.latest('cd');
  const create = state.latest('create');
  // The latest cd task whatever it deployed (also one to an environment without an Application
  // yet, such as a failed first deploy), else the latest sync Argo CD ran on its own.
  const deploy =
    cd !== undefined
      ? taskDeploy(
          cd,
          chosen.find((f) => state.deploysTo(cd, f.environment)),
        )
      : operated;
  let ready = 0;
  let restarts = 0;
  let total = 0;
  let warning: WarningFacts | undefined;
  const namespaces = state.namespaces();
  for (const namespace of namespaces) {
    for (const pod of state.podsIn(namespace)) {
      total += 1;
      if (pod.ready) ready += 1;
      restarts += pod.restarts;
    }
    const candidate = state.warningIn(namespace);
    if (candidate !== undefined && (warning === undefined || laterWarning(candidate, warning)))
      warning = candidate;
  }
  const ciAt = ci?.finishedAt ?? ci?.createdAt;
  if (typeof ciAt === 'string' && ciAt !== '') times.push(ciAt);
  if (deploy?.finishedAt) times.push(deploy.finishedAt);
  if (cd?.createdAt) times.push(cd.createdAt);
  return {
    app: state.app,
    team: first.team,
    template: first.template ?? create?.template ?? null,
    repos: { source: create?.sourceRepo ?? null, manifests: first.manifestsRepo },
    build:
      ci === undefined
        ? null
        : { taskId: ci.id, phase: ci.phase, image: ci.image, finishedAt: ci.finishedAt },
    deploy,
    sync,
    health,
    images: unitedImages(chosen),
    pods: { ready, total, restarts },
    rollout: combinedRollout(namespaces.flatMap((namespace) => state.deploymentsIn(namespace))),
    lastWarning:
      warning === undefined ? null : { reason: warning.reason, message: warning.message, at: warning.at },
    lastActivityAt: latest(times),
    environments,
    observedAt: { ...state.observedAt },
  };
}

/** One environment: its Application, the objects in its destination namespace, its latest cd task. */
function environmentSummary(state: AppState, facts: ApplicationFacts): EnvironmentSummary {
  const cd = state.latest('cd', facts.environment);
  const deploy: DeploySummary | null =
    cd !== undefined
      ? taskDeploy(cd, facts)
      : facts.sync.operation !== null
        ? {
            taskId: null,
            phase: OPERATION_PHASES[facts.sync.operation.phase] ?? 'Pending',
            revision: facts.sync.revision,
            image: facts.images[0] ?? null,
            finishedAt: facts.sync.operation.finishedAt,
          }
        : null;
  let ready = 0;
  let restarts = 0;
  const pods = state.podsIn(facts.namespace);
  for (const pod of pods) {
    if (pod.ready) ready += 1;
    restarts += pod.restarts;
  }
  const times: string[] = [];
  if (deploy?.finishedAt) times.push(deploy.finishedAt);
  if (cd?.createdAt) times.push(cd.createdAt);
  if (facts.syncedAt) times.push(facts.syncedAt);
  return {
    application: facts.name,
    namespace: facts.namespace,
    deploy,
    sync: facts.sync,
    health: facts.health,
    images: facts.images,
    pods: { ready, total: pods.length, restarts },
    rollout: combinedRollout(state.deploymentsIn(facts.namespace)),
    lastActivityAt: latest(times),
  };
}

/** A cd task's deploy; what it does not say (the cd template takes a tag) is what Argo CD now runs. */
function taskDeploy(cd: TaskFacts, facts: ApplicationFacts | undefined): DeploySummary {
  return {
    taskId: cd.id,
    phase: cd.phase,
    revision: cd.revision ?? facts?.sync.revision ?? null,
    image: cd.image ?? facts?.images[0] ?? null,
    finishedAt: cd.finishedAt,
  };
}

function laterDeploy(a: DeploySummary, b: DeploySummary | null): boolean {
  return b === null || (a.finishedAt ?? '') > (b.finishedAt ?? '');
}

function rank(order: readonly string[], status: string): number {
  const index = order.indexOf(status);
  return index < 0 ? order.indexOf('Unknown') : index;
}

function unitedImages(chosen: readonly ApplicationFacts[]): string[] {
  if (chosen.length === 1) return (chosen[0] as ApplicationFacts).images;
  const images = new Set<string>();
  for (const facts of chosen) for (const image of facts.images) images.add(image);
  return [...images].sort();
}

function latest(times: readonly string[]): string | null {
  let out: string | null = null;
  for (const t of times) if (t !== '' && (out === null || t > out)) out = t;
  return out;
}
