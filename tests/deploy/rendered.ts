import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { JsonObject } from './json';
import { render } from './kustomize';
import { ConfigMap, Deployment, ofKind, Secret, type ModelClass } from './models';
import type { PlatformService } from './services';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy');

export interface Overlay {
  name: string;
  dir: string;
  namespace: string;
  objects: JsonObject[];
}

/** The overlays that are applied to clusters, each with the namespace it deploys to. */
const OVERLAY_NAMESPACES = { dev: 'platform-api-dev', prod: 'platform-api' } as const;

const renders = new Map<string, JsonObject[]>();

/** Renders a directory under deploy/ once per test file (the objects are shared, so never mutate them). */
export function renderDir(relative: string): JsonObject[] {
  const dir = path.join(DEPLOY_DIR, relative);
  let objects = renders.get(dir);
  if (!objects) {
    objects = render(dir);
    renders.set(dir, objects);
  }
  return objects;
}

export function overlays(): Overlay[] {
  return Object.entries(OVERLAY_NAMESPACES).map(([name, namespace]) => {
    const relative = path.join('overlays', name);
    return { name, dir: path.join(DEPLOY_DIR, relative), namespace, objects: renderDir(relative) };
  });
}

/** The one object of a kind with this name; fails the test if there is none or several. */
export function find<T extends { metadata?: { name?: string } }>(
  objects: readonly unknown[],
  model: ModelClass<T>,
  name: string,
): T {
  const found = ofKind(objects, model).filter((object) => object.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name} of that kind, found ${found.length}`);
  return found[0] as T;
}

export function containerOf(objects: readonly unknown[], service: PlatformService): IContainer {
  const deployment = find(objects, Deployment, service.name);
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === service.name);
  if (!container) throw new Error(`Deployment ${service.name} has no container ${service.name}`);
  return container;
}

/** Where a container's environment variable comes from, and its value when the render knows it. */
export interface EnvSetting {
  source: string;
  value?: string;
  /** A secretKeyRef marked optional: unset in the pod when the Secret lacks the key. */
  optional?: boolean;
}

/**
 * A container's environment as the kubelet would build it: the keys of its envFrom ConfigMaps,
 * then its env entries. Values from Secrets are known only when the Secret is part of the render.
 */
export function containerEnv(objects: readonly unknown[], container: IContainer): Map<string, EnvSetting> {
  const env = new Map<string, EnvSetting>();
  for (const from of container.envFrom ?? []) {
    const configMapName = from.configMapRef?.name;
    if (!configMapName || from.secretRef)
      throw new Error(`${container.name}: only configMapRef envFrom is checked`);
    const configMap = find(objects, ConfigMap, configMapName);
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      env.set(key, { source: `ConfigMap ${configMapName}`, value });
    }
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) env.set(variable.name, { source: 'env', value: variable.value });
    else if (secretRef)
      env.set(variable.name, {
        ...secretSetting(objects, secretRef.name ?? '', secretRef.key),
        optional: secretRef.optional === true,
      });
    else throw new Error(`${container.name}: env ${variable.name} has a source these checks do not read`);
  }
  return env;
}

function secretSetting(objects: readonly unknown[], name: string, key: string): EnvSetting {
  const secret = ofKind(objects, Secret).find((s) => s.metadata?.name === name);
  const encoded = secret?.data?.[key];
  const value =
    secret?.stringData?.[key] ??
    (encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString());
  return { source: `Secret ${name}/${key}`, value };
}

/**
 * The files a service's container sees from ConfigMap volumes, by their path in the container
 * (`<mountPath>/<key>` → content), as the kubelet would project them.
 */
export function mountedConfigMapFiles(
  objects: readonly unknown[],
  service: PlatformService,
): Map<string, string> {
  const pod = find(objects, Deployment, service.name).spec?.template.spec;
  const container = containerOf(objects, service);
  const files = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const configMapName = pod?.volumes?.find((v) => v.name === mount.name)?.configMap?.name;
    if (configMapName === undefined) continue;
    for (const [key, content] of Object.entries(find(objects, ConfigMap, configMapName).data ?? {})) {
      files.set(path.posix.join(mount.mountPath, key), content);
    }
  }
  return files;
}
