import type { KubeObject } from '../core/kube-object';
import type { EnvVar } from '../workloads/workload-types';
import { INSTANCE_LABEL, PLATFORM_LABELS } from './app-types';
import { isMap, scalarText, type ChartMeta, type Values } from './render-values';
import { trackObject } from './render-tracking';

/** Who the objects are rendered for. */
export interface RenderTarget {
  app: string;
  appLabels: Record<string, string>;
  namespace: string;
}

/**
 * Renders a chart's workload from its values, standing in for `helm template` (the sandbox does
 * not run Helm or read `templates/`): a Deployment and, when `service` is set, a Service, named
 * after the app (or `fullnameOverride`), with Helm's standard labels plus the platform labels of
 * the Application. Values understood: `image` (string, or `repository` + `tag`/`digest` and an
 * optional `registry`), `replicaCount` or `replicas`, `env` (map or list), `containerPort`,
 * `service.{enabled,type,port,targetPort}`, `resources`, `podAnnotations`, `podLabels`,
 * `strategy`, `progressDeadlineSeconds`, `containerName`, `fullnameOverride`.
 */
export function renderWorkload(target: RenderTarget, chart: ChartMeta, values: Values): KubeObject[] {
  const name =
    typeof values.fullnameOverride === 'string' && values.fullnameOverride !== ''
      ? values.fullnameOverride
      : target.app;
  const selector = { 'app.kubernetes.io/name': chart.name, [INSTANCE_LABEL]: target.app };
  const platform = platformLabels(target.appLabels);
  const labels = {
    'helm.sh/chart': `${chart.name}-${chart.version}`,
    ...selector,
    ...(chart.appVersion !== undefined ? { 'app.kubernetes.io/version': chart.appVersion } : {}),
    'app.kubernetes.io/managed-by': 'Helm',
    ...platform,
  };
  const service = isMap(values.service) && values.service.enabled !== false ? values.service : undefined;
  const port = integer(values.containerPort ?? service?.targetPort ?? service?.port ?? 8080, 'containerPort');
  const container: Record<string, unknown> = {
    name: stringValue(values.containerName) ?? chart.name,
    image: imageOf(values, chart),
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
  };
  const env = envOf(values.env);
  if (env.length > 0) container.env = env;
  if (isMap(values.resources)) container.resources = values.resources;

  const podAnnotations = stringMap(values.podAnnotations);
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: target.namespace, labels },
    spec: {
      replicas: integer(values.replicaCount ?? values.replicas ?? 1, 'replicaCount'),
      selector: { matchLabels: selector },
      ...(isMap(values.strategy) ? { strategy: values.strategy } : {}),
      ...(values.progressDeadlineSeconds !== undefined
        ? { progressDeadlineSeconds: integer(values.progressDeadlineSeconds, 'progressDeadlineSeconds') }
        : {}),
      template: {
        metadata: {
          labels: { ...selector, ...platform, ...stringMap(values.podLabels) },
          ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
        },
        spec: { containers: [container] },
      },
    },
  };
  const objects: KubeObject[] = [];
  if (service !== undefined) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: target.namespace, labels },
      spec: {
        type: stringValue(service.type) ?? 'ClusterIP',
        ports: [
          {
            port: integer(service.port ?? 80, 'service.port'),
            targetPort: port,
            protocol: 'TCP',
            name: 'http',
          },
        ],
        selector,
      },
    });
  }
  objects.push(deployment);
  return objects.map((object) => trackObject(object, target.app));
}

/** The Application's platform labels, copied onto what it deploys. */
export function platformLabels(appLabels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PLATFORM_LABELS) if (appLabels[key] !== undefined) out[key] = appLabels[key];
  return out;
}

function imageOf(values: Values, chart: ChartMeta): string {
  const image = values.image;
  if (typeof image === 'string' && image !== '') return image;
  if (isMap(image) && typeof image.repository === 'string' && image.repository !== '') {
    const registry = stringValue(image.registry);
    const repository = registry === undefined ? image.repository : `${registry}/${image.repository}`;
    if (typeof image.digest === 'string' && image.digest !== '') return `${repository}@${image.digest}`;
    return `${repository}:${scalarText(image.tag) ?? chart.appVersion ?? 'latest'}`;
  }
  throw new Error('values: image is required (an image string, or image.repository with image.tag)');
}

function envOf(env: unknown): EnvVar[] {
  if (Array.isArray(env)) {
    return env.filter(isMap).map((e) => ({
      ...e,
      name: text(e.name),
      ...(e.value !== undefined ? { value: text(e.value) } : {}),
    }));
  }
  if (isMap(env)) return Object.entries(env).map(([name, value]) => ({ name, value: text(value) }));
  return [];
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMap(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]));
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integer(value: unknown, field: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`values: ${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Helm renders non-string values with `quote`: scalars as text, structures as JSON. */
function text(value: unknown): string {
  return scalarText(value) ?? JSON.stringify(value) ?? '';
}
