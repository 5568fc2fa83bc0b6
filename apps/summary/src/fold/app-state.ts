import { applicationName, type SummaryPart } from '@platform/domain';
import { FewByKey } from './few-by-key';
import { DEFAULT_ENVIRONMENT, type ApplicationFacts } from './from-application';
import type { DeploymentFacts } from './from-deployment';
import { newer, type TaskFacts } from './from-workflow';
import type { PodFacts, WarningFacts } from './from-workloads';

/** Everything the collector knows about one app, from all sources; the summary is derived from it. */
export class AppState {
  /**
   * The app's Argo CD Applications (one per environment), by Application name. Every fact carries
   * the number of its source's snapshot that last mentioned it: a snapshot arrives in pages, and
   * what its last page leaves with an older mark is gone (mark and sweep). The mark is set in the
   * literal that makes a fact: V8 gives each object copied by spread (`{ ...facts, mark }`) a
   * hidden class of its own, about 300 bytes apiece (measured: 20,000 spread copies, 46 sharing one).
   */
  readonly applications = new FewByKey<ApplicationFacts>();
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

  /**
   * The newest task of a type; for cd, of one environment when given (see {@link deploysTo}).
   * Tasks from before the app's newest successful delete were a retired app's of the same name
   * (Argo keeps finished workflows until their TTL): they are not this app's.
   */
  latest(type: TaskFacts['type'], environment?: string): TaskFacts | undefined {
    const retired = this.retiredAt();
    let found: TaskFacts | undefined;
    for (const task of this.tasks.values())
      if (
        task.type === type &&
        (retired === undefined || (task.createdAt ?? '') > retired) &&
        (environment === undefined || this.deploysTo(task, environment)) &&
        (found === undefined || newer(task, found))
      )
        found = task;
    return found;
  }

  /** When the newest successful delete (retire) of an app of this name was created, if any. */
  private retiredAt(): string | undefined {
    let at: string | undefined;
    for (const task of this.tasks.values())
      if (
        task.type === 'delete' &&
        task.phase === 'Succeeded' &&
        (at === undefined || (task.createdAt ?? '') > at)
      )
        at = task.createdAt ?? undefined;
    return at;
  }

  /**
   * Whether a cd task deployed this environment: its `environment` parameter names it. An app with
   * a single Application also takes the cd tasks that named no environment, and when that
   * Application says nothing of its environment (`default`, see applicationEnvironment) every cd
   * task: before environments, whatever a cd deployed went to the app's one Application.
   */
  deploysTo(task: TaskFacts, environment: string): boolean {
    if (task.environment === environment) return true;
    if (this.applications.size !== 1) return false;
    // The app's one Application.
    for (const facts of this.applications.values())
      return task.environment === null || facts.environment === DEFAULT_ENVIRONMENT;
    return false;
  }

  /** Whether the app has any Application: it exists from its first one on and goes with its last. */
  get deployed(): boolean {
    return this.applications.size > 0;
  }

  /** Nothing left to remember: the app can be forgotten. */
  get empty(): boolean {
    return (
      this.applications.size === 0 &&
      this.tasks.size === 0 &&
      this.pods.size === 0 &&
      this.deployments.size === 0
    );
  }

  /**
   * The Application of each environment, in environment order. Two Applications of one environment
   * (an older app's `<app>` beside its new `<app>-<environment>` while it moves) show as one: the
   * one named `<app>-<environment>`, else the first by name.
   */
  environments(): ApplicationFacts[] {
    const byEnvironment: ApplicationFacts[] = [];
    for (const facts of this.applications.values()) {
      const index = byEnvironment.findIndex((other) => other.environment === facts.environment);
      if (index < 0) byEnvironment.push(facts);
      else if (preferred(facts, byEnvironment[index] as ApplicationFacts, this.app))
        byEnvironment[index] = facts;
    }
    return byEnvironment.sort((a, b) => (a.environment < b.environment ? -1 : 1));
  }

  /** The destination namespaces of the app's Applications, each once. */
  namespaces(): string[] {
    const out: string[] = [];
    for (const facts of this.applications.values())
      if (facts.namespace !== null && !out.includes(facts.namespace)) out.push(facts.namespace);
    return out;
  }

  /**
   * Whether what was seen in `namespace` counts toward the summary: only the destination namespaces
   * of the app's Applications do (labels alone can be put on anything by anyone who may create a
   * pod somewhere), and nothing does before an Application says which namespace that is.
   */
  counts(namespace: string): boolean {
    for (const facts of this.applications.values()) if (facts.namespace === namespace) return true;
    return false;
  }

  /** The pods in one destination namespace. */
  podsIn(namespace: string | null): PodFacts[] {
    return inNamespace(this.pods, namespace);
  }

  /** The Deployments in one destination namespace. */
  deploymentsIn(namespace: string | null): DeploymentFacts[] {
    return inNamespace(this.deployments, namespace);
  }

  /** The newest Warning in one destination namespace. */
  warningIn(namespace: string | null): WarningFacts | undefined {
    return namespace === null ? undefined : this.warnings.get(namespace);
  }

  observe(parts: readonly SummaryPart[], at: string): void {
    for (const part of parts) this.observedAt[part] = at;
  }
}

function preferred(a: ApplicationFacts, b: ApplicationFacts, app: string): boolean {
  const canonical = applicationName(app, a.environment);
  if (a.name === canonical || b.name === canonical) return a.name === canonical;
  return a.name < b.name;
}

function inNamespace<T>(byKey: FewByKey<T>, namespace: string | null): T[] {
  if (namespace === null) return [];
  const prefix = `${namespace}/`;
  const out: T[] = [];
  for (const [key, value] of byKey.pairs()) if (key.startsWith(prefix)) out.push(value);
  return out;
}
