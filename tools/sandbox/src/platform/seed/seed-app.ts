import { applicationName, environmentValueFiles, Labels } from '@platform/domain';
import { CONTROLLER_COMPONENT } from '../../argo-cd/shared/app-types';
import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { microTime } from '../../core/sim-clock';
import { seededApplication } from './seed-application';
import { createWithFreshName, eventSuffix, fakeSha, iso, type Create } from './seed-names';
import type { SeededRepos } from './seed-repos';
import { finishedWorkflow, type SeedRun } from './seed-workflows';
import { seedWorkload } from './seed-workload';

/** One environment of a seeded app: its name and the namespace it deploys to. */
export interface SeedEnvironment {
  name: string;
  namespace: string;
}

/** One app to seed. */
export interface SeedApp {
  app: string;
  team: string;
  template: string;
  /** Where it is deployed: its builds and deploys go to the first, the last image is promoted to the others. */
  environments: SeedEnvironment[];
  pods: number;
  workflows: number;
  /** When its history starts; everything else happens after. */
  since: Date;
  /**
   * Its real repositories on the git server, when it has them: its builds then name their
   * commit, its deploys the manifests commit, its pods are as many as each environment's values
   * ask for, and its Applications are plain ones the controller syncs from git.
   */
  repos?: SeededRepos;
}

const RUN_INTERVAL_MS = 30 * 60_000;
/** The git server seeded apps name when the sandbox serves none (a store without servers). */
export const SEED_GIT_URL = 'http://git.sandbox.local';

/**
 * Writes one app the way the platform would have left it after a create, some builds and some
 * deploys: finished ci/cd Workflows (alternating, ci first, deploying to its first environment),
 * the images they pushed, then a cd promoting the last image to each further environment; per
 * environment the workload of its last deploy and its Application (`<app>-<environment>`, labelled
 * with the environment) Synced and Healthy; and a few Events.
 */
export function seedApp(ctx: SandboxContext, seed: SeedApp, create: Create): void {
  const { app, team } = seed;
  const home = seed.environments[0]?.name ?? 'dev';
  const user = `dev-${fakeSha(`${app}/user`).slice(0, 1)}`;
  const repository = `${ctx.config.registryHost}/${team}/${app}`;
  let at = seed.since.getTime();
  let image = '';
  const { repos } = seed;
  let revision = repos?.manifestsCommit ?? fakeSha(`${app}/manifests/0`);
  for (let i = 0; i < Math.max(1, seed.workflows); i += 1) {
    const type = i % 2 === 0 ? 'ci' : 'cd';
    const commit = repos?.sourceCommit ?? fakeSha(`${app}/source/${i}`);
    if (type === 'ci') {
      const tag = repos?.imageTag ?? commit.slice(0, 7);
      image = `${repository}:${tag}`;
      ctx.registry.pushSeeded(repository, tag, commit, new Date(at));
    } else {
      revision = repos?.manifestsCommit ?? fakeSha(`${app}/manifests/${i}`);
    }
    if (i >= seed.workflows) break;
    const run = {
      namespace: ctx.config.argoNamespace,
      type,
      app,
      team,
      requestedBy: user,
      startedAt: new Date(at),
    } as const;
    const details: Pick<SeedRun, 'steps' | 'parameters' | 'outputs'> =
      type === 'ci'
        ? {
            steps: [
              { name: 'clone', template: 'git-clone', seconds: 4 },
              { name: 'build', template: 'build-push', seconds: 95 },
            ],
            parameters: { app, ref: 'main' },
            outputs: { image, digest: ctx.registry.find(image)?.digest ?? '', commit },
          }
        : cdDetails(app, image, home, revision);
    const workflow = createWithFreshName(create, Kinds.Workflow, (suffix) =>
      finishedWorkflow({ ...run, ...details, name: `${type}-${app}-${suffix}` }),
    );
    if (i === seed.workflows - 1 && seed.environments.length === 1)
      event(create, workflow, 'WorkflowSucceeded', 'Workflow completed', 'workflow-controller', at);
    at += RUN_INTERVAL_MS;
  }
  seed.environments.forEach((environment, index) => {
    // A further environment gets the last image by a cd of its own (when the app has workflows).
    if (index > 0) {
      revision = repos?.manifestsCommit ?? fakeSha(`${app}/manifests/${environment.name}`);
      if (seed.workflows > 0) {
        const promoted = createWithFreshName(create, Kinds.Workflow, (suffix) =>
          finishedWorkflow({
            namespace: ctx.config.argoNamespace,
            type: 'cd',
            app,
            team,
            requestedBy: user,
            startedAt: new Date(at),
            ...cdDetails(app, image, environment.name, revision),
            name: `cd-${app}-${suffix}`,
          }),
        );
        if (index === seed.environments.length - 1)
          event(create, promoted, 'WorkflowSucceeded', 'Workflow completed', 'workflow-controller', at);
        at += RUN_INTERVAL_MS;
      }
    }
    seedEnvironment(ctx, seed, environment, { image, revision, user, deployedAt: new Date(at) }, create);
  });
}

/** A finished cd's steps, parameters and the global outputs of deploy/argo/cd.yaml. */
function cdDetails(
  app: string,
  image: string,
  environment: string,
  revision: string,
): Pick<SeedRun, 'steps' | 'parameters' | 'outputs'> {
  return {
    steps: [
      { name: 'update-values', template: 'git-update', seconds: 3 },
      { name: 'sync', template: 'argocd-sync', seconds: 20 },
    ],
    parameters: { app, image, environment },
    outputs: {
      'manifests-commit': revision,
      'synced-revision': revision,
      image,
      environment,
      health: 'Healthy',
    },
  };
}

/** One environment's workload, its Application and their Events, as its last deploy left them. */
function seedEnvironment(
  ctx: SandboxContext,
  seed: SeedApp,
  environment: SeedEnvironment,
  last: { image: string; revision: string; user: string; deployedAt: Date },
  create: Create,
): void {
  const { app, team } = seed;
  const { image, revision, user, deployedAt } = last;
  const at = deployedAt.getTime();
  const namespace = environment.namespace;
  const name = applicationName(app, environment.name);
  const pods = seed.repos?.replicas(environment.name) ?? seed.pods;
  const { deployment, replicaSet } = seedWorkload(
    ctx,
    { app, release: name, team, template: seed.template, namespace, image, pods, deployedAt },
    create,
  );
  const gitBase = ctx.urls.git !== '' ? ctx.urls.git : SEED_GIT_URL;
  const source = () => ({
    repoURL: `${gitBase}/${team}/${app}-manifests.git`,
    path: 'chart',
    // As create-app creates it (`--revision main`).
    targetRevision: 'main',
    helm: { valueFiles: environmentValueFiles(environment.name) },
  });
  const application = create(
    Kinds.Application,
    seededApplication({
      name,
      app,
      project: team,
      namespace,
      argocdNamespace: ctx.config.argocdNamespace,
      labels: {
        [Labels.app]: app,
        [Labels.team]: team,
        [Labels.template]: seed.template,
        [Labels.environment]: environment.name,
      },
      source,
      revision,
      image,
      user,
      deployedAt,
      inGit: seed.repos !== undefined,
    }),
  );
  event(
    create,
    deployment,
    'ScalingReplicaSet',
    `Scaled up replica set ${replicaSet} from 0 to ${pods}`,
    'deployment-controller',
    at,
  );
  event(
    create,
    application,
    'OperationCompleted',
    `Sync operation to ${revision} succeeded`,
    CONTROLLER_COMPONENT,
    at,
  );
}

function event(
  create: Create,
  involved: Readonly<KubeObject>,
  reason: string,
  message: string,
  component: string,
  at: number,
): void {
  const namespace = involved.metadata.namespace ?? 'default';
  const time = new Date(at);
  create(Kinds.Event, {
    metadata: { name: `${involved.metadata.name ?? ''}.${eventSuffix()}`, namespace },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      namespace,
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason,
    message,
    type: 'Normal',
    count: 1,
    firstTimestamp: iso(time),
    lastTimestamp: iso(time),
    eventTime: microTime(time),
    reportingComponent: component,
    reportingInstance: `${component}-sandbox`,
    source: { component },
  });
}
