import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Application, Workflow } from '@platform/argo-client';
import { Labels, type SummaryPart } from '@platform/domain';
import { AppState } from './app-state';
import { applicationFacts } from './from-application';
import { deploymentFacts } from './from-deployment';
import { taskFacts } from './from-workflow';
import { laterWarning, podFacts, warningFacts } from './from-workloads';
import type { FewByKey } from './few-by-key';
import type { StoredSummary } from './stored-summary';
import { summaryOf } from './summary-of';

export type Change = 'upsert' | 'delete';

const ARGOCD_PARTS: SummaryPart[] = ['app', 'sync', 'health'];
const WORKFLOW_PARTS: SummaryPart[] = ['build', 'deploy'];

/** The sources whose lists arrive as snapshots, each numbered for its mark and sweep. */
export type SnapshotSource = 'applications' | 'workflows' | 'pods' | 'deployments' | 'warnings';

/** One page of a source's snapshot, as the watches hand them on. */
export interface SnapshotPage<T> {
  items: T[];
  first: boolean;
  last: boolean;
}

/**
 * Folds upstream objects into per-app state, remembering which apps changed since the last
 * {@link drain}. Pure (no I/O, the clock passed in), so every mapping is testable without servers.
 * A snapshot of a source replaces everything that source said before: apps it no longer
 * mentions lose those facts, and an app without an Application left disappears (each of its
 * Applications is one environment: losing one loses that environment only). Snapshots arrive in
 * pages that are folded as they come (the whole list is never held): each snapshot has a
 * number, every fact it mentions is marked with it, and its last page sweeps away what an
 * earlier one left. A snapshot started over (a relist mid-way) just takes a new number.
 */
export class SummaryFolder {
  private readonly states = new Map<string, AppState>();
  /** Each source's current snapshot number; facts from events take it too. */
  private readonly marks: Record<SnapshotSource, number> = {
    applications: 0,
    workflows: 0,
    pods: 0,
    deployments: 0,
    warnings: 0,
  };
  /** `namespace/pod` → app, so that Warning events about a pod find their app. */
  private readonly podApps = new Map<string, string>();
  /** namespace → apps deployed there, so that events about their other objects find them. */
  private readonly namespaceApps = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();

  /** Observation times to the second: finer would only make records longer (and differ more often). */
  constructor(
    private readonly now: () => string = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  ) {}

  get appCount(): number {
    let count = 0;
    for (const state of this.states.values()) if (state.deployed) count += 1;
    return count;
  }

  applicationsPage(page: SnapshotPage<Application>): void {
    const at = this.now();
    const mark = this.begin('applications', page.first);
    for (const item of page.items) this.applyApplication(item, at, mark);
    if (!page.last) return;
    for (const state of this.states.values()) {
      if (state.applications.size === 0) continue;
      const before = state.namespaces();
      if (sweep(state.applications, mark).length === 0) continue;
      this.relocate(state, before);
      this.touch(state);
    }
  }

  application(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: Application): void {
    if (type !== 'DELETED') {
      this.applyApplication(item, this.now(), this.marks.applications);
      return;
    }
    // One environment goes: the app stays while it has another Application.
    const app = item.metadata.labels?.[Labels.app];
    const state = app === undefined ? undefined : this.states.get(app);
    if (state === undefined) return;
    const before = state.namespaces();
    if (!state.applications.delete(item.metadata.name ?? '')) return;
    this.relocate(state, before);
    this.touch(state);
  }

  workflowsPage(page: SnapshotPage<Workflow>): void {
    const at = this.now();
    this.begin('workflows', page.first);
    for (const item of page.items) this.workflow('ADDED', item, at);
    if (!page.last) return;
    const mark = this.marks.workflows;
    for (const state of this.states.values()) {
      if (state.tasks.size === 0) continue;
      sweep(state.tasks, mark);
      state.observe(WORKFLOW_PARTS, at);
      this.touch(state);
    }
  }

  workflow(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: Workflow, at = this.now()): void {
    const facts = taskFacts(item, this.marks.workflows);
    if (facts === undefined) return;
    const state = this.state(facts.app);
    if (type === 'DELETED') state.tasks.delete(facts.id);
    else state.tasks.set(facts.id, facts);
    state.observe(WORKFLOW_PARTS, at);
    this.touch(state);
  }

  podsPage(page: SnapshotPage<V1Pod>): void {
    const at = this.now();
    this.begin('pods', page.first);
    for (const item of page.items) this.pod('ADDED', item, at);
    if (!page.last) return;
    const mark = this.marks.pods;
    for (const state of this.states.values()) {
      if (state.pods.size === 0 && state.observedAt.pods === null) continue;
      for (const key of sweep(state.pods, mark)) this.podApps.delete(key);
      state.observe(['pods'], at);
      this.touch(state);
    }
  }

  /**
   * A pod labelled with an app, in any namespace: remembered (the Application may name its
   * namespace later), but it changes the summary only in the app's destination namespace.
   */
  pod(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: V1Pod, at = this.now()): void {
    const app = item.metadata?.labels?.[Labels.app];
    if (app === undefined) return;
    const namespace = item.metadata?.namespace ?? '';
    const key = `${namespace}/${item.metadata?.name ?? ''}`;
    const state = this.state(app);
    if (type === 'DELETED') {
      state.pods.delete(key);
      this.podApps.delete(key);
    } else {
      state.pods.set(key, podFacts(item, this.marks.pods));
      this.podApps.set(key, app);
    }
    if (!state.counts(namespace)) return;
    state.observe(['pods'], at);
    this.touch(state);
  }

  deploymentsPage(page: SnapshotPage<V1Deployment>): void {
    const at = this.now();
    this.begin('deployments', page.first);
    for (const item of page.items) this.deployment('ADDED', item, at);
    if (!page.last) return;
    const mark = this.marks.deployments;
    for (const state of this.states.values()) {
      if (state.deployments.size === 0 && state.observedAt.rollout === null) continue;
      sweep(state.deployments, mark);
      state.observe(['rollout'], at);
      this.touch(state);
    }
  }

  /**
   * A Deployment of an app (by its platform label): its rollout counts replace what it said
   * before. Like pods, it counts only in the app's destination namespace.
   */
  deployment(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: V1Deployment, at = this.now()): void {
    const app = item.metadata?.labels?.[Labels.app];
    if (app === undefined) return;
    const namespace = item.metadata?.namespace ?? '';
    const key = `${namespace}/${item.metadata?.name ?? ''}`;
    const state = this.state(app);
    if (type === 'DELETED') state.deployments.delete(key);
    else state.deployments.set(key, deploymentFacts(item, this.marks.deployments));
    if (!state.counts(namespace)) return;
    state.observe(['rollout'], at);
    this.touch(state);
  }

  warningsPage(page: SnapshotPage<CoreV1Event>): void {
    const at = this.now();
    this.begin('warnings', page.first);
    for (const item of page.items) this.warning('ADDED', item, at);
    if (!page.last) return;
    const mark = this.marks.warnings;
    for (const state of this.states.values()) {
      if (state.warnings.size === 0) continue;
      sweep(state.warnings, mark);
      state.observe(['lastWarning'], at);
      this.touch(state);
    }
  }

  /**
   * A Warning event: the newest one of an app's objects in its destination namespace is its
   * `lastWarning` (kept per namespace, so another namespace's newer warning can neither show nor
   * hide it). Deletions (expiry) keep it.
   */
  warning(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: CoreV1Event, at = this.now()): void {
    if (type === 'DELETED' || item.type !== 'Warning') return;
    const namespace = item.involvedObject.namespace ?? item.metadata.namespace;
    const app = this.appOfObject(namespace, item.involvedObject.name);
    if (app === undefined || namespace === undefined) return;
    const state = this.state(app);
    const mark = this.marks.warnings;
    const facts = warningFacts(item, mark);
    const before = state.warnings.get(namespace);
    // What an earlier snapshot said gives way; within one, the later warning wins.
    if (before !== undefined && before.mark === mark && !laterWarning(facts, before)) return;
    state.warnings.set(namespace, facts);
    if (!state.counts(namespace)) return;
    state.observe(['lastWarning'], at);
    this.touch(state);
  }

  /** Apps changed since the last drain, with their new summary (undefined: the app is gone). */
  drain(): Map<string, StoredSummary | undefined> {
    const out = new Map<string, StoredSummary | undefined>();
    for (const app of this.dirty) {
      const state = this.states.get(app);
      out.set(app, state === undefined ? undefined : summaryOf(state));
      if (state?.empty === true) this.states.delete(app);
    }
    this.dirty.clear();
    return out;
  }

  /**
   * Every app's summary, one at a time (a full resync writes them in batches: a Map of them all
   * was tens of MB at 10,000 apps). Changes folded while it is consumed show in what it yields
   * later and are also left dirty for the next drain.
   */
  *summaries(): Generator<StoredSummary> {
    for (const state of this.states.values()) {
      const summary = summaryOf(state);
      if (summary !== undefined) yield summary;
    }
  }

  /** One app's summary, undefined when it has none (no Application left). */
  summary(app: string): StoredSummary | undefined {
    const state = this.states.get(app);
    return state === undefined ? undefined : summaryOf(state);
  }

  /** Whether the app has a summary (a resync removes the stored ones that have not). */
  has(app: string): boolean {
    return this.states.get(app)?.deployed === true;
  }

  /** Forgets which apps changed: a full resync is about to write them all. */
  clearDirty(): void {
    this.dirty.clear();
  }

  /** One page of a whole snapshot of a source that fits in one (tests, small lists). */
  applicationsSnapshot(items: Application[]): void {
    this.applicationsPage({ items, first: true, last: true });
  }

  workflowsSnapshot(items: Workflow[]): void {
    this.workflowsPage({ items, first: true, last: true });
  }

  podsSnapshot(items: V1Pod[]): void {
    this.podsPage({ items, first: true, last: true });
  }

  deploymentsSnapshot(items: V1Deployment[]): void {
    this.deploymentsPage({ items, first: true, last: true });
  }

  warningsSnapshot(items: CoreV1Event[]): void {
    this.warningsPage({ items, first: true, last: true });
  }

  /** The number of the source's snapshot: a new one on its first page. */
  private begin(source: SnapshotSource, first: boolean): number {
    if (first) this.marks[source] += 1;
    return this.marks[source];
  }

  private applyApplication(item: Application, at: string, mark: number): string | undefined {
    const facts = applicationFacts(item, mark);
    if (facts === undefined) return undefined;
    const state = this.state(facts.app);
    const before = state.namespaces();
    state.applications.set(facts.name, facts);
    this.relocate(state, before);
    state.observe(ARGOCD_PARTS, at);
    this.touch(state);
    return facts.app;
  }

  /**
   * The app an object belongs to: a known pod's label, else the app deployed to that namespace
   * whose name the object's starts with (Deployment `<app>`, ReplicaSet `<app>-<hash>`, pods).
   */
  private appOfObject(namespace: string | undefined, name: string | undefined): string | undefined {
    if (namespace === undefined || name === undefined) return undefined;
    const pod = this.podApps.get(`${namespace}/${name}`);
    if (pod !== undefined) return pod;
    const apps = this.namespaceApps.get(namespace);
    if (apps === undefined) return undefined;
    // The longest `<app>` that `name` equals or starts with followed by '-'.
    for (let end = name.length; end > 0; end = name.lastIndexOf('-', end - 1)) {
      const candidate = name.slice(0, end);
      if (apps.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** Keeps `namespaceApps` in step after the app's Applications changed (`before`: their namespaces then). */
  private relocate(state: AppState, before: readonly string[]): void {
    const after = state.namespaces();
    for (const namespace of before) {
      if (after.includes(namespace)) continue;
      const apps = this.namespaceApps.get(namespace);
      apps?.delete(state.app);
      if (apps?.size === 0) this.namespaceApps.delete(namespace);
    }
    for (const namespace of after) {
      if (before.includes(namespace)) continue;
      let apps = this.namespaceApps.get(namespace);
      if (apps === undefined) {
        apps = new Set();
        this.namespaceApps.set(namespace, apps);
      }
      apps.add(state.app);
    }
  }

  private state(app: string): AppState {
    let state = this.states.get(app);
    if (state === undefined) {
      state = new AppState(app);
      this.states.set(app, state);
    }
    return state;
  }

  private touch(state: AppState): void {
    this.dirty.add(state.app);
  }
}

/** Removes the entries an earlier snapshot left (older mark); returns their keys. */
function sweep<T extends { mark: number }>(byKey: FewByKey<T>, mark: number): string[] {
  const gone: string[] = [];
  for (const [key, value] of byKey.pairs()) if (value.mark !== mark) gone.push(key);
  for (const key of gone) byKey.delete(key);
  return gone;
}
