import { Labels } from '@platform/domain';
import { trackObject } from '../../argo-cd/shared/render-tracking';
import type { KubeObject } from '../../core/kube-object';
import type { DeploymentObject } from '../../kubernetes/controllers/workload-types';

export interface SeedChartValues {
  app: string;
  /** The Helm release: the Argo CD Application's name (`<app>-<environment>`), as Argo CD renders it. */
  release: string;
  team: string;
  template: string;
  namespace: string;
  image: string;
  replicas: number;
}

const CHART_VERSION = '0.1.0';
const CONTAINER_PORT = 8080;
/** The charts' `progressDeadlineSeconds` default. */
const PROGRESS_DEADLINE_SECONDS = 240;
/** Each template's `runAsUser` (its image's non-root user): the one value their charts differ in. */
const RUN_AS_USER: Readonly<Record<string, number>> = { 'node-service': 1000, 'go-service': 65532 };

/**
 * What deploy/templates' node-service and go-service charts render for an app (create-app names the chart after
 * the app), with Argo CD's tracking annotation and the destination namespace, written out
 * directly: seeding thousands of apps must not start a Helm process per app. A repo test renders
 * the real chart with the real Helm and checks these objects against it.
 */
export function seedChartObjects(values: SeedChartValues): {
  serviceAccount: KubeObject;
  service: KubeObject;
  deployment: DeploymentObject;
} {
  const { app, release, namespace } = values;
  const runAsUser = RUN_AS_USER[values.template] ?? RUN_AS_USER['node-service'];
  const selector = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': release };
  const labels = (): Record<string, string> => ({
    'helm.sh/chart': `${app}-${CHART_VERSION}`,
    ...selector,
    'app.kubernetes.io/managed-by': 'Helm',
    [Labels.app]: app,
    [Labels.team]: values.team,
    [Labels.template]: values.template,
  });
  const meta = () => ({ name: app, namespace, labels: labels() });
  const probe = (periodSeconds: number, extra: Record<string, number> = {}) => ({
    httpGet: { path: '/healthz', port: 'http' },
    periodSeconds,
    ...extra,
  });
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(),
    automountServiceAccountToken: false,
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(),
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      selector: { ...selector },
    },
  };
  const deployment: DeploymentObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(),
    spec: {
      replicas: values.replicas,
      progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
      selector: { matchLabels: { ...selector } },
      template: {
        metadata: { labels: labels() },
        spec: {
          serviceAccountName: app,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: runAsUser,
            runAsGroup: runAsUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: app,
              image: values.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
              readinessProbe: probe(5),
              livenessProbe: probe(10, { failureThreshold: 3 }),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              resources: { limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
  for (const object of [serviceAccount, service, deployment]) trackObject(object, release, namespace);
  return { serviceAccount, service, deployment };
}
