import { CoreV1Api } from '@kubernetes/client-node';
import { compareLogTimes, loadKubeConfig } from '@platform/k8s';
import { Kinds, repoUrl } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AppStatus } from '@platform/domain';
import { appStatusOf } from '../src/app-status/app-status';
import { argocdApp, argocdToken, runToEnd, startPlatform, taskLabels, until, type Platform } from './harness';
import { SseClient, type SseEvent } from './sse-events';

// Asynchronous: the sandbox's git server runs in this process.
const git = async (...args: string[]): Promise<string> => (await promisify(execFile)('git', args)).stdout;

const NS = 'payments-dev';

/** The state a client holds after applying the events of a status stream. */
function statusState(events: SseEvent[]): AppStatus | null {
  let state: AppStatus | null = null;
  for (const e of events) if (e.event === 'snapshot' || e.event === 'status') state = e.data as AppStatus;
  return state;
}

describe('app streams against an app created by the create-app workflow', () => {
  let platform: Platform;
  let manifests: string;

  beforeAll(async () => {
    platform = await startPlatform();
    const created = await runToEnd(
      platform.sandbox,
      'create-app',
      { app: 'shop', team: 'payments', template: 'node-service', values: 'PORT=8081\nGREETING=hi' },
      taskLabels('shop', 'payments', 'create'),
    );
    expect(created.phase).toBe('Succeeded');
    manifests = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-manifests-'));
    await git('clone', '-q', repoUrl(platform.sandbox, 'payments/shop-manifests'), manifests);
  }, 180_000);
  afterAll(() => platform.stop());

  const stream = (p: string, token = platform.tokens.alice): Promise<SseClient> =>
    SseClient.open(`${platform.base}/monitoring/v1${p}${p.includes('?') ? '&' : '?'}access_token=${token}`);

  /** A deploy as GitOps does it: commit values to the manifests repo, then sync the Argo CD app. */
  async function deploy(change: (values: string) => string): Promise<void> {
    const file = path.join(manifests, 'chart', 'values-dev.yaml');
    fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
    await git(
      '-C',
      manifests,
      '-c',
      'user.name=dev',
      '-c',
      'user.email=dev@example.com',
      'commit',
      '-qam',
      'deploy',
    );
    await git('-C', manifests, 'push', '-q', 'origin', 'HEAD');
    await argocdApp(platform.sandbox, 'shop-dev', '?refresh=normal');
    const res = await fetch(`${platform.sandbox.urls.argocd}/api/v1/applications/shop-dev/sync`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await argocdToken(platform.sandbox)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ prune: false }),
    });
    expect(res.status).toBe(200);
  }

  it('streams sync OutOfSync → Synced and health Progressing → Healthy during a deploy, ending at the truth', async () => {
    const client = await stream('/apps/shop/status/stream');
    expect(client.status).toBe(200);
    const first = await client.waitForEvent((e) => e.event === 'snapshot');
    expect(first.data).toMatchObject({
      app: 'shop',
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });

    await deploy((values) => values.replace(/replicaCount: \d+/, 'replicaCount: 3'));
    await until('a Healthy 3-replica shop', async () => {
      const app = await argocdApp(platform.sandbox, 'shop-dev');
      const pods = platform.sandbox.ctx.store.list(Kinds.Pod, { namespace: NS }).items;
      return (
        app.status?.operationState?.phase === 'Succeeded' &&
        app.status.health?.status === 'Healthy' &&
        pods.filter((p) => (p.status as { phase?: string }).phase === 'Running').length === 3
      );
    });
    const truth = appStatusOf(await argocdApp(platform.sandbox, 'shop-dev'), {
      app: 'shop',
      environment: 'dev',
    });
    await client.raw.waitFor(() => {
      const state = statusState(client.events());
      return (
        state !== null &&
        JSON.stringify({ ...state, reconciledAt: null }) === JSON.stringify({ ...truth, reconciledAt: null })
      );
    });
    client.close();

    const states = client.events().filter((e) => e.event === 'snapshot' || e.event === 'status');
    const syncs = states.map((e) => (e.data as AppStatus).sync.status);
    const healths = states.map((e) => (e.data as AppStatus).health.status);
    expect(syncs.indexOf('OutOfSync')).toBeGreaterThan(0);
    expect(syncs.lastIndexOf('Synced')).toBeGreaterThan(syncs.indexOf('OutOfSync'));
    expect(healths.indexOf('Progressing')).toBeGreaterThan(0);
    expect(healths.lastIndexOf('Healthy')).toBeGreaterThan(healths.indexOf('Progressing'));
    expect(states.map((e) => (e.data as AppStatus).operation?.phase)).toContain('Running');
  }, 60_000);

  it('merges the logs of three replicas; a replaced pod leaves and its successor joins mid-stream', async () => {
    const running = (): string[] =>
      platform.sandbox.ctx.store
        .list(Kinds.Pod, { namespace: NS })
        .items.filter(
          (p) =>
            (p.status as { phase?: string }).phase === 'Running' &&
            p.metadata.deletionTimestamp === undefined,
        )
        .map((p) => p.metadata.name ?? '');
    if (running().length !== 3)
      await deploy((values) => values.replace(/replicaCount: \d+/, 'replicaCount: 3'));
    await until('3 running pods', () => running().length === 3);
    const client = await stream('/apps/shop/logs?tail=5');
    // Pods there at open come in the snapshot; later ones join (and leave) as `pod` events.
    const podsOf = (events: SseEvent[], change: string): string[] => [
      ...(change === 'joined'
        ? events.flatMap((e) => (e.event === 'snapshot' ? (e.data as { pods: string[] }).pods : []))
        : []),
      ...events
        .filter((e) => e.event === 'pod' && (e.data as { change: string }).change === change)
        .map((e) => (e.data as { pod: string }).pod),
    ];
    const linesFrom = (pod: string): number =>
      client.events().filter((e) => e.event === 'log' && (e.data as { pod: string }).pod === pod).length;
    const before = running();
    await client.raw.waitFor(() => before.every((pod) => podsOf(client.events(), 'joined').includes(pod)));
    await client.raw.waitFor(() => before.every((pod) => linesFrom(pod) > 0));

    const victim = before[0] ?? '';
    // Through the sandbox's kubeconfig (HTTPS, its CA), as an operator would delete it.
    const core = loadKubeConfig({ kubeconfigPath: platform.sandbox.kubeconfigPath }).makeApiClient(CoreV1Api);
    await core.deleteNamespacedPod({ namespace: NS, name: victim });
    await until('a successor pod', () => running().filter((p) => !before.includes(p)).length === 1);
    const successor = running().find((p) => !before.includes(p)) ?? '';
    await client.raw.waitFor(() => podsOf(client.events(), 'left').includes(victim), 20_000);
    await client.raw.waitFor(() => linesFrom(successor) > 0, 20_000);
    client.close();

    const lines = client
      .events()
      .filter((e) => e.event === 'log')
      .map((e) => e.data as { pod: string; container: string; time: string; line: string });
    expect(new Set(lines.map((l) => l.pod))).toEqual(new Set([...before, successor]));
    for (const line of lines)
      expect(line).toEqual({
        pod: expect.any(String),
        container: 'shop',
        time: expect.stringMatching(/^\d{4}-/),
        line: expect.any(String),
      });
    expect(lines.find((l) => l.pod === successor)?.line).toMatch(/^starting /);

    // The one-off read: the newest lines of the pods there now, merged in time order.
    const res = await fetch(`${platform.base}/monitoring/v1/apps/shop/logs?follow=false&tail=4`, {
      headers: { authorization: `Bearer ${platform.tokens.alice}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { lines: Array<{ pod: string; time: string }> };
    expect(body.lines).toHaveLength(4);
    // Kubelet times trim the fraction's trailing zeros ('.2Z' is before '.201Z'): not string order.
    expect(body.lines.map((l) => l.time)).toEqual(body.lines.map((l) => l.time).sort(compareLogTimes));
    for (const l of body.lines) expect(running()).toContain(l.pod);
  }, 60_000);

  it('sends a Warning event when a deploy of an image that was never built goes to ImagePullBackOff', async () => {
    const client = await stream('/apps/shop/events');
    await client.waitForEvent((e) => e.event === 'snapshot');
    await deploy((values) => values.replace(/tag: ".*"/, 'tag: "never-built"'));
    const warning = await client.waitForEvent(
      (e) => e.event === 'event' && (e.data as { message: string }).message === 'Error: ImagePullBackOff',
      30_000,
    );
    client.close();
    expect(warning.data).toMatchObject({ type: 'Warning', reason: 'Failed', object: { kind: 'Pod' } });
    expect((warning.data as { object: { name: string } }).object.name).toMatch(/^shop-/);

    const res = await fetch(`${platform.base}/monitoring/v1/apps/shop/events?follow=false&limit=200`, {
      headers: { authorization: `Bearer ${platform.tokens.alice}` },
    });
    const { items } = (await res.json()) as { items: Array<{ type: string; message: string }> };
    expect(items.some((e) => e.type === 'Warning' && e.message === 'Error: ImagePullBackOff')).toBe(true);
  }, 60_000);

  it('carries status, events and logs of the app on one multiplexed connection', async () => {
    const client = await stream('/stream?topics=status:shop,events:shop,logs:shop');
    await client.raw.waitFor(() => {
      const topics = client
        .events()
        .filter((e) => e.event === 'snapshot')
        .map((e) => (e.data as { topic: string }).topic);
      return ['status:shop', 'events:shop', 'logs:shop'].every((t) => topics.includes(t));
    });
    const lastId = client.lastId() ?? '';
    client.close();
    // The id resumes every topic at once: reconnecting with it sends no snapshot again.
    const again = await stream('/stream?topics=status:shop,events:shop,logs:shop');
    again.close();
    const resumed = await SseClient.open(
      `${platform.base}/monitoring/v1/stream?topics=status:shop,events:shop,logs:shop&access_token=${platform.tokens.alice}`,
      { 'last-event-id': lastId },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    resumed.close();
    expect(resumed.events().filter((e) => e.event === 'snapshot')).toEqual([]);
  });

  it('refuses bad topics, other teams and unknown apps with a 4xx saying why', async () => {
    const get = (p: string, token = platform.tokens.alice): Promise<Response> =>
      fetch(`${platform.base}/monitoring/v1${p}`, { headers: { authorization: `Bearer ${token}` } });
    const bad = await get('/stream?topics=status:shop,nope:x,logs:Bad_Name');
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { details: { problems: string[] } } }).error.details.problems,
    ).toHaveLength(2);
    const long = await get(`/apps/${'a'.repeat(41)}/status`);
    expect(long.status).toBe(400);
    expect(JSON.stringify(await long.json())).toContain('app must be at most 40 characters');
    const other = await get('/apps/shop/status/stream', platform.tokens.bob);
    // Another team's app answers exactly as a missing one.
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({
      error: { code: 'APP_NOT_FOUND', message: 'app "shop" not found', details: { app: 'shop' } },
    });
    const unknown = await get('/apps/nope/status');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('APP_NOT_FOUND');
    const badTail = await get('/apps/shop/logs?tail=-1&follow=maybe');
    expect(badTail.status).toBe(400);
    const status = await get('/apps/shop/status', platform.tokens.root);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ app: 'shop', sync: { status: expect.any(String) } });
  });

  it('opens a stream once with a ticket (sealed, no Redis), and refuses a token in the URL of a one-off read', async () => {
    const issued = await fetch(`${platform.base}/monitoring/v1/stream-tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.tokens.alice}` },
    });
    expect(issued.status).toBe(201);
    const { ticket } = (await issued.json()) as { ticket: string };
    const client = await SseClient.open(
      `${platform.base}/monitoring/v1/apps/shop/status/stream?ticket=${ticket}`,
    );
    expect(client.status).toBe(200);
    await client.waitForEvent((e) => e.event === 'snapshot');
    client.close();
    const reused = await fetch(`${platform.base}/monitoring/v1/apps/shop/status/stream?ticket=${ticket}`);
    expect(reused.status).toBe(401);
    const inUrl = await fetch(
      `${platform.base}/monitoring/v1/apps/shop/status?access_token=${platform.tokens.alice}`,
    );
    expect(inUrl.status).toBe(401);
    expect(((await inUrl.json()) as { error: { message: string } }).error.message).toContain(
      'send it in the Authorization header',
    );
  });

  it('streams each environment on its own: ?environment= picks the Application, the first is the default', async () => {
    // The image create-app built, which it wrote into every environment's values.
    const tag = /tag: "([^"]+)"/.exec(
      fs.readFileSync(path.join(manifests, 'chart', 'values-prod.yaml'), 'utf8'),
    )?.[1];
    const deployed = await runToEnd(
      platform.sandbox,
      'cd',
      {
        app: 'shop',
        team: 'payments',
        environment: 'prod',
        application: 'shop-prod',
        tag: tag ?? '',
        digest:
          platform.sandbox.ctx.registry.find(
            `${platform.sandbox.ctx.config.registryHost}/payments/shop:${tag}`,
          )?.digest ?? '',
      },
      taskLabels('shop', 'payments', 'cd'),
    );
    expect(deployed.phase).toBe('Succeeded');
    const read = async (p: string): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${platform.base}/monitoring/v1${p}`, {
        headers: { authorization: `Bearer ${platform.tokens.alice}` },
      });
      return { status: res.status, body: await res.json() };
    };

    const prod = await stream('/apps/shop/status/stream?environment=prod');
    expect((await prod.waitForEvent((e) => e.event === 'snapshot')).data).toMatchObject({
      app: 'shop',
      environment: 'prod',
      application: 'shop-prod',
      health: { status: 'Healthy' },
    });
    prod.close();
    // Without one, the environment the app was created in.
    expect((await read('/apps/shop/status')).body).toMatchObject({
      environment: 'dev',
      application: 'shop-dev',
    });
    // One multiplexed stream can hold both.
    const both = await stream('/stream?topics=status:shop,status:shop@prod');
    await both.raw.waitFor(() => both.events().filter((e) => e.event === 'snapshot').length >= 2);
    const environments = both
      .events()
      .filter((e) => e.event === 'snapshot')
      .map((e) => (e.data as { data: AppStatus }).data?.environment ?? (e.data as AppStatus).environment);
    expect(new Set(environments)).toEqual(new Set(['dev', 'prod']));
    both.close();

    const logs = (await read('/apps/shop/logs?environment=prod&follow=false&tail=50')).body as {
      lines: Array<{ pod: string }>;
    };
    const prodPods = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: 'payments-prod' })
      .items.map((p) => p.metadata.name);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.every((l) => prodPods.includes(l.pod))).toBe(true);

    const missing = await read('/apps/shop/status?environment=staging');
    expect(missing).toEqual({
      status: 404,
      body: {
        error: {
          code: 'ENVIRONMENT_NOT_FOUND',
          message: 'app "shop" is not deployed to "staging"; its environments: dev, prod',
          details: { app: 'shop', environment: 'staging', environments: ['dev', 'prod'] },
        },
      },
    });
    const bad = await read('/apps/shop/events?environment=Prod!&follow=false');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('environment must be an environment name');
  }, 120_000);
});
