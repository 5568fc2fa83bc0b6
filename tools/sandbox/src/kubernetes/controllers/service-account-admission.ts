import type { KubeObject } from '../../core/kube-object';
import type { ObjectStore } from '../../core/object-store';
import { randomSuffix } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import type { Container, Volume } from '../../core/pod-spec';
import { SERVICE_ACCOUNT_MOUNT_PATH } from './service-account-token';

/** The account a pod runs as, once admitted, and whether its token goes into the containers. */
export interface AdmittedAccount {
  name: string;
  /** The account's object; undefined for `default`, which the account controller makes in every namespace. */
  account: KubeObject | undefined;
  automount: boolean;
}

/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go) on a
 * pod create: the account (`default` when none is named) must exist, else the create is
 * forbidden; its token is mounted unless the pod says `automountServiceAccountToken: false`, or
 * the pod says nothing and the account does.
 */
export function admitServiceAccount(
  store: ObjectStore,
  namespace: string,
  podName: string,
  pod: { serviceAccountName?: string; automountServiceAccountToken?: boolean },
): AdmittedAccount | { error: string } {
  const name =
    pod.serviceAccountName === undefined || pod.serviceAccountName === ''
      ? 'default'
      : pod.serviceAccountName;
  const account = store.get(Kinds.ServiceAccount, namespace, name);
  if (account === undefined && name !== 'default') {
    return {
      error: `pods "${podName}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
    };
  }
  const accountSays = (account as { automountServiceAccountToken?: boolean } | undefined)
    ?.automountServiceAccountToken;
  return { name, account, automount: pod.automountServiceAccountToken ?? accountSays ?? true };
}

/**
 * What the plugin adds when the token is mounted: the projected volume `kube-api-access-<random>`
 * (a bound token that expires, the cluster CA, the namespace) mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container that has nothing there yet.
 */
export function addServiceAccountVolume(spec: { volumes?: Volume[]; containers?: Container[] }): void {
  const name = `kube-api-access-${randomSuffix(5)}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
  ];
  for (const container of spec.containers ?? []) {
    const mounts = container.volumeMounts ?? [];
    if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    container.volumeMounts = [...mounts, { name, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }];
  }
}
