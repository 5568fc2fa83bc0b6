import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { ProjectRules, type AppProjectObject } from './app-project';

export const DEFAULT_PROJECT = 'default';

/**
 * What the Argo CD server creates at its first start when there is no `default` AppProject
 * (argoproj/argo-cd `server/server.go` initializeDefaultProject): every repository, every
 * destination, every cluster-scoped kind. Left alone when it exists.
 */
export function ensureDefaultProject(ctx: SandboxContext): void {
  const namespace = ctx.config.argocdNamespace;
  if (ctx.store.get(Kinds.AppProject, namespace, DEFAULT_PROJECT) !== undefined) return;
  ctx.store.create(Kinds.AppProject, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: DEFAULT_PROJECT, namespace },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
}

/** The AppProject of that name in Argo CD's namespace, as the servers' informers see it. */
export function findProject(ctx: SandboxContext, name: string): AppProjectObject | undefined {
  const project = ctx.store.get(Kinds.AppProject, ctx.config.argocdNamespace, name);
  if (project === undefined) return undefined;
  return { ...project, spec: (project.spec ?? {}) as AppProjectObject['spec'] };
}

/** The effective project of an Application (`default` when unset). */
export function projectNameOf(app: KubeObject): string {
  const project = (app.spec as { project?: unknown } | undefined)?.project;
  return typeof project === 'string' && project !== '' ? project : DEFAULT_PROJECT;
}

/** Why the controller or the server cannot use an app's project. */
export type ProjectProblem = { kind: 'missing' } | { kind: 'not-permitted'; message: string };

/**
 * `argo.GetAppProject`: the app's project, which must exist and accept apps from the app's
 * namespace (`ErrProjectNotPermitted` otherwise).
 */
export function appProject(ctx: SandboxContext, app: KubeObject): ProjectRules | ProjectProblem {
  const name = projectNameOf(app);
  const project = findProject(ctx, name);
  if (project === undefined) return { kind: 'missing' };
  const rules = new ProjectRules(project);
  const namespace = app.metadata.namespace ?? '';
  if (!rules.isAppNamespacePermitted(namespace, ctx.config.argocdNamespace)) {
    return {
      kind: 'not-permitted',
      message: `application '${app.metadata.name ?? ''}' in namespace '${namespace}' is not permitted to use project '${name}'`,
    };
  }
  return rules;
}

/**
 * The API server's `getAppProject`: any problem is the same vague InvalidArgument, so that
 * nobody can enumerate project names (argoproj/argo-cd `server/application/application.go`).
 */
export function serverAppProject(ctx: SandboxContext, app: KubeObject): ProjectRules {
  const found = appProject(ctx, app);
  if (found instanceof ProjectRules) return found;
  // Go's `%q` of `a.Spec.Project` as given (empty when unset).
  const given = (app.spec as { project?: unknown } | undefined)?.project;
  throw new GrpcError(
    GrpcCode.InvalidArgument,
    `app is not allowed in project ${JSON.stringify(typeof given === 'string' ? given : '')}, or the project does not exist`,
  );
}
