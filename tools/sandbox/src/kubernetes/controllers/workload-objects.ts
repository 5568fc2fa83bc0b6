import { randomSuffix } from '../../core/object-store';
import { podQosClass } from './pod-qos';
import type { Container, DeploymentObject, PodObject, PodTemplate, ReplicaSetObject } from './workload-types';
import { POD_TEMPLATE_HASH } from './workload-types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** The ReplicaSet the Deployment controller creates for one template hash. */
export function newReplicaSet(
  deployment: DeploymentObject,
  hash: string,
  revision: number,
): ReplicaSetObject {
  const meta = deployment.metadata;
  const template = withHashLabel(deployment.spec.template, hash);
  const desired = deployment.spec.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${meta.name ?? ''}-${hash}`,
      namespace: meta.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(desired),
        'deployment.kubernetes.io/max-replicas': String(desired + 1),
        [REVISION_ANNOTATION]: String(revision),
      },
      ownerReferences: [ownerRef('apps/v1', 'Deployment', meta.name ?? '', meta.uid ?? '')],
    },
    spec: {
      replicas: 0,
      selector: {
        matchLabels: { ...(deployment.spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
      },
      template,
    },
  };
}

/** A new pod of a ReplicaSet, with the defaults the API server fills in. */
export function newPod(
  rs: ReplicaSetObject,
  name = `${rs.metadata.name ?? ''}-${randomSuffix(5)}`,
): PodObject {
  const template = rs.spec.template;
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations !== undefined ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [ownerRef('apps/v1', 'ReplicaSet', rs.metadata.name ?? '', rs.metadata.uid ?? '')],
    },
    spec: {
      ...spec,
      containers: spec.containers.map(withContainerDefaults),
      restartPolicy: spec.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
      serviceAccountName: spec.serviceAccountName ?? 'default',
      schedulerName: spec.schedulerName ?? 'default-scheduler',
    },
    status: { phase: 'Pending', qosClass: podQosClass(spec) },
  };
}

function withContainerDefaults(container: Container): Container {
  const latest = !/:[^/]+$/.test(container.image) || container.image.endsWith(':latest');
  return {
    ...container,
    imagePullPolicy: container.imagePullPolicy ?? (latest ? 'Always' : 'IfNotPresent'),
    resources: container.resources ?? {},
    terminationMessagePath: container.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: container.terminationMessagePolicy ?? 'File',
  };
}

function withHashLabel(template: PodTemplate, hash: string): PodTemplate {
  const copy = structuredClone(template);
  copy.metadata = {
    ...(copy.metadata ?? {}),
    labels: { ...(copy.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
  };
  return copy;
}

export function ownerRef(apiVersion: string, kind: string, name: string, uid: string) {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}
