import type { TaskPhase } from './task';

/**
 * The parts of an AppSummary, each observed from one upstream. The summary service stores the
 * parts' observedAt times in this order: add new parts at the end.
 */
export const SUMMARY_PARTS = [
  'app',
  'build',
  'deploy',
  'sync',
  'health',
  'pods',
  'rollout',
  'lastWarning',
] as const;
export type SummaryPart = (typeof SUMMARY_PARTS)[number];

/** The upstream each part is read from; a part is stale when its source has been away too long. */
export const PART_SOURCES: Record<SummaryPart, SummarySource> = {
  app: 'argocd',
  build: 'workflows',
  deploy: 'workflows',
  sync: 'argocd',
  health: 'argocd',
  pods: 'kubernetes',
  rollout: 'kubernetes',
  lastWarning: 'kubernetes',
};

export const SUMMARY_SOURCES = ['argocd', 'workflows', 'kubernetes'] as const;
export type SummarySource = (typeof SUMMARY_SOURCES)[number];

export interface BuildSummary {
  taskId: string;
  phase: TaskPhase;
  image: string | null;
  finishedAt: string | null;
}

export interface DeploySummary {
  /** null when the deploy was not made by a platform task (the first sync of a create). */
  taskId: string | null;
  phase: TaskPhase;
  revision: string | null;
  image: string | null;
  finishedAt: string | null;
}

export interface SyncSummary {
  /** Synced | OutOfSync | Unknown ('Unknown' also before Argo CD's first reconcile). */
  status: string;
  revision: string | null;
  /** The last sync operation Argo CD ran or is running. */
  operation: {
    phase: string;
    message: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  } | null;
}

/**
 * The app's Deployments as their controller reports them (summed when an app has several): how
 * many replicas are wanted and how many run the current template, are ready and are available.
 */
export interface RolloutSummary {
  /** `spec.replicas` (1 when unset, as Kubernetes defaults it). */
  desired: number;
  /** `status.updatedReplicas`: pods of the current pod template. */
  updated: number;
  /** `status.readyReplicas`. */
  ready: number;
  /** `status.availableReplicas`: ready for at least `minReadySeconds`. */
  available: number;
  /**
   * A rollout is under way, by the rules of `kubectl rollout status`: the controller has not yet
   * observed the latest spec, or fewer replicas than desired run the current template, or old
   * replicas are still terminating, or updated replicas are not yet available.
   */
  inProgress: boolean;
  /** The rollout made no progress within `progressDeadlineSeconds` (`ProgressDeadlineExceeded`). */
  stalled: boolean;
}

export interface HealthSummary {
  /** Healthy | Progressing | Degraded | Suspended | Missing | Unknown */
  status: string;
  message: string | null;
}

/**
 * One environment of an app: what its Argo CD Application (`<app>-<environment>`) and the
 * objects in its destination namespace (`<team>-<environment>`) say, and its last deploy.
 */
export interface EnvironmentSummary {
  /** The Argo CD Application deploying this environment. */
  application: string;
  /** Its destination namespace: only pods and Deployments there count toward this environment. */
  namespace: string | null;
  /** The latest cd task with this `environment` parameter (else Argo CD's last sync operation). */
  deploy: DeploySummary | null;
  sync: SyncSummary;
  health: HealthSummary;
  /** Images Argo CD reports for this environment's live resources. */
  images: string[];
  pods: { ready: number; total: number; restarts: number };
  rollout: RolloutSummary | null;
  /** The latest of this environment's deploy and sync times: the list's activity order within it. */
  lastActivityAt: string | null;
}

/**
 * One app as the portal's list shows it: what was built and deployed last, what Argo CD and
 * Kubernetes say about it now, and when each part was last observed.
 *
 * An app has one Argo CD Application per environment; `environments` holds each one's view. The
 * top-level `deploy`, `sync`, `health`, `images`, `pods` and `rollout` are the roll-up over every
 * environment, so readers written before environments keep working: the worst health, OutOfSync
 * when any environment is, images united, pods and rollouts summed, the latest deploy.
 */
export interface AppSummary {
  app: string;
  team: string | null;
  template: string | null;
  repos: { source: string | null; manifests: string | null };
  build: BuildSummary | null;
  /** The latest deploy over every environment (the environment whose `deploy` has its taskId made it). */
  deploy: DeploySummary | null;
  /** The worst environment's sync: OutOfSync when any is, then Unknown, else Synced. */
  sync: SyncSummary;
  /** The worst environment's health, in Argo CD's order (Healthy best, Unknown worst). */
  health: HealthSummary;
  /** Images Argo CD reports for the app's live resources, over every environment. */
  images: string[];
  /** Summed over every environment. */
  pods: { ready: number; total: number; restarts: number };
  /**
   * The app's Deployments over every environment: null when none was seen; absent in records
   * written before the service watched Deployments (a leader's first resync rewrites every record).
   */
  rollout?: RolloutSummary | null;
  /**
   * Each environment the app has an Argo CD Application for, by name. An Application without the
   * `platform-api/environment` label (apps created before environments) counts as the environment
   * of its `values-<environment>.yaml` value file, else as `default`. Absent in records written
   * before environments (a leader's first resync rewrites every record).
   */
  environments?: Record<string, EnvironmentSummary>;
  lastWarning: { reason: string; message: string; at: string | null } | null;
  /** The latest of the build, deploy and sync times (over every environment): the "last activity" sort. */
  lastActivityAt: string | null;
  /** When each part was last observed from its source (ISO time), null if never. */
  observedAt: Record<SummaryPart, string | null>;
  /** Parts whose source has been disconnected longer than the staleness threshold. */
  staleParts: SummaryPart[];
  stale: boolean;
}
