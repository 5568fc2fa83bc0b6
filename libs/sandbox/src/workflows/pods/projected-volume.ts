import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../../core/sandbox-context';
import { Kinds } from '../../core/resource-kinds';
import type { KeyToPath, Volume } from '../types';
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
  namespace: string,
  name: string,
  volume: Volume,
  dir: string,
): Promise<void> {
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
