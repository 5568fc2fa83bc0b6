import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { ensureDefaultProject } from '../../src/argo-cd/shared/app-projects';
import { createContext } from '../../src/core/create-context';
import { LabelSelector } from '../../src/core/label-selector';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import type { PodObject } from '../../src/kubernetes/controllers/workload-types';
import { waitFor } from '../workloads/wait-for';
import { ChartRepo } from './chart-repo';

export const ARGOCD = 'argocd';

/**
 * An Argo CD application controller and a Deployment controller over a fresh context, with a
 * real manifests repository: created before each test and stopped after it. The helpers act on
 * Applications the way the API server and users do (create, request a sync, refresh).
 */
export function useControllerHarness() {
  let state:
    | {
        ctx: SandboxContext;
        deployments: DeploymentController;
        controller: ApplicationController;
        repo: ChartRepo;
        healthSeen: Map<string, string[]>;
      }
    | undefined;
  const current = () => {
    if (state === undefined) throw new Error('the controller harness is used outside a test');
    return state;
  };

  beforeEach(async () => {
    const repo = await ChartRepo.create();
    const ctx = createContext({ dataDir: repo.root }, 500);
    // The Argo CD server creates it at its first start; the controller alone does not.
    ensureDefaultProject(ctx);
    const deployments = new DeploymentController(ctx);
    const controller = new ApplicationController(ctx, {
      reconcileIntervalMs: 3_600_000,
      syncDurationMs: 500,
    });
    deployments.start();
    controller.start();
    const healthSeen = new Map<string, string[]>();
    ctx.store.watch(Kinds.Application, {}, (e) => {
      const status = (e.object as ApplicationObject).status?.health?.status;
      const list = healthSeen.get(e.object.metadata.name ?? '') ?? [];
      if (status !== undefined && list[list.length - 1] !== status) list.push(status);
      healthSeen.set(e.object.metadata.name ?? '', list);
    });
    state = { ctx, deployments, controller, repo, healthSeen };
  });
  afterEach(() => {
    const { controller, deployments, ctx, repo } = current();
    controller.stop();
    deployments.stop();
    ctx.clock.cancelAll();
    repo.dispose();
    state = undefined;
  });

  const app = (name: string) => current().ctx.store.get(Kinds.Application, ARGOCD, name) as ApplicationObject;
  return {
    get ctx() {
      return current().ctx;
    },
    get repo() {
      return current().repo;
    },
    get controller() {
      return current().controller;
    },
    get deployments() {
      return current().deployments;
    },
    get healthSeen() {
      return current().healthSeen;
    },
    /** An Application of chart/ with values-dev.yaml, deploying to `<name>-dev`, with platform labels. */
    createApp(name: string, overrides: Partial<ApplicationObject['spec']> = {}): void {
      current().ctx.store.create(Kinds.Application, {
        metadata: {
          name,
          namespace: ARGOCD,
          labels: {
            'platform-api/app': name,
            'platform-api/team': 'team-a',
            'platform-api/template': 'node',
            other: 'x',
          },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: 'default',
          source: {
            repoURL: current().repo.bare,
            path: 'chart',
            targetRevision: 'main',
            helm: { valueFiles: ['values-dev.yaml'] },
          },
          destination: { server: 'https://kubernetes.default.svc', namespace: `${name}-dev` },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
          ...overrides,
        },
      });
    },
    app,
    requestSync(name: string, revision?: string): void {
      current().ctx.store.mutate(Kinds.Application, ARGOCD, name, (a) => {
        (a as ApplicationObject).operation = {
          sync: { ...(revision !== undefined ? { revision } : {}), syncStrategy: { hook: {} } },
          initiatedBy: { username: 'admin' },
        };
      });
    },
    refresh(name: string, type: 'normal' | 'hard' = 'normal'): void {
      current().ctx.store.mutate(Kinds.Application, ARGOCD, name, (a) => {
        a.metadata.annotations = { ...a.metadata.annotations, 'argocd.argoproj.io/refresh': type };
      });
    },
    pods(name: string): PodObject[] {
      return current().ctx.store.list(Kinds.Pod, {
        namespace: `${name}-dev`,
        labelSelector: LabelSelector.parse(`app.kubernetes.io/instance=${name}`),
      }).items as PodObject[];
    },
    appEvents(name: string): string[] {
      return current()
        .ctx.store.list(Kinds.Event, { namespace: ARGOCD })
        .items.filter((e) => (e.involvedObject as { name: string }).name === name)
        .map((e) => `${String(e.reason)}: ${String(e.message)}`);
    },
    /** The app once Synced at `sha` with no operation left. */
    synced(name: string, sha: string): Promise<ApplicationObject> {
      return waitFor(`${name} Synced at ${sha}`, () => {
        const a = app(name);
        return (
          a.status?.sync?.status === 'Synced' &&
          a.status.sync.revision === sha &&
          a.operation === undefined &&
          a
        );
      });
    },
  };
}
