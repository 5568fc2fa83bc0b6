import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxContext } from '../../../core/sandbox-context';
import type { ImageFacts } from '../../executors/images/image-facts';
import type { KubeObject } from '../../../core/kube-object';
import type { Container, Template, Volume, VolumeMount, WorkflowSpec } from '../../workflow-types';
import { buildContainerRoot, type ContainerRoot, type EmulatedProgramWriter } from './container-root';
import { PathMapper, type Mount } from './path-mapper';
import { writeProjectedVolume } from './projected-volume';
import type { PodSecurityContext } from './step-identity';
import { emulatesUsers } from './user-emulation';
import { createFreshVolume, setVolumeOwnership } from './volume-ownership';

/** Where one pod's files live on this machine. */
export interface PodLayout {
  /** `<dataDir>/workflows/<workflow>` */
  workflowDir: string;
  podDir: string;
  /** The container's own filesystem: the image's folders and programs. */
  root: ContainerRoot;
  mapper: PathMapper;
  /** The host folder the main container starts in. */
  workingDir: string;
  /** The container path of the working directory (for interpreters that resolve relative paths). */
  containerWorkingDir: string;
  /** Host path of a script template's source, `/argo/staging/script` in the container. */
  scriptFile: string;
  /** The host path of any absolute container path: in a volume, else in the container's own filesystem. */
  hostPath: (containerPath: string) => string;
}

/** Folder of a workflow's work files: `<dataDir>/workflows/<name>`. */
export function workflowDir(ctx: SandboxContext, workflowName: string): string {
  return path.join(ctx.config.dataDir, 'workflows', workflowName);
}

/** What a pod's layout is built from. */
export interface PodLayoutInput {
  namespace: string;
  workflowName: string;
  podName: string;
  /** The pod object: whose account a token volume speaks for. */
  pod: KubeObject;
  template: Template;
  spec: WorkflowSpec;
  image: ImageFacts;
  security: PodSecurityContext;
  emulated: EmulatedProgramWriter;
  /**
   * Volumes of the created pod that the template does not name, with the main container's mounts
   * of them: what Argo and the API server added (the service account token, /var/run/argo).
   */
  added?: { volumes: Volume[]; mounts: VolumeMount[] };
}

/**
 * Lays out a pod's files as kubelet and the container runtime would: the image's own filesystem
 * (container-root.ts), then the volumes — volumeClaimTemplates and persistentVolumeClaims shared
 * by the workflow's pods (`volumes/<name>`, a fresh filesystem's root the first time), emptyDir,
 * Secret and ConfigMap volumes the pod's own — each given to the pod's `fsGroup` when it has
 * one. Then the working directory: the template's, else the image's WORKDIR, else `/`.
 */
export async function preparePodLayout(ctx: SandboxContext, input: PodLayoutInput): Promise<PodLayout> {
  const wfDir = workflowDir(ctx, input.workflowName);
  const podDir = path.join(wfDir, 'pods', input.podName);
  await rm(podDir, { recursive: true, force: true });
  await mkdir(podDir, { recursive: true });
  await openForStepUsers(ctx.config.dataDir, podDir);
  const root = await buildContainerRoot(podDir, input.image, input.emulated);
  const container: Container = input.template.container ?? input.template.script ?? {};
  const volumes = new Map<string, Volume>();
  const added = input.added ?? { volumes: [], mounts: [] };
  for (const v of [...(input.spec.volumes ?? []), ...(input.template.volumes ?? []), ...added.volumes])
    volumes.set(v.name, v);
  const mounts: Mount[] = [];
  const prepared = new Map<string, string>();
  for (const mount of [...(container.volumeMounts ?? []), ...added.mounts]) {
    let base = prepared.get(mount.name);
    if (base === undefined) {
      base = await prepareVolume(ctx, input, wfDir, podDir, mount.name, volumes.get(mount.name));
      prepared.set(mount.name, base);
    }
    const hostPath =
      mount.subPath !== undefined && mount.subPath !== '' ? path.join(base, mount.subPath) : base;
    await mkdir(hostPath, { recursive: true });
    mounts.push({ containerPath: mount.mountPath, hostPath });
  }
  // Argo's init container puts input artifacts in the `input-artifacts` emptyDir, mounted at each
  // artifact's path (subPath: the artifact's name).
  for (const artifact of (input.template.inputs?.artifacts ?? []) as Array<{
    name?: string;
    path?: string;
  }>) {
    if (artifact.path === undefined || artifact.name === undefined) continue;
    const artifacts = path.join(podDir, 'volumes', 'input-artifacts');
    await createFreshVolume(artifacts, 'emptyDir');
    mounts.push({ containerPath: artifact.path, hostPath: path.join(artifacts, artifact.name) });
  }
  for (const folder of input.image.directories) {
    if (!mounts.some((m) => m.containerPath === folder.path))
      mounts.push({ containerPath: folder.path, hostPath: root.hostPath(folder.path) });
  }
  const scriptFile = path.join(podDir, 'script');
  const hostOnly = [
    { containerPath: '/argo/staging/script', hostPath: scriptFile },
    { containerPath: '/', hostPath: root.dir },
  ];
  let mapper = new PathMapper(mounts, hostOnly);
  const containerWorkingDir = workingDirOf(container, input.image);
  if (containerWorkingDir !== '/' && !mapper.covers(containerWorkingDir)) {
    mounts.push({ containerPath: containerWorkingDir, hostPath: root.hostPath(containerWorkingDir) });
    mapper = new PathMapper(mounts, hostOnly);
  }
  const workingDir = containerWorkingDir === '/' ? root.dir : mapper.toHost(containerWorkingDir);
  await mkdir(workingDir, { recursive: true });
  const finalMapper = mapper;
  const hostPath = (containerPath: string): string =>
    containerPath === '/argo/staging/script'
      ? scriptFile
      : finalMapper.covers(containerPath)
        ? finalMapper.toHost(containerPath)
        : root.hostPath(containerPath);
  return { workflowDir: wfDir, podDir, root, mapper, workingDir, containerWorkingDir, scriptFile, hostPath };
}

function workingDirOf(container: Container, image: ImageFacts): string {
  if (container.workingDir !== undefined && container.workingDir !== '') return container.workingDir;
  return image.workingDir !== '' ? image.workingDir : '/';
}

/** One volume's folder, set up as kubelet sets up that kind of volume for this pod. */
async function prepareVolume(
  ctx: SandboxContext,
  input: PodLayoutInput,
  wfDir: string,
  podDir: string,
  name: string,
  volume: Volume | undefined,
): Promise<string> {
  const { fsGroup, fsGroupChangePolicy } = input.security;
  let dir: string;
  let readOnly = false;
  if (volume?.secret !== undefined || volume?.configMap !== undefined || volume?.projected !== undefined) {
    dir = path.join(podDir, 'volumes', name);
    await writeProjectedVolume(ctx, { namespace: input.namespace, pod: input.pod }, name, volume, dir);
    readOnly = true;
  } else if (volume?.emptyDir !== undefined) {
    dir = path.join(podDir, 'volumes', name);
    await createFreshVolume(dir, 'emptyDir');
  } else {
    // volumeClaimTemplates, persistentVolumeClaims and anything else: shared by the workflow's pods.
    dir = path.join(wfDir, 'volumes', name);
    await mkdir(path.dirname(dir), { recursive: true });
    await chmod(path.dirname(dir), 0o711);
    await createFreshVolume(dir, 'persistentVolume');
  }
  if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, readOnly, fsGroupChangePolicy);
  return dir;
}

/**
 * A step running as another user must reach its pod's folders: the folders from the data
 * directory down to the pod get the search bit for others (not read: their contents stay
 * unlisted), as /var/lib/kubelet/pods is traversable for containers; so do the data directory's
 * parents that lack it (a temporary folder is 0700): only the search bit is added, nothing taken.
 */
async function openForStepUsers(dataDir: string, podDir: string): Promise<void> {
  if (!emulatesUsers()) return;
  let dir = podDir;
  const stop = path.dirname(dataDir);
  while (dir !== stop && dir.startsWith(dataDir)) {
    await chmod(dir, 0o711);
    dir = path.dirname(dir);
  }
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = (await stat(dir)).mode & 0o7777;
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}
