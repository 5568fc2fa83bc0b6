import { mergeValues, parseValues } from '../../src/argo-cd/render-values';
import { renderWorkload } from '../../src/argo-cd/render-workload';
import type { DeploymentObject } from '../../src/workloads/workload-types';

const chart = { name: 'web', version: '0.1.0', appVersion: '2.0' };
const target = {
  app: 'shop',
  appLabels: { 'platform-api/app': 'shop', 'platform-api/team': 'blue' },
  namespace: 'shop-prod',
};
const render = (values: Record<string, unknown>) => renderWorkload(target, chart, values);
const deployment = (values: Record<string, unknown>) =>
  render(values).find((o) => o.kind === 'Deployment') as DeploymentObject;
const container = (values: Record<string, unknown>) => deployment(values).spec.template.spec.containers[0];

describe(renderWorkload.name, () => {
  it.each([
    ['an image string', { image: 'nginx:1.27' }, 'nginx:1.27'],
    ['repository and tag', { image: { repository: 'r.local/a/b', tag: 'v3' } }, 'r.local/a/b:v3'],
    ['a numeric tag', { image: { repository: 'b', tag: 3 } }, 'b:3'],
    ['the chart appVersion when no tag', { image: { repository: 'b' } }, 'b:2.0'],
    ['a digest', { image: { repository: 'b', digest: 'sha256:abc' } }, 'b@sha256:abc'],
    ['a registry', { image: { registry: 'r.local', repository: 'a/b', tag: '1' } }, 'r.local/a/b:1'],
  ])('takes the image from %s', (_case, values, image) => {
    expect(container(values)?.image).toBe(image);
  });

  it('names objects after the app or fullnameOverride, with Helm and platform labels and tracking', () => {
    const [service, deploy] = render({ image: 'x:1', service: { port: 80 }, replicaCount: 3 });
    expect(service?.kind).toBe('Service');
    expect(deploy?.metadata).toMatchObject({
      name: 'shop',
      namespace: 'shop-prod',
      labels: {
        'app.kubernetes.io/name': 'web',
        'app.kubernetes.io/instance': 'shop',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'web-0.1.0',
        'platform-api/app': 'shop',
        'platform-api/team': 'blue',
      },
      annotations: { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop-prod/shop' },
    });
    expect(service?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      'shop:/Service:shop-prod/shop',
    );
    expect((deploy as DeploymentObject).spec.replicas).toBe(3);
    expect(
      render({ image: 'x:1', fullnameOverride: 'api' }).map((o) => `${o.kind}/${o.metadata.name ?? ''}`),
    ).toEqual(['Deployment/api']);
  });

  it('accepts env as a map or a list, and replicas as `replicas`', () => {
    expect(container({ image: 'x', env: { A: 1, B: 'two' } })?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
    ]);
    expect(container({ image: 'x', env: [{ name: 'A', value: 'x' }] })?.env).toEqual([
      { name: 'A', value: 'x' },
    ]);
    expect(deployment({ image: 'x', replicas: 4 }).spec.replicas).toBe(4);
  });

  it('refuses values it cannot render, naming the field', () => {
    expect(() => render({})).toThrow('values: image is required');
    expect(() => render({ image: 'x', replicaCount: -1 })).toThrow(
      'values: replicaCount must be a non-negative integer, got -1',
    );
  });
});

describe(mergeValues.name, () => {
  it('applies value files, inline values, valuesObject and parameters in Helm order', () => {
    const base = parseValues(
      'image:\n  repository: a\n  tag: "1"\nservice:\n  port: 80\nkeep: yes\n',
      'values.yaml',
    );
    const merged = mergeValues(base, [parseValues('image:\n  tag: "2"\nkeep: null\n', 'values-dev.yaml')], {
      values: 'replicaCount: 2\n',
      valuesObject: { service: { port: 8080 } },
      parameters: [
        { name: 'image.tag', value: '3' },
        { name: 'debug', value: 'true' },
        { name: 'label', value: '007', forceString: true },
      ],
    });
    expect(merged).toEqual({
      image: { repository: 'a', tag: 3 },
      service: { port: 8080 },
      replicaCount: 2,
      debug: true,
      label: '007',
    });
  });

  it('reports YAML that is not a map', () => {
    expect(() => parseValues('- a\n', 'values.yaml')).toThrow('failed to parse values.yaml');
  });
});
