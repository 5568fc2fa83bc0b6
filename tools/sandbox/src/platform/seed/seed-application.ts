import {
  RESOURCES_FINALIZER,
  SEEDED_ANNOTATION,
  type ApplicationObject,
  type AppSource,
  type ResourceResult,
  type ResourceStatus,
} from '../../argo-cd/shared/app-types';
import { iso } from './seed-names';

export interface SeedApplication {
  /** The Application's name: `<app>-<environment>`. */
  name: string;
  /** The app, whose chart names its objects. */
  app: string;
  /** The team's AppProject. */
  project: string;
  namespace: string;
  argocdNamespace: string;
  labels: Record<string, string>;
  source: () => AppSource;
  revision: string;
  image: string;
  user: string;
  deployedAt: Date;
  /**
   * Whether git holds what it deploys: then the controller compares and syncs it like any other;
   * otherwise it is marked as seeded, and only its health is kept current.
   */
  inGit: boolean;
}

const DESTINATION_SERVER = 'https://kubernetes.default.svc';

/**
 * The Application as the controller leaves it after a successful sync: Synced and Healthy, one
 * history entry, the finished operation, its ServiceAccount, Service and Deployment listed, marked
 * as seeded unless git holds its manifests.
 * `source` is a factory because one object used in several places stays aliased in every copy.
 */
export function seededApplication(seed: SeedApplication): ApplicationObject {
  const destination = () => ({ server: DESTINATION_SERVER, namespace: seed.namespace });
  const finishedAt = iso(seed.deployedAt);
  const startedAt = iso(new Date(seed.deployedAt.getTime() - 20_000));
  const resources: ResourceStatus[] = [
    {
      version: 'v1',
      kind: 'Service',
      namespace: seed.namespace,
      name: seed.app,
      status: 'Synced',
      health: { status: 'Healthy' },
    },
    { version: 'v1', kind: 'ServiceAccount', namespace: seed.namespace, name: seed.app, status: 'Synced' },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: seed.namespace,
      name: seed.app,
      status: 'Synced',
      health: { status: 'Healthy' },
    },
  ];
  const syncResources: ResourceResult[] = resources.map((r) => ({
    group: r.group ?? '',
    version: r.version,
    kind: r.kind,
    namespace: r.namespace ?? '',
    name: r.name,
    status: 'Synced',
    message: `${r.kind.toLowerCase()}${r.group === undefined ? '' : `.${r.group}`}/${r.name} configured`,
    hookPhase: 'Running',
    syncPhase: 'Sync',
  }));
  const initiatedBy = () => ({ username: seed.user });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: seed.name,
      namespace: seed.argocdNamespace,
      labels: seed.labels,
      ...(seed.inGit ? {} : { annotations: { [SEEDED_ANNOTATION]: 'true' } }),
      finalizers: [RESOURCES_FINALIZER],
    },
    // As create-app creates it: in the team's project, deploying to the team's namespace of its environment.
    spec: {
      project: seed.project,
      source: seed.source(),
      destination: destination(),
    },
    status: {
      resources,
      sync: {
        status: 'Synced',
        comparedTo: { source: seed.source(), destination: destination() },
        revision: seed.revision,
      },
      health: { status: 'Healthy', lastTransitionTime: finishedAt },
      history: [
        {
          revision: seed.revision,
          deployedAt: finishedAt,
          id: 0,
          source: seed.source(),
          deployStartedAt: startedAt,
          initiatedBy: initiatedBy(),
        },
      ],
      reconciledAt: finishedAt,
      operationState: {
        operation: {
          sync: { revision: seed.revision, syncStrategy: { hook: {} } },
          initiatedBy: initiatedBy(),
          retry: {},
        },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        syncResult: { resources: syncResources, revision: seed.revision, source: seed.source() },
        startedAt,
        finishedAt,
      },
      sourceType: 'Helm',
      summary: { images: [seed.image] },
      controllerNamespace: seed.argocdNamespace,
    },
  };
}
