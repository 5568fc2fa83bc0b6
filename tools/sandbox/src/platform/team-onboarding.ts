import YAML from 'yaml';
import { HelmCommand } from '../argo-cd/controller/helm-command';
import type { KubeObject } from '../core/kube-object';
import { ALL_KINDS, apiVersionOf } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { createObject, updateObject } from '../kubernetes/api/object-writes';

const helm = new HelmCommand({ parallelism: 1 });

/**
 * Onboards a team the way a platform team does with deploy/team: renders the chart with the real
 * `helm template <team> <chart> --set-json gitUrl=...` and applies what it rendered (the team's
 * AppProject in Argo CD's namespace, its namespaces) like `kubectl apply -f -`: validated as the
 * API server validates it, created or replaced. Returns `Kind/name` of each object applied.
 */
export async function onboardTeam(
  ctx: SandboxContext,
  chartDir: string,
  team: string,
  gitUrl: string,
): Promise<string[]> {
  const rendered = await helm.run(
    ['template', team, '.', '--set-json', `gitUrl=${JSON.stringify(gitUrl)}`],
    chartDir,
  );
  const applied: string[] = [];
  for (const doc of YAML.parseAllDocuments(rendered)) {
    const object = doc.toJS() as KubeObject | null;
    if (object === null || typeof object !== 'object') continue;
    applied.push(apply(ctx, object));
  }
  return applied;
}

function apply(ctx: SandboxContext, object: KubeObject): string {
  const kind = ALL_KINDS.find((k) => apiVersionOf(k) === object.apiVersion && k.kind === object.kind);
  const name = object.metadata.name ?? '';
  if (kind === undefined) {
    throw new Error(
      `the team chart rendered ${object.apiVersion ?? ''} ${object.kind ?? ''} ${name}, which the sandbox does not serve`,
    );
  }
  const namespace = kind.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
  // Through the Kubernetes API's own write paths: its validation, defaults and namespace checks.
  const live = ctx.store.get(kind, namespace, name);
  if (live === undefined) createObject(ctx, kind, namespace, object);
  else {
    const { resourceVersion } = live.metadata;
    updateObject(
      ctx,
      { kind, namespace, name },
      { ...object, metadata: { ...object.metadata, resourceVersion } },
    );
  }
  return `${kind.kind}/${name}`;
}
