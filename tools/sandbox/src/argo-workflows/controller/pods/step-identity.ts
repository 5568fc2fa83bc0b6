import type { ImageFacts } from '../../executors/images/image-facts';
import type { ContainerSecurityContext, PodSecurityContext } from '../../../core/pod-spec';
import { PodSetupError } from './pod-setup-error';

export type { ContainerSecurityContext, PodSecurityContext } from '../../../core/pod-spec';

/** Who the main container's process runs as. */
export interface StepIdentity {
  uid: number;
  gid: number;
  /** Supplementary groups: the user's groups in the image, `supplementalGroups`, `fsGroup`. */
  groups: number[];
  /** HOME when the image sets none: the user's home in the image's /etc/passwd, else `/`. */
  home: string;
}

/** Names the pod the way kubelet's messages do: `name_namespace(uid)` (k8s.io/kubernetes pkg/kubelet/util/format). */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/**
 * The user, group and groups of the main container, as the container runtime resolves them:
 * the image's USER (`uid`, `uid:gid` or a name looked up in its /etc/passwd), replaced by
 * `runAsUser`/`runAsGroup` (container over pod); the primary group of a uid without one is the
 * passwd entry's, else 0 (containerd's WithUserID). Checks `runAsNonRoot` first, failing the
 * container as kubelet does (pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot).
 */
export function stepIdentity(
  image: ImageFacts,
  pod: PodSecurityContext,
  container: ContainerSecurityContext,
  ref: PodRef,
): StepIdentity {
  const runAsUser = container.runAsUser ?? pod.runAsUser;
  const runAsGroup = container.runAsGroup ?? pod.runAsGroup;
  const imageUser = parseImageUser(image);
  verifyRunAsNonRoot(container.runAsNonRoot ?? pod.runAsNonRoot, runAsUser, imageUser, ref);
  const uid = runAsUser ?? imageUser.uid ?? entryNamed(image, imageUser.name)?.uid ?? 0;
  const entry = image.passwd.find((p) => p.uid === uid);
  const gid = runAsGroup ?? (runAsUser === undefined ? imageUser.gid : undefined) ?? entry?.gid ?? 0;
  const groups = [
    ...(entry !== undefined ? (image.groups?.[entry.name] ?? []) : []),
    ...(pod.supplementalGroups ?? []),
    ...(pod.fsGroup !== undefined ? [pod.fsGroup] : []),
  ];
  return { uid, gid, groups: [...new Set(groups)], home: entry?.home ?? '/' };
}

interface ImageUser {
  /** The numeric uid, when USER gives one. */
  uid?: number;
  gid?: number;
  /** The user name, when USER gives a name. */
  name?: string;
}

function parseImageUser(image: ImageFacts): ImageUser {
  const [user = '', group] = image.user.split(':');
  const gid = group !== undefined && /^\d+$/.test(group) ? Number(group) : undefined;
  if (user === '') return { uid: 0 };
  if (/^\d+$/.test(user)) return { uid: Number(user), ...(gid !== undefined ? { gid } : {}) };
  const entry = entryNamed(image, user);
  return { name: user, ...(gid !== undefined ? { gid } : entry !== undefined ? { gid: entry.gid } : {}) };
}

function entryNamed(image: ImageFacts, name: string | undefined): ImageFacts['passwd'][number] | undefined {
  return name === undefined ? undefined : image.passwd.find((p) => p.name === name);
}

function verifyRunAsNonRoot(
  runAsNonRoot: boolean | undefined,
  runAsUser: number | undefined,
  imageUser: ImageUser,
  ref: PodRef,
): void {
  if (runAsNonRoot !== true) return;
  const pod = `(pod: "${ref.name}_${ref.namespace}(${ref.uid})", container: main)`;
  const fail = (message: string): never => {
    throw new PodSetupError('CreateContainerConfigError', `${message} ${pod}`);
  };
  if (runAsUser !== undefined) {
    if (runAsUser === 0) fail("container's runAsUser breaks non-root policy");
    return;
  }
  if (imageUser.uid === undefined && imageUser.name !== undefined)
    fail(
      `container has runAsNonRoot and image has non-numeric user (${imageUser.name}), cannot verify user is non-root`,
    );
  if (imageUser.uid === 0) fail('container has runAsNonRoot and image will run as root');
}
