import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Application, Workflow } from '@platform/argo-client';
import { Labels, type SummaryPart } from '@platform/domain';
import { AppState } from './app-state';
import { applicationFacts } from './from-application';
import { deploymentFacts } from './from-deployment';
import { taskFacts } from './from-workflow';
import { laterWarning, podFacts, warningFacts } from './from-workloads';
import type { StoredSummary } from './stored-summary';
import { summaryOf } from './summary-of';

export type Change = 'upsert' | 'delete';

const ARGOCD_PARTS: SummaryPart[] = ['app', 'sync', 'health'];
const WORKFLOW_PARTS: SummaryPart[] = ['build', 'deploy'];

/**
 * Folds upstream objects into per-app state, remembering which apps changed since the last
 * {@link drain}. Pure (no I/O, the clock passed in), so every mapping is testable without servers.
 * A snapshot of a source replaces everything that source said before: apps it no longer
 * mentions lose those facts, and an app without an Application disappears.
 */
export class SummaryFolder {
  private readonly states = new Map<string, AppState>();
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
    for (const state of this.states.values()) if (state.application !== undefined) count += 1;
    return count;
  }

  applicationsSnapshot(items: Application[]): void {
    const at = this.now();
    const seen = new Set<string>();
    for (const item of items) {
      const app = this.applyApplication(item, at);
      if (app !== undefined) seen.add(app);
    }
    for (const state of this.states.values()) {
      if (state.application !== undefined && !seen.has(state.app)) {
        this.placeIn(state, null);
        state.application = undefined;
        this.touch(state);
      }
    }
  }

  application(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: Application): void {
    if (type !== 'DELETED') {
      this.applyApplication(item, this.now());
      return;
    }
    const app = item.metadata.labels?.[Labels.app];
    const state = app === undefined ? undefined : this.states.get(app);
    if (state === undefined) return;
    this.placeIn(state, null);
    state.application = undefined;
    this.touch(state);
  }

  workflowsSnapshot(items: Workflow[]): void {
    const at = this.now();
    for (const state of this.states.values()) {
      if (state.tasks.size === 0) continue;
      state.tasks.clear();
      state.observe(WORKFLOW_PARTS, at);
      this.touch(state);
    }
    for (const item of items) this.workflow('ADDED', item, at);
  }

  workflow(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: Workflow, at = this.now()): void {
    const facts = taskFacts(item);
    if (facts === undefined) return;
    const state = this.state(facts.app);
    if (type === 'DELETED') state.tasks.delete(facts.id);
    else state.tasks.set(facts.id, facts);
    state.observe(WORKFLOW_PARTS, at);
    this.touch(state);
  }

  podsSnapshot(items: V1Pod[]): void {
    const at = this.now();
    for (const state of this.states.values()) {
      if (state.pods.size === 0 && state.observedAt.pods === null) continue;
      state.pods.clear();
      state.observe(['pods'], at);
      this.touch(state);
    }
    this.podApps.clear();
    for (const item of items) this.pod('ADDED', item, at);
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
      state.pods.set(key, podFacts(item));
      this.podApps.set(key, app);
    }
    if (!state.counts(namespace)) return;
    state.observe(['pods'], at);
    this.touch(state);
  }

  deploymentsSnapshot(items: V1Deployment[]): void {
    const at = this.now();
    for (const state of this.states.values()) {
      if (state.deployments.size === 0 && state.observedAt.rollout === null) continue;
      state.deployments.clear();
      state.observe(['rollout'], at);
      this.touch(state);
    }
    for (const item of items) this.deployment('ADDED', item, at);
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
    else state.deployments.set(key, deploymentFacts(item));
    if (!state.counts(namespace)) return;
    state.observe(['rollout'], at);
    this.touch(state);
  }

  warningsSnapshot(items: CoreV1Event[]): void {
    const at = this.now();
    for (const state of this.states.values()) {
      if (state.warnings.size === 0) continue;
      state.warnings.clear();
      state.observe(['lastWarning'], at);
      this.touch(state);
    }
    for (const item of items) this.warning('ADDED', item, at);
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
    const facts = warningFacts(item);
    const before = state.warnings.get(namespace);
    if (before !== undefined && !laterWarning(facts, before)) return;
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

  /** Every app's summary (a full resync writes them all). */
  all(): Map<string, StoredSummary> {
    const out = new Map<string, StoredSummary>();
    for (const state of this.states.values()) {
      const summary = summaryOf(state);
      if (summary !== undefined) out.set(state.app, summary);
    }
    this.dirty.clear();
    return out;
  }

  private applyApplication(item: Application, at: string): string | undefined {
    const facts = applicationFacts(item);
    if (facts === undefined) return undefined;
    const state = this.state(facts.app);
    this.placeIn(state, facts.namespace);
    state.application = facts;
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

  private placeIn(state: AppState, namespace: string | null): void {
    const before = state.application?.namespace ?? null;
    if (before === namespace) return;
    if (before !== null) this.namespaceApps.get(before)?.delete(state.app);
    if (namespace === null) return;
    let apps = this.namespaceApps.get(namespace);
    if (apps === undefined) {
      apps = new Set();
      this.namespaceApps.set(namespace, apps);
    }
    apps.add(state.app);
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
