import { dig, digString, type Application } from './argocd-api';

/**
 * What `argocd app wait --health` remembers of each resource between two looks at the app
 * (argo-cd cmd/argocd/commands/app.go, waitOnApplicationStatus): a resource it has seen with a
 * health other than Unknown or Degraded that turns Degraded ends the wait at once with an error,
 * instead of waiting for the timeout. A resource already Degraded at the first look does not.
 */
export class HealthTransitions {
  private readonly seen = new Map<string, string>();

  /** The error of a resource that just turned Degraded, if one did; remembers the rest. */
  degraded(app: Application, name: string): string | undefined {
    const resources = (dig(app, 'status', 'resources') ?? []) as unknown[];
    for (const resource of resources) {
      const key = ['group', 'kind', 'namespace', 'name'].map((f) => digString(resource, f)).join('/');
      const health = digString(resource, 'health', 'status');
      const before = this.seen.get(key);
      if (before === undefined) {
        this.seen.set(key, health);
        continue;
      }
      if (before !== 'Unknown' && before !== 'Degraded' && health === 'Degraded')
        return `application '${name}' health state has transitioned from ${before} to ${health}`;
      // The CLI merges a new state into the old one: an empty health keeps the last known.
      if (health !== '') this.seen.set(key, health);
    }
    return undefined;
  }
}
