import { createContext } from '../../src/core/create-context';
import { LabelSelector } from '../../src/core/label-selector';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import type { Container, PodObject } from '../../src/kubernetes/controllers/workload-types';
import { waitFor } from './wait-for';

const NS = 'shop-dev';

/** A container as the platform's app charts render it: named port, probes, resources, restricted. */
function chartContainer(overrides: Partial<Container> = {}): Container {
  return {
    name: 'shop',
    image: 'nginx:1.27',
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 8081, protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    ...overrides,
  };
}

function deployment(name: string, container: Container, podSecurity: Record<string, unknown>) {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, 'platform-api/app': name } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          containers: [container],
        },
      },
    },
  };
}

/** The Deployment simulator runs what the app charts render as a kubelet would. */
describe('a realistic Deployment (probes, securityContext, resources, named ports)', () => {
  let ctx: SandboxContext;
  let controller: DeploymentController;
  beforeEach(() => {
    ctx = createContext({}, 500);
    controller = new DeploymentController(ctx);
    controller.start();
  });
  afterEach(() => {
    controller.stop();
    ctx.clock.cancelAll();
  });
  const pods = (name: string) =>
    ctx.store.list(Kinds.Pod, {
      namespace: NS,
      labelSelector: LabelSelector.parse(`app.kubernetes.io/instance=${name}`),
    }).items as PodObject[];

  it('starts Ready with the Burstable QoS class its requests and limits give, logging on its named port', async () => {
    const restricted = {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    ctx.store.create(Kinds.Deployment, deployment('shop', chartContainer(), restricted));
    const pod = await waitFor('a Ready pod', () =>
      pods('shop').find((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    );
    expect(pod.status?.qosClass).toBe('Burstable');
    expect(pod.spec.serviceAccountName).toBe('shop');
    expect(pod.spec.containers[0]).toMatchObject({ ports: [{ name: 'http', containerPort: 8081 }] });
    expect(ctx.logs.lines(NS, pod.metadata.name ?? '', 'shop').map((l) => l.text)).toContain(
      'listening on :8081',
    );
  });

  it('is Guaranteed when every container requests what it limits, BestEffort without resources', async () => {
    const guaranteed = chartContainer({ resources: { limits: { cpu: '100m', memory: '128Mi' } } });
    ctx.store.create(Kinds.Deployment, deployment('sized', guaranteed, {}));
    ctx.store.create(Kinds.Deployment, deployment('bare', chartContainer({ resources: undefined }), {}));
    const sized = await waitFor('a sized pod', () => pods('sized')[0]);
    const bare = await waitFor('a bare pod', () => pods('bare')[0]);
    expect([sized.status?.qosClass, bare.status?.qosClass]).toEqual(['Guaranteed', 'BestEffort']);
  });

  it("keeps a container unready through its readiness probe's initial delay", async () => {
    ctx.clock.speed = 50;
    const slow = chartContainer({
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 30 },
    });
    ctx.store.create(Kinds.Deployment, deployment('slow', slow, {}));
    ctx.store.create(Kinds.Deployment, deployment('quick', chartContainer(), {}));
    const ready = (name: string) => pods(name).find((p) => p.status?.containerStatuses?.[0]?.ready === true);
    await waitFor('the probe without delay passed', () => ready('quick'));
    const waiting = pods('slow')[0]?.status?.containerStatuses?.[0];
    expect({ running: waiting?.state.running !== undefined, ready: waiting?.ready }).toEqual({
      running: true,
      ready: false,
    });
    await waitFor('ready after the delay', () => ready('slow'));
  });

  it('refuses to start a container that must not run as root but is told to run as uid 0, as the kubelet does', async () => {
    ctx.store.create(
      Kinds.Deployment,
      deployment('root', chartContainer(), { runAsNonRoot: true, runAsUser: 0 }),
    );
    const pod = await waitFor('CreateContainerConfigError', () =>
      pods('root').find(
        (p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError',
      ),
    );
    const message = `container's runAsUser breaks non-root policy (pod: "${pod.metadata.name ?? ''}_${NS}(${pod.metadata.uid ?? ''})", container: shop)`;
    expect(pod.status?.containerStatuses?.[0]?.state.waiting?.message).toBe(message);
    const events = ctx.store
      .list(Kinds.Event, { namespace: NS })
      .items.filter((e) => (e.involvedObject as { name: string }).name === pod.metadata.name)
      .map((e) => `${String(e.type)} ${String(e.reason)}: ${String(e.message)}`);
    expect(events).toContain(`Warning Failed: Error: ${message}`);
  });
});
