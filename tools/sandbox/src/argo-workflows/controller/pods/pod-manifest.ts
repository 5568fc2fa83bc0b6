import type { KubeObject } from '../../../core/kube-object';
import type { PodLaunch } from '../engine/execution';
import { goDurationString, parseArgoDuration } from '../engine/go-time';
import type { Container, PodGC, Volume, WorkflowSpec } from '../../workflow-types';
import { POD_ANNOTATIONS, WORKFLOW_LABELS } from '../../workflow-types';
import { SERVICE_ACCOUNT_MOUNT_PATH } from '../../../kubernetes/controllers/service-account-token';
import { podSecurityContext } from './pod-security';

/** The volume of the executor account's token (common.ServiceAccountTokenVolumeName). */
export const EXECUTOR_TOKEN_VOLUME = 'exec-sa-token';

/** The image of Argo's executor sidecar, as a v4.1.2 controller would set it. */
export const EXECUTOR_IMAGE = 'quay.io/argoproj/argoexec:v4.1.2';

/**
 * The main container of a launch: the template's container, or its script with the staging file
 * put first in its args (workflow/controller/operator.go executeScript), the command as given.
 */
export function mainContainer(launch: PodLaunch): Container & { image: string } {
  const { container, script } = launch.template;
  if (script !== undefined) {
    const { source: _source, ...rest } = script;
    return {
      ...rest,
      name: 'main',
      image: script.image ?? '',
      args: ['/argo/staging/script', ...(script.args ?? [])],
    };
  }
  return { ...container, name: 'main', image: container?.image ?? '' };
}

/**
 * The Pod a workflow controller creates for a Pod node: named by pod name v2, labelled with its
 * workflow, annotated with its node, owned by the workflow, with the `wait` sidecar and the
 * `main` container, Pending and not yet scheduled.
 */
export function podManifest(workflow: KubeObject, spec: WorkflowSpec, launch: PodLaunch): KubeObject {
  const main = mainContainer(launch);
  const volumes: Volume[] = [
    ...(launch.workflowVolumes ?? spec.volumes ?? []),
    ...(launch.template.volumes ?? []),
  ];
  for (const claim of spec.volumeClaimTemplates ?? []) {
    const name = claim.metadata?.name;
    if (name !== undefined)
      volumes.push({ name, persistentVolumeClaim: { claimName: `${workflow.metadata.name ?? ''}-${name}` } });
  }
  const started = { name: 'var-run-argo', mountPath: '/var/run/argo' };
  // The executor account's token reaches Argo's own container only, where kubelet's would go.
  const executorToken = launch.executorTokenSecret;
  const waitMounts =
    executorToken === undefined
      ? [started]
      : [started, { name: EXECUTOR_TOKEN_VOLUME, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }];
  if (executorToken !== undefined)
    volumes.push({ name: EXECUTOR_TOKEN_VOLUME, secret: { secretName: executorToken } });
  const automount = launch.template.automountServiceAccountToken ?? spec.automountServiceAccountToken;
  const security = podSecurityContext(launch.template, spec);
  const podMeta = metadataOf(spec.podMetadata);
  const templateMeta = metadataOf(launch.template.metadata);
  return {
    metadata: {
      name: launch.podName,
      namespace: workflow.metadata.namespace,
      // Argo copies spec.podMetadata and the template's metadata onto the pod, then its own keys.
      labels: {
        ...podMeta.labels,
        ...templateMeta.labels,
        [WORKFLOW_LABELS.completed]: 'false',
        [WORKFLOW_LABELS.workflow]: workflow.metadata.name ?? '',
      },
      annotations: {
        ...podMeta.annotations,
        ...templateMeta.annotations,
        [POD_ANNOTATIONS.nodeId]: launch.nodeId,
        [POD_ANNOTATIONS.nodeName]: launch.nodeName,
        ...(spec.podGC !== undefined ? { [POD_ANNOTATIONS.podGCStrategy]: podGCAnnotation(spec.podGC) } : {}),
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Workflow',
          name: workflow.metadata.name ?? '',
          uid: workflow.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'wait',
          image: EXECUTOR_IMAGE,
          command: ['argoexec'],
          args: ['wait', '--loglevel', 'info', '--log-format', 'text'],
          volumeMounts: waitMounts,
        },
        { ...main, volumeMounts: [...(main.volumeMounts ?? []), started] },
      ],
      volumes: [...volumes, { name: 'var-run-argo', emptyDir: {} }],
      restartPolicy: 'Never',
      ...(launch.activeDeadlineSeconds !== undefined
        ? { activeDeadlineSeconds: launch.activeDeadlineSeconds }
        : {}),
      ...(Object.keys(security).length > 0 ? { securityContext: security } : {}),
      serviceAccountName: launch.template.serviceAccountName ?? spec.serviceAccountName ?? 'default',
      // Argo sets the field only to turn the token off (setupServiceAccount).
      ...(automount === false ? { automountServiceAccountToken: false } : {}),
      enableServiceLinks: false,
    },
    status: { phase: 'Pending', qosClass: qosClass([main]) },
  };
}

/** Argo's `workflows.argoproj.io/pod-gc-strategy` annotation: `<strategy>/<delay>`, the delay a Go duration. */
function podGCAnnotation(podGC: PodGC): string {
  return `${podGC.strategy ?? ''}/${goDurationString(podGCDelayMs(podGC))}`;
}

/** The controller's podGCDeleteDelayDuration (5s by default), or the workflow's deleteDelayDuration. */
export function podGCDelayMs(podGC: PodGC | undefined): number {
  const own = podGC?.deleteDelayDuration;
  const parsed = own === undefined || own === '' ? undefined : parseArgoDuration(own);
  return parsed !== undefined && parsed >= 0 ? parsed : 5000;
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

/**
 * The pod's QoS class as the API server computes it (pkg/apis/core/helper/qos): BestEffort
 * without any request or limit, Guaranteed when every container limits cpu and memory with
 * requests equal to the limits, else Burstable. The wait container has none here.
 */
function qosClass(containers: Container[]): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const all = [...containers.map((c) => (c.resources ?? {}) as Resources), {}];
  const none = all.every(
    (r) => Object.keys(r.requests ?? {}).length + Object.keys(r.limits ?? {}).length === 0,
  );
  if (none) return 'BestEffort';
  const guaranteed = all.every((r) =>
    ['cpu', 'memory'].every(
      (k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k],
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

interface PodMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function metadataOf(value: unknown): PodMetadata {
  return typeof value === 'object' && value !== null ? value : {};
}
