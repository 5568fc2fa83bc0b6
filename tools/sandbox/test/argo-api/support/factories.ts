import type { KubeObject } from '../../../src/core/kube-object';
import type { ObjectStore } from '../../../src/core/object-store';
import { Kinds } from '../../../src/core/resource-kinds';

type Overrides = Partial<KubeObject> & { metadata?: Partial<KubeObject['metadata']> };

function merge(base: KubeObject, overrides: Overrides): KubeObject {
  return { ...base, ...overrides, metadata: { ...base.metadata, ...overrides.metadata } };
}

/** A Workflow as the controller leaves it, phase and times included. */
export function workflow(name: string, phase = 'Running', overrides: Overrides = {}): KubeObject {
  const finished = ['Succeeded', 'Failed', 'Error'].includes(phase);
  return merge(
    {
      metadata: {
        name,
        namespace: 'argo',
        labels: {
          'workflows.argoproj.io/phase': phase,
          ...(finished ? { 'workflows.argoproj.io/completed': 'true' } : {}),
        },
      },
      spec: {
        entrypoint: 'main',
        templates: [{ name: 'main', container: { image: 'alpine:3', command: ['echo', 'hi'] } }],
      },
      status: {
        phase,
        startedAt: '2025-01-01T10:00:00Z',
        finishedAt: finished ? '2025-01-01T10:05:00Z' : null,
        progress: finished ? '1/1' : '0/1',
        nodes: {},
      },
    },
    overrides,
  );
}

export function workflowTemplate(name: string): KubeObject {
  return {
    metadata: { name, namespace: 'argo' },
    spec: {
      entrypoint: 'main',
      arguments: { parameters: [{ name: 'app' }, { name: 'ref', value: 'main' }] },
      workflowMetadata: { labels: { 'platform-api/template': name } },
      templates: [
        { name: 'main', steps: [[{ name: 'build', template: 'build' }]] },
        { name: 'build', container: { image: 'alpine:3', command: ['sh', '-c', 'echo build'] } },
      ],
    },
  };
}

/** A running (or finished) pod with containers `main` and `wait` unless others are given. */
export function pod(
  name: string,
  options: {
    namespace?: string;
    labels?: Record<string, string>;
    phase?: string;
    containers?: string[];
    owner?: KubeObject;
    annotations?: Record<string, string>;
  } = {},
): KubeObject {
  const containers = options.containers ?? ['main', 'wait'];
  const phase = options.phase ?? 'Running';
  return {
    metadata: {
      name,
      namespace: options.namespace ?? 'argo',
      labels: options.labels ?? {},
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
      ...(options.owner === undefined
        ? {}
        : {
            ownerReferences: [
              {
                apiVersion: options.owner.apiVersion ?? '',
                kind: options.owner.kind ?? '',
                name: options.owner.metadata.name ?? '',
                uid: options.owner.metadata.uid ?? '',
                controller: true,
              },
            ],
          }),
    },
    spec: {
      nodeName: 'sandbox-node',
      restartPolicy: 'Always',
      containers: containers.map((c) => ({ name: c, image: `registry.sandbox.local/team/${c}:1` })),
    },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }],
      containerStatuses: containers.map((c) => ({
        name: c,
        image: `registry.sandbox.local/team/${c}:1`,
        imageID: '',
        ready: phase === 'Running',
        started: phase === 'Running',
        restartCount: 0,
        state:
          phase === 'Running'
            ? { running: { startedAt: '2025-01-01T10:00:00Z' } }
            : {
                terminated: {
                  exitCode: 0,
                  reason: 'Completed',
                  startedAt: '2025-01-01T10:00:00Z',
                  finishedAt: '2025-01-01T10:01:00Z',
                },
              },
        lastState: {},
      })),
    },
  };
}

/** An Argo CD Application in the argocd namespace. */
export function application(name: string, repoURL: string, overrides: Overrides = {}): KubeObject {
  return merge(
    {
      metadata: {
        name,
        namespace: 'argocd',
        labels: { 'platform-api/app': name, 'platform-api/team': 'payments' },
      },
      spec: {
        project: 'default',
        source: { repoURL, path: 'deploy', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: `${name}-dev` },
      },
    },
    overrides,
  );
}

/** An Argo CD AppProject in the argocd namespace: any repository, any namespace of the cluster, no cluster-scoped kind. */
export function appProject(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: 'argocd' },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
      ...spec,
    },
  };
}

/** Deployment → ReplicaSet → Pod of an app in `namespace`, as the workload controllers leave them. */
export function createRollout(
  store: ObjectStore,
  app: string,
  namespace: string,
  podPhase = 'Running',
): { deployment: KubeObject; rs: KubeObject; pod: KubeObject } {
  const ready = podPhase === 'Running' ? 1 : 0;
  const deployment = store.create(Kinds.Deployment, {
    metadata: {
      name: app,
      namespace,
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        // What Argo CD v3 marks the objects it applies with (annotation tracking, no label).
        'argocd.argoproj.io/tracking-id': `${app}:apps/Deployment:${namespace}/${app}`,
      },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'main', image: 'img:1' }] } },
    },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: ready },
  });
  const rs = store.create(Kinds.ReplicaSet, {
    metadata: {
      name: `${app}-5d8f`,
      namespace,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: app,
          uid: deployment.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, replicas: 1, availableReplicas: ready },
  });
  const created = store.create(
    Kinds.Pod,
    pod(`${app}-5d8f-abcde`, { namespace, owner: rs, containers: ['main'], phase: podPhase }),
  );
  return { deployment, rs, pod: created };
}
