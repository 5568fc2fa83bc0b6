import { describe, expect, it } from '@jest/globals';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { isObject } from './json';
import { ConfigMap, Deployment, HorizontalPodAutoscaler, ofKind, Secret, Service } from './models';
import { containerOf, find, renderDir } from './rendered';
import { selectsByMap } from './selectors';
import { SERVICES } from './services';
import { parseImage } from './transformers';

/** A Kubernetes quantity as a number: cores for CPU, bytes for memory. */
function quantity(value: string | number | undefined): number {
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(value ?? ''));
  if (!match) throw new Error(`not a quantity: ${String(value)}`);
  const scale = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] === undefined ? 1 : scale[match[2] as keyof typeof scale]);
}

function resourcesOf(container: IContainer): number[] {
  const { requests = {}, limits = {} } = container.resources ?? {};
  return [requests.cpu, requests.memory, limits.cpu, limits.memory].map(quantity);
}

describe('base', () => {
  it('is namespace-agnostic: no namespaces set or created', () => {
    for (const object of renderDir('base')) {
      expect(isObject(object.metadata) && object.metadata.namespace).toBeFalsy();
      expect(object.kind).not.toBe('Namespace');
    }
  });
});

describe('dev overlay', () => {
  const objects = renderDir('overlays/dev');

  it('runs one replica of each service', () => {
    expect(find(objects, Deployment, 'task').spec?.replicas).toBe(1);
    for (const hpa of ofKind(objects, HorizontalPodAutoscaler)) {
      expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
    }
  });

  it.each(SERVICES)('$name logs at debug and runs the image tagged dev', (service) => {
    expect(find(objects, ConfigMap, `${service.name}-config`).data?.LOG_LEVEL).toBe('debug');
    expect(containerOf(objects, service).image).toBe(`platform-api/${service.name}:dev`);
  });

  it('brings a Redis and the Secret that points the services at it', () => {
    const secret = find(objects, Secret, 'platform-api-redis');
    const url = new URL(secret.stringData?.url ?? '');
    expect(url.protocol).toBe('redis:');
    const service = find(objects, Service, url.hostname);
    expect(service.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
    const backing = ofKind(objects, Deployment).filter((d) =>
      selectsByMap(service.spec?.selector, d.spec?.template.metadata?.labels),
    );
    expect(backing.map((d) => d.metadata?.name)).toEqual(['redis']);
  });
});

describe('prod overlay', () => {
  const objects = renderDir('overlays/prod');
  const base = renderDir('base');

  it.each(SERVICES)('$name runs a pinned image tag', (service) => {
    const { tag, digest } = parseImage(containerOf(objects, service).image ?? '');
    expect(digest ?? tag).toBeDefined();
    expect(['latest', 'dev']).not.toContain(tag);
  });

  it.each(SERVICES)('$name gets at least the base resources, and more memory', (service) => {
    const prod = resourcesOf(containerOf(objects, service));
    const inBase = resourcesOf(containerOf(base, service));
    prod.forEach((value, index) => expect(value).toBeGreaterThanOrEqual(inBase[index] ?? Infinity));
    expect(prod[3]).toBeGreaterThan(inBase[3] ?? Infinity);
  });

  it('runs more than one pod of every service', () => {
    expect(find(objects, Deployment, 'task').spec?.replicas).toBeGreaterThan(1);
    for (const hpa of ofKind(objects, HorizontalPodAutoscaler))
      expect(hpa.spec?.minReplicas).toBeGreaterThan(1);
  });

  it('carries no Redis and no Secret: the Redis Secret is created out of band (deploy/README.md)', () => {
    expect(ofKind(objects, Secret)).toEqual([]);
    expect(
      ofKind(objects, Deployment)
        .map((d) => d.metadata?.name)
        .sort(),
    ).toEqual(SERVICES.map((s) => s.name).sort());
  });
});
