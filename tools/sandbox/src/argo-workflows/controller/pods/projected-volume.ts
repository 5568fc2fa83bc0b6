import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../../../core/sandbox-context';
import { Kinds } from '../../../core/resource-kinds';
import type { KubeObject } from '../../../core/kube-object';
import { boundToken, clusterCa } from '../../../kubernetes/controllers/service-account-token';
import type { KeyToPath, ProjectedSource, Volume } from '../../workflow-types';
import { PodSetupError } from './pod-setup-error';
import { ownByRoot } from './volume-ownership';

/** kubelet's default mode of a Secret or ConfigMap volume's files (SecretVolumeSourceDefaultMode). */
export const DEFAULT_PROJECTION_MODE = 0o644;

/**
 * Writes a Secret or ConfigMap volume as kubelet does (pkg/volume/secret, pkg/volume/configmap
 * MakePayload): every key as a file, or only the `items` at their paths; each file with its
 * item's `mode`, else `defaultMode`, else 0644, owned by root; the volume's root is a tmpfs
 * (1777). A missing object fails the mount unless `optional`; so does a missing item key.
 */
export async function writeProjectedVolume(
  ctx: SandboxContext,
  owner: { namespace: string; pod: KubeObject },
  name: string,
  volume: Volume,
  dir: string,
): Promise<void> {
  const { namespace } = owner;
  if (volume.projected !== undefined) {
    await writeFiles(dir, projectedFiles(ctx, owner, volume.projected.sources), volume.projected.defaultMode);
    return;
  }
  const source = volume.secret ?? volume.configMap;
  if (source === undefined) return;
  const isSecret = volume.secret !== undefined;
  const objectName = volume.secret?.secretName ?? volume.configMap?.name ?? '';
  const object = ctx.store.get(isSecret ? Kinds.Secret : Kinds.ConfigMap, namespace, objectName);
  const optional = source.optional === true;
  if (object === undefined && !optional) {
    const what = isSecret ? 'secret' : 'configmap';
    throw new PodSetupError(
      'FailedMount',
      `MountVolume.SetUp failed for volume "${name}" : ${what} "${objectName}" not found`,
    );
  }
  const data = isSecret
    ? { ...decodeData(object?.data, true), ...decodeData(object?.stringData, false) }
    : decodeData(object?.data, false);
  const items: KeyToPath[] = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o1777);
  await ownByRoot(dir);
  for (const item of items) {
    const content = data[item.key];
    if (content === undefined) {
      if (optional) continue;
      const missing = isSecret
        ? `references non-existent secret key: ${item.key}`
        : `configmap references non-existent config key: ${item.key}`;
      throw new PodSetupError('FailedMount', `MountVolume.SetUp failed for volume "${name}" : ${missing}`);
    }
    const file = path.join(dir, item.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    await chmod(file, item.mode ?? source.defaultMode ?? DEFAULT_PROJECTION_MODE);
    await ownByRoot(file);
  }
}

/** Values of a Secret's `data` (base64) or `stringData` / a ConfigMap's `data` (plain). */
export function decodeData(data: unknown, base64: boolean): Record<string, string> {
  if (typeof data !== 'object' || data === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}

/**
 * Files of a projected volume with the sources the ServiceAccount admission plugin writes: a bound
 * token of the pod's account, a ConfigMap's keys (`kube-root-ca.crt`, which the root CA publisher
 * keeps in every namespace, holds the cluster CA) and downward API fields of the pod.
 */
function projectedFiles(
  ctx: SandboxContext,
  owner: { namespace: string; pod: KubeObject },
  sources: ProjectedSource[],
): Array<{ path: string; content: string; mode?: number }> {
  const { namespace, pod } = owner;
  const files: Array<{ path: string; content: string; mode?: number }> = [];
  for (const source of sources) {
    if (source.serviceAccountToken !== undefined) {
      const accountName =
        (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
      const account = ctx.store.get(Kinds.ServiceAccount, namespace, accountName);
      const token = boundToken(
        ctx,
        { namespace, serviceAccount: accountName, serviceAccountUid: account?.metadata.uid ?? '' },
        { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
      );
      files.push({ path: source.serviceAccountToken.path, content: token });
    }
    if (source.configMap !== undefined) {
      const stored = decodeData(
        ctx.store.get(Kinds.ConfigMap, namespace, source.configMap.name)?.data,
        false,
      );
      const data =
        source.configMap.name === 'kube-root-ca.crt' ? { 'ca.crt': clusterCa(ctx), ...stored } : stored;
      const items: KeyToPath[] =
        source.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const item of items) {
        const content = data[item.key];
        if (content !== undefined)
          files.push({ path: item.path, content, ...(item.mode !== undefined ? { mode: item.mode } : {}) });
      }
    }
    for (const item of source.downwardAPI?.items ?? []) {
      const value =
        item.fieldRef.fieldPath === 'metadata.namespace' ? namespace : fieldOf(pod, item.fieldRef.fieldPath);
      files.push({ path: item.path, content: value });
    }
  }
  return files;
}

function fieldOf(pod: KubeObject, fieldPath: string): string {
  if (fieldPath === 'metadata.name') return pod.metadata.name ?? '';
  if (fieldPath === 'metadata.uid') return pod.metadata.uid ?? '';
  return '';
}

async function writeFiles(
  dir: string,
  files: Array<{ path: string; content: string; mode?: number }>,
  defaultMode: number | undefined,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o1777);
  await ownByRoot(dir);
  for (const entry of files) {
    const file = path.join(dir, entry.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, entry.content);
    await chmod(file, entry.mode ?? defaultMode ?? DEFAULT_PROJECTION_MODE);
    await ownByRoot(file);
  }
}

/**
 * kubelet mounts every volume of a pod before any container starts, whichever container uses it:
 * a Secret or ConfigMap volume whose object is missing (and not optional) keeps the pod from
 * starting, e.g. Argo's `exec-sa-token` when the executor account has no token Secret.
 */
export function checkVolumeSources(ctx: SandboxContext, namespace: string, volumes: Volume[]): void {
  for (const volume of volumes) {
    const source = volume.secret ?? volume.configMap;
    if (source === undefined || source.optional === true) continue;
    const isSecret = volume.secret !== undefined;
    const objectName = volume.secret?.secretName ?? volume.configMap?.name ?? '';
    if (ctx.store.get(isSecret ? Kinds.Secret : Kinds.ConfigMap, namespace, objectName) === undefined) {
      throw new PodSetupError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${volume.name}" : ${isSecret ? 'secret' : 'configmap'} "${objectName}" not found`,
      );
    }
  }
}
