import { Kinds } from '@platform/sandbox';
import type { Subscription } from 'rxjs';
import { listAppEvents } from '../src/app-events';
import { mergedPodLogs } from '../src/merged-pod-logs';
import type { MergedLogItem } from '../src/pod-log-line';
import { podsResource } from '../src/resources';
import { watchResource } from '../src/watch-resource';
import { eventually, startSandboxKube, type SandboxKube } from './sandbox-kube';

describe(mergedPodLogs.name, () => {
  let kube: SandboxKube;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    kube = await startSandboxKube();
    kube.ctx.store.create(Kinds.Namespace, { metadata: { name: 'shop' } });
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await kube.close();
  });

  const runningPod = (name: string, containers = ['main']) =>
    kube.ctx.store.create(Kinds.Pod, {
      metadata: { name, namespace: 'shop', labels: { app: 'shop' } },
      spec: { containers: containers.map((c) => ({ name: c, image: 'x' })) },
      status: {
        phase: 'Running',
        containerStatuses: containers.map((c) => ({
          name: c,
          ready: true,
          state: { running: { startedAt: '2026-11-26T00:00:00Z' } },
        })),
      },
    });

  it('merges the lines of every pod and container, attaching pods that start later and detaching those that go', async () => {
    runningPod('shop-1', ['main', 'sidecar']);
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'history 1\nhistory 2');
    kube.ctx.logs.append('shop', 'shop-1', 'sidecar', 'sidecar history');
    const items: MergedLogItem[] = [];
    const pods$ = watchResource(kube.kc, podsResource(kube.kc, 'shop'), { labelSelector: 'app=shop' });
    subscription = mergedPodLogs(kube.kc, pods$, { namespace: 'shop', tailLines: 1 }).subscribe((i) =>
      items.push(i),
    );
    const lines = () =>
      items.flatMap((i) =>
        (i.kind === 'line' ? [i.line] : i.kind === 'history' ? i.lines : []).map(
          (l) => `${l.pod}/${l.container}: ${l.line}`,
        ),
      );
    await eventually(() =>
      expect(lines()).toEqual(
        expect.arrayContaining(['shop-1/main: history 2', 'shop-1/sidecar: sidecar history']),
      ),
    );
    expect(lines()).not.toContain('shop-1/main: history 1');

    runningPod('shop-2');
    kube.ctx.logs.append('shop', 'shop-2', 'main', 'hello from the new pod');
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'live line');
    await eventually(() =>
      expect(lines()).toEqual(
        expect.arrayContaining(['shop-2/main: hello from the new pod', 'shop-1/main: live line']),
      ),
    );

    kube.ctx.store.delete(Kinds.Pod, 'shop', 'shop-1');
    kube.ctx.logs.deletePod('shop', 'shop-1');
    await eventually(() =>
      expect(items).toContainEqual({
        kind: 'membership',
        membership: { pod: 'shop-1', container: 'main', change: 'left' },
      }),
    );
    const line = items.find((i) => i.kind === 'line');
    expect(line?.kind === 'line' && line.line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(new Set(lines()).size).toBe(lines().length);
  });

  it('reads the history of each container apart from its live lines, says when the first pods are caught up, and repeats nothing after a dropped follow', async () => {
    runningPod('shop-1');
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'old 1\nold 2\nold 3');
    const items: MergedLogItem[] = [];
    const pods$ = watchResource(kube.kc, podsResource(kube.kc, 'shop'), { labelSelector: 'app=shop' });
    subscription = mergedPodLogs(kube.kc, pods$, { namespace: 'shop', tailLines: 2 }).subscribe((i) =>
      items.push(i),
    );
    await eventually(() => expect(items.map((i) => i.kind)).toContain('caught-up'));
    const history = items.find((i) => i.kind === 'history');
    expect(history?.kind === 'history' && history.lines.map((l) => l.line)).toEqual(['old 2', 'old 3']);
    expect(items.map((i) => i.kind).indexOf('history')).toBeLessThan(
      items.map((i) => i.kind).indexOf('caught-up'),
    );

    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(2));
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'live 1');
    const live = (): string[] => items.flatMap((i) => (i.kind === 'line' ? [i.line.line] : []));
    await eventually(() => expect(live()).toEqual(['live 1']));
    // Cut the log follow (not the pod watch): it comes back from its last line.
    kube.ctx.faults
      .openStreams('kube')
      .filter((s) => s.path.includes('/log?'))
      .forEach((s) => s.drop());
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'live 2');
    kube.ctx.logs.append('shop', 'shop-1', 'main', 'live 3');
    await eventually(() => expect(live()).toEqual(['live 1', 'live 2', 'live 3']), 10_000);
  });

  it('closes every log stream when the subscriber leaves', async () => {
    runningPod('shop-1');
    const pods$ = watchResource(kube.kc, podsResource(kube.kc, 'shop'), { labelSelector: 'app=shop' });
    subscription = mergedPodLogs(kube.kc, pods$, { namespace: 'shop' }).subscribe();
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(2));
    subscription.unsubscribe();
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(0));
  });
});

describe(listAppEvents.name, () => {
  it("lists the app objects' events newest first through the real API", async () => {
    const kube = await startSandboxKube();
    try {
      kube.ctx.store.create(Kinds.Namespace, { metadata: { name: 'shop' } });
      const pod = kube.ctx.store.create(Kinds.Pod, {
        metadata: { name: 'shop-abc', namespace: 'shop' },
        spec: {},
      });
      const other = kube.ctx.store.create(Kinds.Pod, {
        metadata: { name: 'blog-abc', namespace: 'shop' },
        spec: {},
      });
      kube.ctx.events.record(pod, 'Normal', 'Pulled', 'pulled', 'kubelet');
      kube.ctx.events.record(other, 'Normal', 'Pulled', 'pulled', 'kubelet');
      kube.ctx.events.record(pod, 'Warning', 'BackOff', 'Back-off pulling image', 'kubelet');
      kube.ctx.events.record(pod, 'Warning', 'BackOff', 'Back-off pulling image', 'kubelet');
      const events = await listAppEvents(kube.kc, { namespace: 'shop', namePrefixes: ['shop-'] });
      expect(events.map((e) => [e.reason, e.count])).toEqual([
        ['BackOff', 2],
        ['Pulled', 1],
      ]);
      const warnings = await listAppEvents(kube.kc, {
        namespace: 'shop',
        namePrefixes: ['shop-'],
        type: 'Warning',
      });
      expect(warnings).toHaveLength(1);
    } finally {
      await kube.close();
    }
  });
});
