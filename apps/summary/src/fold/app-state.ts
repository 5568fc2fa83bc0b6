import type { SummaryPart } from '@platform/domain';
import type { ApplicationFacts } from './from-application';
import type { DeploymentFacts } from './from-deployment';
import { newer, type TaskFacts } from './from-workflow';
import type { PodFacts, WarningFacts } from './from-workloads';

/** Everything the collector knows about one app, from all sources; the summary is derived from it. */
export class AppState {
  application: ApplicationFacts | undefined;
  /** The app's platform tasks by id (kept whole so that deleting the newest reveals the one before). */
  readonly tasks = new Map<string, TaskFacts>();
  /** Pods by `namespace/name`. */
  readonly pods = new Map<string, PodFacts>();
  /** Deployments by `namespace/name`. */
  readonly deployments = new Map<string, DeploymentFacts>();
  warning: WarningFacts | undefined;
  readonly observedAt: Record<SummaryPart, string | null> = {
    app: null,
    build: null,
    deploy: null,
    sync: null,
    health: null,
    pods: null,
    rollout: null,
    lastWarning: null,
  };

  constructor(readonly app: string) {}

  latest(type: TaskFacts['type']): TaskFacts | undefined {
    let found: TaskFacts | undefined;
    for (const task of this.tasks.values())
      if (task.type === type && (found === undefined || newer(task, found))) found = task;
    return found;
  }

  /** Nothing left to remember: the app can be forgotten. */
  get empty(): boolean {
    return (
      this.application === undefined &&
      this.tasks.size === 0 &&
      this.pods.size === 0 &&
      this.deployments.size === 0
    );
  }

  observe(parts: readonly SummaryPart[], at: string): void {
    for (const part of parts) this.observedAt[part] = at;
  }
}
