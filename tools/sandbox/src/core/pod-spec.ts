/**
 * The Kubernetes core/v1 pod-spec types the sandbox reads (containers, volumes, security
 * contexts), shared by the Kubernetes side (ServiceAccount admission) and Argo Workflows (its
 * templates carry the same Container and Volume). Field names follow the upstream Go types.
 */

/** The pod-level `securityContext` fields the sandbox honours. */
export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  fsGroupChangePolicy?: 'Always' | 'OnRootMismatch';
  supplementalGroups?: number[];
}

/** The container-level `securityContext` fields the sandbox honours (they win over the pod's). */
export interface ContainerSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef; fieldRef?: { fieldPath: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

/** One key of a Secret or ConfigMap volume, at a path of its own, with a mode of its own. */
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  secret?: { secretName: string; optional?: boolean; items?: KeyToPath[]; defaultMode?: number };
  configMap?: { name: string; optional?: boolean; items?: KeyToPath[]; defaultMode?: number };
  persistentVolumeClaim?: { claimName: string };
  projected?: { sources: ProjectedSource[]; defaultMode?: number };
  [key: string]: unknown;
}

/** One source of a projected volume, as the ServiceAccount admission plugin writes them. */
export interface ProjectedSource {
  serviceAccountToken?: { path: string; expirationSeconds?: number; audience?: string };
  configMap?: { name: string; items?: KeyToPath[] };
  downwardAPI?: { items: Array<{ path: string; fieldRef: { apiVersion?: string; fieldPath: string } }> };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  volumeMounts?: VolumeMount[];
  securityContext?: ContainerSecurityContext;
  [key: string]: unknown;
}
