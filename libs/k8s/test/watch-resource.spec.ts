import type { V1Pod } from '@kubernetes/client-node';
import { Kinds } from '@platform/sandbox';
import type { ObjectEvent, WatchNotice } from '@platform/watch';
import type { Subscription } from 'rxjs';
import { podsResource } from '../src/resources';
import { watchResource } from '../src/watch-resource';
import { eventually, startSandboxKube, type SandboxKube } from './sandbox-kube';

/** What a consumer builds from the notices: name → phase. */
class PodView {
  readonly pods = new Map<string, string>();
  readonly notices: Array<WatchNotice<ObjectEvent<V1Pod>, V1Pod>['kind']> = [];
  /** Every phase each pod went through, in order, as the consumer saw it. */
  readonly transitions = new Map<string, string[]>();

  apply(notice: WatchNotice<ObjectEvent<V1Pod>, V1Pod>): void {
    this.notices.push(notice.kind);
    if (notice.kind === 'snapshot-page') {
      if (notice.first) this.pods.clear();
      for (const pod of notice.items) this.set(pod);
    } else if (notice.kind === 'event') {
      if (notice.event.type === 'DELETED') this.pods.delete(notice.event.object.metadata?.name ?? '');
      else this.set(notice.event.object);
    }
  }

  private set(pod: V1Pod): void {
    const name = pod.metadata?.name ?? '';
    const phase = pod.status?.phase ?? '';
    if (this.pods.get(name) !== phase) {
      this.transitions.set(name, [...(this.transitions.get(name) ?? []), phase]);
    }
    this.pods.set(name, phase);
  }
}

describe(watchResource.name, () => {
  let kube: SandboxKube;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    kube = await startSandboxKube({ historyLimit: 50 });
    kube.ctx.store.create(Kinds.Namespace, { metadata: { name: 'shop' } });
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await kube.close();
  });

  const pod = (name: string, phase: string) => ({
    metadata: { name, namespace: 'shop', labels: { app: 'shop' } },
    spec: { containers: [{ name: 'main', image: 'x' }] },
    status: { phase },
  });
  const setPhase = (name: string, phase: string) =>
    kube.ctx.store.mutate(Kinds.Pod, 'shop', name, (p) => (p.status = { phase }));
  const truth = () =>
    new Map(
      kube.ctx.store
        .list(Kinds.Pod, { namespace: 'shop' })
        .items.map((p) => [p.metadata.name ?? '', String((p.status as { phase: string }).phase)]),
    );

  function watch(view: PodView, idleTimeoutMs?: number): void {
    subscription = watchResource(kube.kc, podsResource(kube.kc, 'shop'), {
      labelSelector: 'app=shop',
      idleTimeoutMs,
      backoff: { initialMs: 20, maxMs: 100 },
    }).subscribe((n) => view.apply(n));
  }

  it('lists, then follows adds, updates and deletes', async () => {
    kube.ctx.store.create(Kinds.Pod, pod('a', 'Pending'));
    const view = new PodView();
    watch(view);
    await eventually(() => expect(view.notices).toContain('snapshot-page'));
    kube.ctx.store.create(Kinds.Pod, pod('b', 'Pending'));
    setPhase('a', 'Running');
    kube.ctx.store.delete(Kinds.Pod, 'shop', 'b');
    await eventually(() => expect(view.pods).toEqual(new Map([['a', 'Running']])));
    expect(view.transitions.get('a')).toEqual(['Pending', 'Running']);
  });

  it('resumes after dropped streams without missing or repeating a transition', async () => {
    kube.ctx.store.create(Kinds.Pod, pod('a', 'Pending'));
    const view = new PodView();
    watch(view);
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    const phases = ['Running', 'Succeeded', 'Failed', 'Running', 'Succeeded'];
    for (const phase of phases) {
      kube.ctx.faults.dropStreams('kube');
      setPhase('a', phase);
      await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    }
    await eventually(() => expect(view.pods).toEqual(truth()));
    expect(view.transitions.get('a')).toEqual(['Pending', ...phases]);
    expect(view.notices).toContain('reconnected');
    expect(view.notices.filter((n) => n === 'snapshot-page')).toHaveLength(1);
  });

  it('relists with a fresh snapshot after 410 and converges, dropping what disappeared meanwhile', async () => {
    kube.ctx.store.create(Kinds.Pod, pod('a', 'Pending'));
    kube.ctx.store.create(Kinds.Pod, pod('gone', 'Running'));
    const view = new PodView();
    watch(view);
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    kube.ctx.faults.set('kube', { force410: true });
    kube.ctx.faults.dropStreams('kube');
    kube.ctx.store.delete(Kinds.Pod, 'shop', 'gone');
    setPhase('a', 'Running');
    await eventually(() =>
      expect(view.notices.filter((n) => n === 'snapshot-page').length).toBeGreaterThanOrEqual(2),
    );
    kube.ctx.faults.set('kube', {});
    await eventually(() => expect(view.pods).toEqual(truth()));
    expect(view.pods.has('gone')).toBe(false);
  });

  it('relists when its version fell out of the history (a real 410, no fault injected)', async () => {
    kube.ctx.store.create(Kinds.Pod, pod('a', 'Pending'));
    const view = new PodView();
    watch(view);
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    // The stream is cut, and more changes happen than the history (50) keeps before the watch
    // can resume (all of them before the next turn of the event loop).
    kube.ctx.faults.dropStreams('kube');
    for (let i = 0; i < 60; i += 1) kube.ctx.store.create(Kinds.Pod, pod(`p${i}`, 'Running'));
    await eventually(() => expect(view.notices.filter((n) => n === 'snapshot-page')).toHaveLength(2));
    await eventually(() => expect(view.pods).toEqual(truth()));
  });

  it('detects a silent stream and reconnects', async () => {
    const view = new PodView();
    watch(view, 300);
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    kube.ctx.faults.set('kube', { silentStreams: true });
    kube.ctx.store.create(Kinds.Pod, pod('during-silence', 'Running'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    kube.ctx.faults.set('kube', {});
    await eventually(() => expect(view.pods).toEqual(truth()));
    expect(view.notices).toContain('reconnected');
  });

  it('closes the upstream watch when the subscriber unsubscribes', async () => {
    const view = new PodView();
    watch(view);
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(1));
    subscription?.unsubscribe();
    await eventually(() => expect(kube.ctx.faults.openStreams('kube')).toHaveLength(0));
  });
});
