import { CoreV1Api, KubeConfig, type CoreV1Event, type V1Pod } from '@kubernetes/client-node';
import type { AppSummary } from '@platform/domain';
import type { Sandbox } from '@platform/sandbox';
import {
  openSse,
  signTestToken,
  TEST_REDIS_URL,
  type RawSseResponse,
} from '@platform/service-runtime/testing';
import { output, runTemplate, startPlatformSandbox } from '../support/platform-sandbox';
import {
  deletePrefix,
  getJson,
  sandboxEnv,
  startReplica,
  testPrefix,
  until,
  type Replica,
} from '../support/summary-harness';

/**
 * The whole path through real sockets: the real create-app, ci and cd WorkflowTemplates run by the
 * sandbox, watched by one summary replica that leads, read back through the HTTP API.
 */
describe('summary of an app through create, build, deploy, crash and delete (sandbox + Redis)', () => {
  const prefix = testPrefix();
  let sandbox: Sandbox;
  let replica: Replica;
  let alice: string;
  let bob: string;
  let stream: RawSseResponse;

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
    replica = await startReplica(
      sandboxEnv(sandbox, { SUMMARY_KEY_PREFIX: prefix, POD_NAME: 'lifecycle-1' }),
    );
    alice = await signTestToken({ sub: 'alice', teams: ['payments'] });
    bob = await signTestToken({ sub: 'bob', teams: ['content'] });
    stream = await openSse(`${replica.base}/summary/v1/stream?access_token=${alice}`);
  }, 60_000);
  afterAll(async () => {
    stream.close();
    await replica.close();
    await sandbox.stop();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const app = async (name: string, token = alice): Promise<AppSummary> => {
    const res = await getJson<AppSummary>(`${replica.base}/summary/v1/apps/${name}`, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('shows the created, built and deployed app with its image, revision, sync, health, pods and rollout', async () => {
    const created = await runTemplate(
      sandbox,
      'create-app',
      { app: 'shop', team: 'payments', template: 'go-service', values: 'PORT=8080' },
      { app: 'shop', team: 'payments' },
    );
    expect(created.status?.phase).toBe('Succeeded');
    await until(async () =>
      expect(await app('shop')).toMatchObject({
        app: 'shop',
        team: 'payments',
        template: 'go-service',
        repos: {
          source: output(created, 'source-repo-url'),
          manifests: `${sandbox.urls.git}/payments/shop-manifests.git`,
        },
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        pods: { ready: 1, total: 1, restarts: 0 },
        rollout: { desired: 1, updated: 1, ready: 1, available: 1, inProgress: false, stalled: false },
        stale: false,
      }),
    );

    const ci = await runTemplate(
      sandbox,
      'ci',
      { app: 'shop', team: 'payments', ref: 'main' },
      { app: 'shop', team: 'payments' },
    );
    expect(ci.status?.phase).toBe('Succeeded');
    const image = output(ci, 'image') ?? '';
    await until(async () =>
      expect((await app('shop')).build).toEqual({
        taskId: ci.metadata.name,
        phase: 'Succeeded',
        image,
        finishedAt: expect.any(String),
      }),
    );

    const tag = image.slice(image.lastIndexOf(':') + 1);
    const cd = await runTemplate(
      sandbox,
      'cd',
      {
        app: 'shop',
        team: 'payments',
        environment: 'dev',
        application: 'shop-dev',
        tag,
        digest: sandbox.ctx.registry.find(image)?.digest ?? '',
      },
      { app: 'shop', team: 'payments' },
    );
    expect(cd.status?.phase).toBe('Succeeded');
    const revision = output(cd, 'synced-revision');
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    await until(async () => {
      const summary = await app('shop');
      expect(summary).toMatchObject({
        deploy: {
          taskId: cd.metadata.name,
          phase: 'Succeeded',
          revision,
          image,
          finishedAt: expect.any(String),
        },
        sync: { status: 'Synced', revision },
        health: { status: 'Healthy' },
        // What runs: the image pinned by the digest cd deployed.
        images: [
          `${image.slice(0, image.lastIndexOf(':'))}@${sandbox.ctx.registry.find(image)?.digest ?? ''}`,
        ],
        pods: { ready: 1, total: 1 },
      });
      expect(summary.observedAt).toMatchObject({
        build: expect.any(String),
        deploy: expect.any(String),
        sync: expect.any(String),
        pods: expect.any(String),
        rollout: expect.any(String),
      });
    });
  }, 120_000);

  it("lists the app for its team only, and refuses another team's reader", async () => {
    const list = await getJson<{ items: AppSummary[] }>(`${replica.base}/summary/v1/apps`, alice);
    expect(list.body.items.map((a) => a.app)).toEqual(['shop']);
    const other = await getJson<{ items: AppSummary[] }>(`${replica.base}/summary/v1/apps`, bob);
    expect(other.body.items).toEqual([]);
    const hidden = await getJson<{ error: { code: string } }>(`${replica.base}/summary/v1/apps/shop`, bob);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('APP_NOT_FOUND');
  });

  it("ignores a pod and a Warning labelled with the app in another namespace (only the Application's destination counts)", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const before = await app('shop');
    const [running] = (
      await core.listNamespacedPod({ namespace: 'payments-dev', labelSelector: 'platform-api/app=shop' })
    ).items;
    const podLike = (namespace: string, name: string, image: string): V1Pod => ({
      metadata: { name, namespace, labels: { 'platform-api/app': 'shop', 'platform-api/team': 'payments' } },
      spec: { containers: [{ name: 'app', image }] },
    });
    const warningAbout = (namespace: string, pod: string, reason: string, at: Date): CoreV1Event => ({
      metadata: { name: `${pod}.${reason.toLowerCase()}`, namespace },
      involvedObject: { kind: 'Pod', name: pod, namespace },
      type: 'Warning',
      reason,
      message: `${reason} of ${pod}`,
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
    });
    // Another team, in a namespace of its own, labels a pod (and its warnings) with this app's name.
    await core.createNamespace({ body: { metadata: { name: 'mallory' } } });
    await core.createNamespacedPod({
      namespace: 'mallory',
      body: podLike('mallory', 'shop-forged', 'registry.invalid/never/pushed:1'),
    });
    await core.createNamespacedEvent({
      namespace: 'mallory',
      body: warningAbout('mallory', 'shop-forged', 'Forged', new Date('2099-01-01T00:00:00Z')),
    });
    // Markers after them on the same watches, in the app's namespace: once the summary shows
    // them, the forged objects were folded too.
    await core.createNamespacedPod({
      namespace: 'payments-dev',
      body: podLike('payments-dev', 'shop-marker', running?.spec?.containers[0]?.image ?? ''),
    });
    await core.createNamespacedEvent({
      namespace: 'payments-dev',
      body: warningAbout('payments-dev', 'shop-marker', 'Marker', new Date()),
    });
    await until(async () => {
      const summary = await app('shop');
      expect(summary.pods.total).toBe(before.pods.total + 1);
      expect(summary.lastWarning).toMatchObject({ reason: 'Marker' });
    }, 30_000);
    const after = await app('shop');
    expect(after.pods).toEqual({ ...before.pods, total: before.pods.total + 1, ready: after.pods.ready });
    expect(after.pods.restarts).toBe(before.pods.restarts);
    expect(after.rollout).toEqual(before.rollout);
    await core.deleteNamespacedPod({ namespace: 'payments-dev', name: 'shop-marker' });
    await until(async () => expect((await app('shop')).pods).toEqual(before.pods), 30_000);
  }, 60_000);

  // Argo CD calls a crash-looping rollout Progressing until its progress deadline (the chart's
  // 240 s, 12 s here): its pods are not managed resources. The warning and the restarts show it.
  it('shows a crash-looping deploy as Progressing with its last Warning and restarts, live on the stream', async () => {
    const res = await fetch(`${sandbox.urls.admin}/admin/apps/payments-dev/shop/crash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crash: true }),
    });
    expect(res.status).toBe(200);
    await until(async () => {
      const summary = await app('shop');
      expect(summary.health.status).toBe('Progressing');
      expect(summary.lastWarning).toMatchObject({
        reason: 'BackOff',
        message: expect.stringContaining('restarting failed container'),
      });
      expect(summary.pods.restarts).toBeGreaterThan(0);
      // The crashing template is a rollout that cannot finish: the old replica keeps serving.
      expect(summary.rollout).toMatchObject({ desired: 1, updated: 1, available: 1, inProgress: true });
    }, 20_000);
    await stream.waitFor((text) => text.includes('event: app') && text.includes('"BackOff"'), 5000);
  }, 60_000);

  it('drops a deleted app from the list, the app read and the stream', async () => {
    const session = await fetch(`${sandbox.urls.argocd}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: sandbox.ctx.config.argocdPassword }),
    });
    const { token } = (await session.json()) as { token: string };
    const deleted = await fetch(`${sandbox.urls.argocd}/api/v1/applications/shop-dev?cascade=true`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    expect(deleted.status).toBe(200);
    await until(async () => {
      const res = await getJson<{ error: { code: string } }>(`${replica.base}/summary/v1/apps/shop`, alice);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('APP_NOT_FOUND');
    }, 30_000);
    const list = await getJson<{ items: AppSummary[] }>(`${replica.base}/summary/v1/apps`, alice);
    expect(list.body.items).toEqual([]);
    await stream.waitFor((text) => text.includes('event: deleted') && text.includes('"shop"'), 5000);
  }, 60_000);
});
