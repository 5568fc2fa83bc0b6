import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../../core/sandbox-context';
import { Kinds } from '../../core/resource-kinds';
import type { Container, KeyToPath, Template, Volume, WorkflowSpec } from '../types';
import { PathMapper, type Mount } from './path-mapper';
import { PodSetupError } from './pod-setup-error';

/** Where one pod's files live on this machine. */
export interface PodLayout {
  /** `<dataDir>/workflows/<workflow>` */
  workflowDir: string;
  podDir: string;
  /** HOME of local steps, with a git identity so commits work. */
  homeDir: string;
  gitConfig: string;
  mapper: PathMapper;
  /** The host folder the main container starts in. */
  workingDir: string;
  /** The container path of the working directory (for interpreters that resolve relative paths). */
  containerWorkingDir: string;
}

export const GIT_IDENTITY = { name: 'sandbox', email: 'sandbox@sandbox.local' };

/** Folder of a workflow's work files: `<dataDir>/workflows/<name>`. */
export function workflowDir(ctx: SandboxContext, workflowName: string): string {
  return path.join(ctx.config.dataDir, 'workflows', workflowName);
}

/**
 * Lays out a pod's folders: volumes from volumeClaimTemplates and persistentVolumeClaims are
 * shared by every pod of the workflow (`volumes/<name>`), emptyDir, secret and configMap volumes
 * belong to the pod, and `/tmp`, `/workspace` and the working directory are the pod's own
 * unless a volume is mounted there.
 */
export async function preparePodLayout(
  ctx: SandboxContext,
  namespace: string,
  workflowName: string,
  podName: string,
  template: Template,
  spec: WorkflowSpec,
): Promise<PodLayout> {
  const wfDir = workflowDir(ctx, workflowName);
  const podDir = path.join(wfDir, 'pods', podName);
  await rm(podDir, { recursive: true, force: true });
  const homeDir = path.join(wfDir, 'home');
  const gitConfig = path.join(homeDir, '.gitconfig');
  await mkdir(homeDir, { recursive: true });
  if (!existsSync(gitConfig)) {
    await writeFile(
      gitConfig,
      `[user]\n\tname = ${GIT_IDENTITY.name}\n\temail = ${GIT_IDENTITY.email}\n[init]\n\tdefaultBranch = main\n` +
        '[safe]\n\tdirectory = *\n[advice]\n\tdetachedHead = false\n',
    );
  }
  const container: Container = template.container ?? template.script ?? {};
  const volumes = new Map<string, Volume>();
  for (const v of [...(spec.volumes ?? []), ...(template.volumes ?? [])]) volumes.set(v.name, v);
  const mounts: Mount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const base = await volumeFolder(ctx, namespace, wfDir, podDir, mount.name, volumes.get(mount.name));
    const hostPath =
      mount.subPath !== undefined && mount.subPath !== '' ? path.join(base, mount.subPath) : base;
    await mkdir(hostPath, { recursive: true });
    mounts.push({ containerPath: mount.mountPath, hostPath });
  }
  for (const own of ['/tmp', '/workspace']) {
    if (!mounts.some((m) => m.containerPath === own))
      mounts.push({ containerPath: own, hostPath: path.join(podDir, own) });
  }
  const hostOnly = [
    { containerPath: '/argo/staging/script', hostPath: path.join(podDir, 'script') },
    { containerPath: '/root', hostPath: homeDir },
    { containerPath: '/', hostPath: path.join(podDir, 'root') },
  ];
  let mapper = new PathMapper(mounts, hostOnly);
  const containerWorkingDir =
    container.workingDir !== undefined && container.workingDir !== '' ? container.workingDir : '/';
  if (
    containerWorkingDir !== '/' &&
    containerWorkingDir.startsWith('/') &&
    !mapper.covers(containerWorkingDir)
  ) {
    mounts.push({
      containerPath: containerWorkingDir,
      hostPath: path.join(podDir, 'root', containerWorkingDir),
    });
    mapper = new PathMapper(mounts, hostOnly);
  }
  const workingDir =
    containerWorkingDir === '/' ? path.join(podDir, 'root') : mapper.toHost(containerWorkingDir);
  for (const m of mounts) await mkdir(m.hostPath, { recursive: true });
  await mkdir(workingDir, { recursive: true });
  return { workflowDir: wfDir, podDir, homeDir, gitConfig, mapper, workingDir, containerWorkingDir };
}

async function volumeFolder(
  ctx: SandboxContext,
  namespace: string,
  wfDir: string,
  podDir: string,
  name: string,
  volume: Volume | undefined,
): Promise<string> {
  if (volume?.emptyDir !== undefined) return path.join(podDir, 'volumes', name);
  if (volume?.secret !== undefined) {
    const secret = ctx.store.get(Kinds.Secret, namespace, volume.secret.secretName);
    if (secret === undefined && volume.secret.optional !== true) {
      throw new PodSetupError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${name}" : secret "${volume.secret.secretName}" not found`,
      );
    }
    const values = { ...decodeData(secret?.data, true), ...decodeData(secret?.stringData, false) };
    return writeKeys(path.join(podDir, 'volumes', name), projected(name, 'secret', values, volume.secret));
  }
  if (volume?.configMap !== undefined) {
    const map = ctx.store.get(Kinds.ConfigMap, namespace, volume.configMap.name);
    if (map === undefined && volume.configMap.optional !== true) {
      throw new PodSetupError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${name}" : configmap "${volume.configMap.name}" not found`,
      );
    }
    return writeKeys(
      path.join(podDir, 'volumes', name),
      projected(name, 'configmap', decodeData(map?.data, false), volume.configMap),
    );
  }
  // volumeClaimTemplates, persistentVolumeClaims and anything else: shared by the workflow's pods.
  return path.join(wfDir, 'volumes', name);
}

/**
 * The files of a Secret or ConfigMap volume: every key under its own name, or with `items` only
 * the listed keys at their paths; a listed key that is missing fails the mount unless optional.
 */
function projected(
  volume: string,
  kind: 'secret' | 'configmap',
  values: Record<string, string>,
  source: { optional?: boolean; items?: KeyToPath[] },
): Record<string, string> {
  if (source.items === undefined) return values;
  const files: Record<string, string> = {};
  for (const item of source.items) {
    const value = values[item.key];
    if (value !== undefined) files[item.path] = value;
    else if (source.optional !== true) {
      throw new PodSetupError(
        'FailedMount',
        `MountVolume.SetUp failed for volume "${volume}" : references non-existent ${kind} key: ${item.key}`,
      );
    }
  }
  return files;
}

async function writeKeys(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [file, value] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), value);
  }
  return dir;
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
