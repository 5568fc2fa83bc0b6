import { createContext } from '../../src/core/create-context';
import { LabelSelector } from '../../src/core/label-selector';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { dockerConfigJson } from '../../src/platform/registry-onboarding';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import type { DeploymentObject, PodObject } from '../../src/kubernetes/controllers/workload-types';
import { waitFor } from './wait-for';

const NS = 'shop';

function deployment(
  name: string,
  image: string,
  replicas = 2,
  extra: Partial<DeploymentObject['spec']> = {},
) {
  return {
    metadata: { name, namespace: NS, labels: { 'platform-api/app': name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, 'platform-api/app': name } },
        spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 8080 }] }] },
      },
      ...extra,
    },
  };
}

describe(DeploymentController.name, () => {
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

  const pods = (app: string) =>
    ctx.store.list(Kinds.Pod, { namespace: NS, labelSelector: LabelSelector.parse(`app=${app}`) })
      .items as PodObject[];
  const live = (app: string) => pods(app).filter((p) => p.metadata.deletionTimestamp === undefined);
  const ready = (app: string) =>
    live(app).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const get = (name: string) => ctx.store.get(Kinds.Deployment, NS, name) as DeploymentObject;
  const reasons = (name: string) =>
    ctx.store
      .list(Kinds.Event, { namespace: NS })
      .items.filter((e) => (e.involvedObject as { name: string }).name === name)
      .map((e) => `${String(e.type)} ${String(e.reason)}: ${String(e.message)}`);

  it('starts the replicas through Pending to Running and Ready, with kubelet events, logs and status', async () => {
    ctx.store.create(Kinds.Deployment, deployment('web', 'nginx:1.27'));
    await waitFor('2 ready pods', () => ready('web').length === 2);
    const [pod] = live('web');
    expect(pod?.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[a-z0-9]{5}$/);
    expect(pod?.metadata.labels?.['pod-template-hash']).toBeDefined();
    expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
    expect(pod?.status).toMatchObject({
      phase: 'Running',
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0 }],
    });
    const rs = ctx.store.list(Kinds.ReplicaSet, { namespace: NS }).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    const status = await waitFor('complete status', () => {
      const s = get('web').status;
      return s?.availableReplicas === 2 && s.conditions?.[1]?.reason === 'NewReplicaSetAvailable' && s;
    });
    expect(status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
    });
    expect(status.conditions?.[0]).toMatchObject({
      type: 'Available',
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    const name = pod?.metadata.name ?? '';
    expect(reasons(name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Normal Scheduled: Successfully assigned shop\/web-.* to sandbox-node$/),
        'Normal Pulling: Pulling image "nginx:1.27"',
        expect.stringMatching(/^Normal Pulled: Successfully pulled image "nginx:1.27" in /),
        'Normal Created: Created container main',
        'Normal Started: Started container main',
      ]),
    );
    expect(reasons('web')).toEqual([
      expect.stringMatching(/^Normal ScalingReplicaSet: Scaled up replica set web-\w+ from 0 to 2$/),
    ]);
    await waitFor('a request log line', () =>
      ctx.logs.lines(NS, name, 'main').some((l) => l.text.includes('image=nginx:1.27')),
    );
  });

  it('counts the new pods as updated from the first status it writes', async () => {
    const statuses: Array<DeploymentObject['status']> = [];
    ctx.store.watch(Kinds.Deployment, { namespace: NS }, (e) =>
      statuses.push((e.object as DeploymentObject).status),
    );
    ctx.store.create(Kinds.Deployment, deployment('count', 'nginx:1'));
    await waitFor('complete', () => get('count').status?.availableReplicas === 2);
    const first = statuses.find((s) => s !== undefined);
    expect(first).toMatchObject({ replicas: 2, updatedReplicas: 2, unavailableReplicas: 2 });
    expect(first?.conditions?.[1]).toMatchObject({
      reason: 'NewReplicaSetCreated',
      message: expect.stringMatching(/^Created new replica set "count-\w+"$/),
    });
  });

  it('does not write anything once a rollout is complete', async () => {
    ctx.store.create(Kinds.Deployment, deployment('idle', 'nginx:1'));
    await waitFor('complete', () => get('idle').status?.conditions?.[1]?.reason === 'NewReplicaSetAvailable');
    const version = get('idle').metadata.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(get('idle').metadata.resourceVersion).toBe(version);
  });

  it('rolls a template change out: new ReplicaSet, new pods ready, old ones terminated and their logs gone', async () => {
    ctx.store.create(Kinds.Deployment, deployment('api', 'nginx:1'));
    await waitFor('v1 ready', () => ready('api').length === 2);
    const oldNames = live('api').map((p) => p.metadata.name ?? '');
    ctx.store.mutate(
      Kinds.Deployment,
      NS,
      'api',
      (d) => ((d as DeploymentObject).spec.template.spec.containers[0]!.image = 'nginx:2'),
    );
    await waitFor('v2 rolled out', () => {
      const all = pods('api');
      return (
        all.length === 2 &&
        all.every((p) => p.spec.containers[0]?.image === 'nginx:2') &&
        ready('api').length === 2
      );
    });
    expect(
      ctx.store
        .list(Kinds.ReplicaSet, { namespace: NS })
        .items.map((rs) => (rs.spec as { replicas: number }).replicas)
        .sort(),
    ).toEqual([0, 2]);
    for (const name of oldNames) expect(ctx.logs.hasContainer(NS, name, 'main')).toBe(false);
    expect(reasons('api').filter((r) => r.includes('Scaled down'))).not.toHaveLength(0);
    await waitFor(
      'status generation 2',
      () => get('api').status?.observedGeneration === 2 && get('api').status?.updatedReplicas === 2,
    );
  });

  it('scales up and down', async () => {
    ctx.store.create(Kinds.Deployment, deployment('scale', 'nginx:1', 1));
    await waitFor('1 ready', () => ready('scale').length === 1);
    ctx.store.mutate(Kinds.Deployment, NS, 'scale', (d) => ((d as DeploymentObject).spec.replicas = 3));
    await waitFor('3 ready', () => ready('scale').length === 3 && get('scale').status?.readyReplicas === 3);
    ctx.store.mutate(Kinds.Deployment, NS, 'scale', (d) => ((d as DeploymentObject).spec.replicas = 1));
    await waitFor('1 pod left', () => pods('scale').length === 1 && get('scale').status?.replicas === 1);
  });

  /** The private project `team`, and a robot that may pull from it, as a login. */
  const project = (team: string, robot = 'pull'): { username: string; password: string } => {
    const { accounts } = ctx.registry;
    accounts.ensureProject(team);
    const created = accounts.createRobot({ name: robot, project: team, actions: ['pull'] });
    return { username: created.name, password: created.secret };
  };
  const pullSecret = (name: string, login: { username: string; password: string }): void => {
    ctx.store.create(Kinds.Secret, {
      metadata: { name, namespace: NS },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(dockerConfigJson(ctx.config.registryHost, login)).toString('base64'),
      },
    });
  };
  /**
   * Why the kubelet could not pull, from its `Failed to pull image "<image>": <why>` event: the
   * ErrImagePull state it also shows lasts only until the back-off, which a busy machine's polls
   * can miss again and again.
   */
  const waitingMessage = async (app: string): Promise<string | undefined> => {
    const event = await waitFor('a "Failed to pull image" event', () =>
      ctx.store
        .list(Kinds.Event, { namespace: NS })
        .items.find(
          (e) =>
            ((e as { involvedObject?: { name?: string } }).involvedObject?.name ?? '').startsWith(
              `${app}-`,
            ) && ((e as { message?: string }).message ?? '').startsWith('Failed to pull image'),
        ),
    );
    return ((event as { message?: string }).message ?? '').replace(/^Failed to pull image "[^"]+": /, '');
  };

  it('sends pods of an image never pushed to the sandbox registry to ImagePullBackOff, keeps the old pods, then exceeds the deadline', async () => {
    // The node's own credential (the kubelet's config.json) pulls from the private project.
    ctx.registry.nodeDockerConfig = dockerConfigJson(ctx.config.registryHost, project('team-a'));
    const image = `${ctx.config.registryHost}/team-a/pay:v1`;
    ctx.registry.push(`${ctx.config.registryHost}/team-a/pay`, 'v1', 'x');
    ctx.store.create(Kinds.Deployment, deployment('pay', image, 2, { progressDeadlineSeconds: 30 }));
    await waitFor('v1 ready', () => ready('pay').length === 2);
    const missing = `${ctx.config.registryHost}/team-a/pay:v2`;
    ctx.store.mutate(
      Kinds.Deployment,
      NS,
      'pay',
      (d) => ((d as DeploymentObject).spec.template.spec.containers[0]!.image = missing),
    );
    const stuck = await waitFor('ImagePullBackOff', () =>
      live('pay').find((p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff'),
    );
    expect(stuck.status?.containerStatuses?.[0]?.state.waiting?.message).toBe(
      `Back-off pulling image "${missing}"`,
    );
    expect(reasons(stuck.metadata.name ?? '')).toEqual(
      expect.arrayContaining([
        `Warning Failed: Failed to pull image "${missing}": rpc error: code = NotFound desc = failed to pull and unpack image "${missing}": failed to resolve reference "${missing}": ${missing}: not found`,
        'Warning Failed: Error: ErrImagePull',
        `Normal BackOff: Back-off pulling image "${missing}"`,
        'Warning Failed: Error: ImagePullBackOff',
      ]),
    );
    expect(ready('pay')).toHaveLength(2);
    await waitFor(
      'ProgressDeadlineExceeded',
      () => get('pay').status?.conditions?.[1]?.reason === 'ProgressDeadlineExceeded',
    );
    // Pushing the image lets the next pull attempt succeed and the rollout finish.
    ctx.registry.push(`${ctx.config.registryHost}/team-a/pay`, 'v2', 'y');
    await waitFor(
      'v2 rolled out',
      () => get('pay').status?.conditions?.[1]?.reason === 'NewReplicaSetAvailable',
      20_000,
    );
  });

  it('re-checks a changed progressDeadlineSeconds against the last progress, as each sync does', async () => {
    ctx.registry.nodeDockerConfig = dockerConfigJson(ctx.config.registryHost, project('team-a'));
    const missing = `${ctx.config.registryHost}/team-a/late:v1`;
    // More than a day of simulated time: minutes of real time at this speed.
    ctx.store.create(Kinds.Deployment, deployment('late', missing, 1, { progressDeadlineSeconds: 100_000 }));
    await waitFor('ImagePullBackOff', () =>
      live('late').some(
        (p) => p.status?.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff',
      ),
    );
    await ctx.clock.sleep(200_000);
    const setDeadline = async (seconds: number) => {
      ctx.store.mutate(Kinds.Deployment, NS, 'late', (d) => {
        (d as DeploymentObject).spec.progressDeadlineSeconds = seconds;
      });
      const generation = get('late').metadata.generation;
      // The first status the controller writes for the new spec.
      return waitFor('the new generation observed', () => {
        const d = get('late');
        return d.status?.observedGeneration === generation && d;
      });
    };
    expect(get('late').status?.conditions?.[1]?.reason).not.toBe('ProgressDeadlineExceeded');
    // 150 s is already behind the last progress (more than 200 s ago): exceeded at once, not
    // 150 s after the change.
    const shortened = await setDeadline(150);
    expect(shortened.status?.conditions?.[1]?.reason).toBe('ProgressDeadlineExceeded');
    // Lengthened again, it stays exceeded until the rollout progresses.
    const lengthened = await setDeadline(100_000);
    expect(lengthened.status?.conditions?.[1]?.reason).toBe('ProgressDeadlineExceeded');
  });

  it('pulls from a private project only with a credential: no basic auth without one', async () => {
    const image = `${ctx.config.registryHost}/team-b/api:v1`;
    ctx.registry.push(`${ctx.config.registryHost}/team-b/api`, 'v1', 'x');
    project('team-b');
    ctx.store.create(Kinds.Deployment, deployment('api', image, 1));
    expect(await waitingMessage('api')).toBe(
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`,
    );
  });

  it("pulls with the pod's imagePullSecrets, and fails with another project's robot", async () => {
    const image = `${ctx.config.registryHost}/team-c/web:v1`;
    ctx.registry.push(`${ctx.config.registryHost}/team-c/web`, 'v1', 'x');
    pullSecret('team-c-pull', project('team-c'));
    pullSecret('team-d-pull', project('team-d'));
    const withSecret = (name: string, secret: string) => {
      const spec = deployment(name, image, 1);
      (spec.spec.template.spec as { imagePullSecrets?: unknown }).imagePullSecrets = [{ name: secret }];
      return spec;
    };
    ctx.store.create(Kinds.Deployment, withSecret('own', 'team-c-pull'));
    await waitFor('pulled with its secret', () => ready('own').length === 1);
    expect(live('own')[0]?.status?.containerStatuses?.[0]?.imageID).toBe(
      `${ctx.config.registryHost}/team-c/web@${ctx.registry.find(image)?.digest ?? ''}`,
    );
    ctx.store.create(Kinds.Deployment, withSecret('other', 'team-d-pull'));
    expect(await waitingMessage('other')).toBe(
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": unexpected status from HEAD request to http://${ctx.config.registryHost}/v2/team-c/web/manifests/v1: 401 Unauthorized`,
    );
  });

  it('crash-loops a container asked to crash, with growing restart counts and BackOff warnings', async () => {
    const spec = deployment('boom', 'nginx:1', 1);
    (spec.spec.template.spec.containers[0] as { env?: unknown }).env = [
      { name: 'SANDBOX_CRASH', value: 'true' },
    ];
    ctx.store.create(Kinds.Deployment, spec);
    const pod = await waitFor('restartCount >= 2', () =>
      live('boom').find((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2),
    );
    expect(pod.status?.phase).toBe('Running');
    await waitFor(
      'CrashLoopBackOff',
      () => live('boom')[0]?.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff',
    );
    const name = pod.metadata.name ?? '';
    expect(reasons(name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Warning BackOff: Back-off restarting failed container main in pod boom-/),
      ]),
    );
    expect(ctx.logs.lines(NS, name, 'main').some((l) => l.text.startsWith('fatal: crash requested'))).toBe(
      true,
    );
    expect(get('boom').status?.readyReplicas).toBeUndefined();
  });

  it('crashes every container of pods whose template carries the crash annotation', async () => {
    const spec = deployment('ann', 'nginx:1', 1);
    (spec.spec.template.metadata as { annotations?: Record<string, string> }).annotations = {
      'sandbox.platform-api/crash': 'true',
    };
    ctx.store.create(Kinds.Deployment, spec);
    await waitFor('restart', () => (live('ann')[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  });

  it('deletes the ReplicaSets and pods of a deleted Deployment', async () => {
    ctx.store.create(Kinds.Deployment, deployment('gone', 'nginx:1'));
    await waitFor('ready', () => ready('gone').length === 2);
    const names = live('gone').map((p) => p.metadata.name ?? '');
    ctx.store.delete(Kinds.Deployment, NS, 'gone');
    await waitFor(
      'all gone',
      () =>
        pods('gone').length === 0 && ctx.store.list(Kinds.ReplicaSet, { namespace: NS }).items.length === 0,
    );
    for (const name of names) expect(ctx.logs.hasContainer(NS, name, 'main')).toBe(false);
  });

  it('collects the dependents of a Deployment deleted in the foreground, then lets it go', async () => {
    const spec = deployment('fg', 'nginx:1', 1);
    ctx.store.create(Kinds.Deployment, {
      ...spec,
      metadata: { ...spec.metadata, finalizers: ['foregroundDeletion'] },
    });
    await waitFor('ready', () => ready('fg').length === 1);
    ctx.store.delete(Kinds.Deployment, NS, 'fg');
    await waitFor(
      'all gone',
      () => ctx.store.get(Kinds.Deployment, NS, 'fg') === undefined && pods('fg').length === 0,
    );
  });

  it('recreates a pod deleted behind its back', async () => {
    ctx.store.create(Kinds.Deployment, deployment('heal', 'nginx:1', 1));
    const first = await waitFor('ready', () => ready('heal')[0]);
    ctx.store.delete(Kinds.Pod, NS, first.metadata.name ?? '');
    await waitFor('a new ready pod', () =>
      ready('heal').some((p) => p.metadata.name !== first.metadata.name),
    );
  });
});
