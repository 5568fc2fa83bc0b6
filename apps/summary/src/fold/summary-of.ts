import type { DeploySummary, TaskPhase } from '@platform/domain';
import type { StoredSummary } from './stored-summary';
import type { AppState } from './app-state';
import { combinedRollout } from './from-deployment';

const OPERATION_PHASES: Record<string, TaskPhase> = {
  Running: 'Running',
  Terminating: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Error: 'Failed',
};

/**
 * The AppSummary of an app's state, or undefined while it has no Argo CD Application (an app
 * exists from its Application on; a deleted one disappears with it). Staleness is not part of
 * the stored summary: readers add it from the sources' health.
 */
export function summaryOf(state: AppState): StoredSummary | undefined {
  const facts = state.application;
  if (facts === undefined) return undefined;
  const ci = state.latest('ci');
  const cd = state.latest('cd');
  const create = state.latest('create');
  const deploy: DeploySummary | null =
    cd !== undefined
      ? {
          taskId: cd.id,
          phase: cd.phase,
          revision: cd.revision ?? facts.sync.revision,
          // The cd template takes a tag, not an image: what it deployed is what Argo CD now runs.
          image: cd.image ?? facts.images[0] ?? null,
          finishedAt: cd.finishedAt,
        }
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
  const pods = state.podsIn();
  for (const pod of pods) {
    if (pod.ready) ready += 1;
    restarts += pod.restarts;
  }
  const warning = state.warningIn();
  const times = [ci?.finishedAt ?? ci?.createdAt, deploy?.finishedAt, cd?.createdAt, facts.syncedAt].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  return {
    app: state.app,
    team: facts.team,
    template: facts.template ?? create?.template ?? null,
    repos: { source: create?.sourceRepo ?? null, manifests: facts.manifestsRepo },
    build:
      ci === undefined
        ? null
        : { taskId: ci.id, phase: ci.phase, image: ci.image, finishedAt: ci.finishedAt },
    deploy,
    sync: facts.sync,
    health: facts.health,
    images: facts.images,
    pods: { ready, total: pods.length, restarts },
    rollout: combinedRollout(state.deploymentsIn()),
    lastWarning:
      warning === undefined ? null : { reason: warning.reason, message: warning.message, at: warning.at },
    lastActivityAt: times.length === 0 ? null : times.reduce((a, b) => (a > b ? a : b)),
    observedAt: { ...state.observedAt },
  };
}
