import type { SummaryPart } from '@platform/domain';
import { FewByKey } from './few-by-key';
import type { ApplicationFacts } from './from-application';
import type { DeploymentFacts } from './from-deployment';
import { newer, type TaskFacts } from './from-workflow';
import type { PodFacts, WarningFacts } from './from-workloads';

/** Everything the collector knows about one app, from all sources; the summary is derived from it. */
export class AppState {
  application: ApplicationFacts | undefined;
  /**
   * The Argo CD snapshot that last mentioned the Application. Every fact carries the number of its
   * source's snapshot that last mentioned it: a snapshot arrives in pages, and what its last page
   * leaves with an older mark is gone (mark and sweep). The mark is set in the literal that makes
   * a fact: V8 gives each object copied by spread (`{ ...facts, mark }`) a hidden class of its own,
   * about 300 bytes apiece (measured: 20,000 spread copies, 46 sharing one).
   */
  applicationMark = 0;
  /** The app's platform tasks by id (kept whole so that deleting the newest reveals the one before). */
  readonly tasks = new FewByKey<TaskFacts>();
  /** Pods labelled with the app, by `namespace/name`, in whatever namespace (see {@link podsIn}). */
  readonly pods = new FewByKey<PodFacts>();
  /** Deployments labelled with the app, by `namespace/name`, in whatever namespace. */
  readonly deployments = new FewByKey<DeploymentFacts>();
  /** The newest Warning about the app's objects, per namespace. */
  readonly warnings = new FewByKey<WarningFacts>();
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

  /**
   * Whether what was seen in `namespace` counts toward the summary: only the app's destination
   * namespace does (labels alone can be put on anything by anyone who may create a pod somewhere),
   * and nothing does before the Application says which namespace that is.
   */
  counts(namespace: string): boolean {
    return this.application?.namespace === namespace;
  }

  /** The pods in the app's destination namespace. */
  podsIn(): PodFacts[] {
    return inNamespace(this.pods, this.application?.namespace);
  }

  /** The Deployments in the app's destination namespace. */
  deploymentsIn(): DeploymentFacts[] {
    return inNamespace(this.deployments, this.application?.namespace);
  }

  /** The newest Warning in the app's destination namespace. */
  warningIn(): WarningFacts | undefined {
    const namespace = this.application?.namespace;
    return namespace === null || namespace === undefined ? undefined : this.warnings.get(namespace);
  }

  observe(parts: readonly SummaryPart[], at: string): void {
    for (const part of parts) this.observedAt[part] = at;
  }
}

function inNamespace<T>(byKey: FewByKey<T>, namespace: string | null | undefined): T[] {
  if (namespace === null || namespace === undefined) return [];
  const prefix = `${namespace}/`;
  const out: T[] = [];
  for (const [key, value] of byKey.pairs()) if (key.startsWith(prefix)) out.push(value);
  return out;
}
