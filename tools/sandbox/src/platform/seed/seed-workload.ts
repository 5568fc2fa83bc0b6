import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { deploymentStatus, replicaSetStatus } from '../../kubernetes/controllers/deployment-status';
import { imageIdOf } from '../../kubernetes/controllers/image-pull';
import { podTemplateHash } from '../../kubernetes/controllers/pod-template-hash';
import { podQosClass } from '../../kubernetes/controllers/pod-qos';
import { HOST_IP, podIpFor, renderPodStatus } from '../../kubernetes/controllers/pod-status';
import { newPod, newReplicaSet } from '../../kubernetes/controllers/workload-objects';
import {
  NODE_NAME,
  type DeploymentObject,
  type PodObject,
  type ReplicaSetObject,
} from '../../kubernetes/controllers/workload-types';
import { seedChartObjects } from './seed-chart-objects';
import { createWithFreshName, fakeSha, iso, type Create } from './seed-names';

export interface SeedWorkload {
  app: string;
  /** The Argo CD Application (Helm release) that deployed it. */
  release: string;
  team: string;
  template: string;
  namespace: string;
  image: string;
  pods: number;
  deployedAt: Date;
}

/**
 * The objects a sync of the app's chart and the controllers would have produced: the chart's
 * ServiceAccount, Service and Deployment (with the status the Deployment controller writes once
 * rolled out), its ReplicaSet and Ready, Running pods, and their first log lines.
 */
export function seedWorkload(
  ctx: SandboxContext,
  seed: SeedWorkload,
  create: Create,
): { deployment: Readonly<KubeObject>; replicaSet: string } {
  const at = iso(seed.deployedAt);
  const {
    serviceAccount,
    service,
    deployment: rendered,
  } = seedChartObjects({
    app: seed.app,
    release: seed.release,
    team: seed.team,
    template: seed.template,
    namespace: seed.namespace,
    image: seed.image,
    replicas: seed.pods,
  });
  create(Kinds.ServiceAccount, serviceAccount);
  service.spec = {
    ...(service.spec as object),
    clusterIP: podIpFor(`svc/${seed.app}`).replace(/^10\.244/, '10.96'),
  };
  create(Kinds.Service, service);

  const hash = podTemplateHash(rendered.spec.template);
  const counts = { total: seed.pods, updated: seed.pods, ready: seed.pods, available: seed.pods };
  const facts = {
    ...counts,
    newRsName: `${seed.app}-${hash}`,
    newRsCreated: false,
    deadlineExceeded: false,
    maxUnavailable: 0,
  };
  rendered.metadata.generation = 1;
  rendered.status = deploymentStatus(rendered, facts, at);
  const deployment = create(Kinds.Deployment, rendered);
  const rs = newReplicaSet(deployment as DeploymentObject, hash, 1);
  rs.spec.replicas = seed.pods;
  rs.status = replicaSetStatus(1, seed.pods, seed.pods);
  const replicaSet = create(Kinds.ReplicaSet, rs) as ReplicaSetObject;
  for (let i = 0; i < seed.pods; i += 1) {
    const pod = createWithFreshName(create, Kinds.Pod, (suffix) =>
      readyPod(ctx, replicaSet, `${replicaSet.metadata.name ?? ''}-${suffix}`, at),
    ) as PodObject;
    for (const container of pod.spec.containers) {
      const name = pod.metadata.name ?? '';
      ctx.logs.append(
        seed.namespace,
        name,
        container.name,
        `starting ${container.name} image=${container.image}`,
        seed.deployedAt,
      );
      ctx.logs.append(seed.namespace, name, container.name, 'listening on :8080', seed.deployedAt);
    }
  }
  return { deployment, replicaSet: replicaSet.metadata.name ?? '' };
}

function readyPod(ctx: SandboxContext, rs: ReplicaSetObject, name: string, at: string): PodObject {
  const pod = newPod(rs, name);
  pod.spec.nodeName = NODE_NAME;
  pod.status = renderPodStatus({
    phase: 'Running',
    qosClass: podQosClass(pod.spec),
    scheduledAt: at,
    initializedAt: at,
    readyChangedAt: at,
    hostIP: HOST_IP,
    podIP: podIpFor(name),
    containers: pod.spec.containers.map((c) => {
      return {
        name: c.name,
        image: c.image,
        imageID: imageIdOf(ctx, c.image),
        containerID: `containerd://${fakeSha(`${name}/${c.name}`)}${fakeSha(name).slice(0, 24)}`,
        state: { running: { startedAt: at } },
        lastState: {},
        ready: true,
        started: true,
        restartCount: 0,
      };
    }),
  });
  return pod;
}
