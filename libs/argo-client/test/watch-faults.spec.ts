import { Kinds } from '@platform/sandbox';
import type { Subscription } from 'rxjs';
import { gatherSnapshotPages, type GatheredWatchNotice } from '@platform/watch';
import type {
  Application,
  ApplicationWatchEvent,
  Workflow,
  WorkflowWatchEvent,
} from '@platform/upstream-types';
import { eventually, startSandboxArgo, type SandboxArgo } from './sandbox-argo';

/** A consumer's view: name → state, and every state each object went through as it saw it. */
class View<T> {
  readonly current = new Map<string, string>();
  readonly history = new Map<string, string[]>();
  readonly kinds: string[] = [];

  constructor(private readonly stateOf: (o: T) => string) {}

  snapshot(items: T[], nameOf: (o: T) => string): void {
    const names = new Set(items.map(nameOf));
    for (const name of [...this.current.keys()]) if (!names.has(name)) this.current.delete(name);
    for (const item of items) this.set(nameOf(item), this.stateOf(item));
  }

  set(name: string, state: string): void {
    if (this.current.get(name) !== state) this.history.set(name, [...(this.history.get(name) ?? []), state]);
    this.current.set(name, state);
  }
}

const NS = 'argo';

describe('resilient watches under faults', () => {
  let argo: SandboxArgo;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    argo = await startSandboxArgo({ historyLimit: 1000, watchTimeoutMs: 400 });
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await argo.close();
  });

  describe('Argo Workflows', () => {
    const phaseOf = (w: Workflow): string => w.status?.phase ?? '';
    const setPhase = (name: string, phase: string) =>
      argo.ctx.store.mutate(Kinds.Workflow, NS, name, (w) => (w.status = { ...(w.status as object), phase }));
    const truth = () =>
      new Map(
        argo.ctx.store
          .list(Kinds.Workflow, { namespace: NS })
          .items.map((w) => [w.metadata.name ?? '', String((w.status as { phase?: string }).phase ?? '')]),
      );

    function watch(): View<Workflow> {
      const view = new View<Workflow>(phaseOf);
      subscription = argo.workflows
        .watch(NS)
        .pipe(gatherSnapshotPages())
        .subscribe((n: GatheredWatchNotice<WorkflowWatchEvent, Workflow>) => {
          view.kinds.push(n.kind);
          if (n.kind === 'snapshot') view.snapshot(n.items, (w) => w.metadata.name ?? '');
          if (n.kind !== 'event') return;
          const name = n.event.object.metadata.name ?? '';
          if (n.event.type === 'DELETED') view.current.delete(name);
          else view.set(name, phaseOf(n.event.object));
        });
      return view;
    }

    const create = (name: string) =>
      argo.ctx.store.create(Kinds.Workflow, {
        metadata: { name, namespace: NS },
        spec: {},
        status: { phase: 'Pending' },
      });
    const open = () => argo.ctx.faults.openStreams('argo').length;

    it('resumes after dropped streams and the server EOF with no duplicate and no missing phase', async () => {
      create('w1');
      const view = watch();
      await eventually(() => expect(open()).toBe(1));
      const phases = ['Running', 'Failed', 'Running', 'Succeeded'];
      for (const phase of phases) {
        argo.ctx.faults.dropStreams('argo');
        setPhase('w1', phase);
        await eventually(() => expect(open()).toBe(1));
      }
      // Idle past the server's watch timeout: it ends the stream with the EOF/429 frame.
      await new Promise((resolve) => setTimeout(resolve, 600));
      create('w2');
      await eventually(() => expect(view.current).toEqual(truth()));
      expect(view.history.get('w1')).toEqual(['Pending', ...phases]);
      expect(view.kinds.filter((k) => k === 'snapshot')).toHaveLength(1);
      expect(view.kinds).toContain('reconnected');
    });

    it('relists after "too old resource version" and converges, forgetting what was deleted meanwhile', async () => {
      create('w1');
      create('gone');
      const view = watch();
      await eventually(() => expect(open()).toBe(1));
      argo.ctx.faults.set('argo', { force410: true });
      argo.ctx.faults.dropStreams('argo');
      argo.ctx.store.delete(Kinds.Workflow, NS, 'gone');
      setPhase('w1', 'Running');
      await eventually(() =>
        expect(view.kinds.filter((k) => k === 'snapshot').length).toBeGreaterThanOrEqual(2),
      );
      argo.ctx.faults.set('argo', {});
      setPhase('w1', 'Succeeded');
      await eventually(() => expect(view.current).toEqual(truth()));
      expect(view.history.get('w1')).toEqual(['Pending', 'Running', 'Succeeded']);
    });

    it('rides out a burst of 5xx and latency on reconnect', async () => {
      create('w1');
      const view = watch();
      await eventually(() => expect(open()).toBe(1));
      argo.ctx.faults.set('argo', { errorRate: 1, errorCode: 503, latencyMs: 50, force410: true });
      argo.ctx.faults.dropStreams('argo');
      setPhase('w1', 'Running');
      await new Promise((resolve) => setTimeout(resolve, 300));
      argo.ctx.faults.set('argo', { latencyMs: 50 });
      setPhase('w1', 'Succeeded');
      await eventually(() => expect(view.current).toEqual(truth()));
    });

    it('treats a silent stream as dead and reconnects', async () => {
      create('w1');
      const view = watch();
      await eventually(() => expect(open()).toBe(1));
      argo.ctx.faults.set('argo', { silentStreams: true });
      setPhase('w1', 'Running');
      await new Promise((resolve) => setTimeout(resolve, 200));
      argo.ctx.faults.set('argo', {});
      await eventually(() => expect(view.current).toEqual(truth()), 5000);
      expect(view.history.get('w1')).toEqual(['Pending', 'Running']);
    });

    it('closes the connection when the subscriber unsubscribes', async () => {
      watch();
      await eventually(() => expect(open()).toBe(1));
      subscription?.unsubscribe();
      await eventually(() => expect(open()).toBe(0));
    });
  });

  describe('Argo CD', () => {
    const stateOf = (a: Application): string =>
      `${a.status?.sync?.status ?? ''}/${a.status?.health?.status ?? ''}`;
    const setState = (name: string, sync: string, health: string) =>
      argo.ctx.store.mutate(
        Kinds.Application,
        'argocd',
        name,
        (a) => (a.status = { sync: { status: sync }, health: { status: health } }),
      );
    const truth = () =>
      new Map(
        argo.ctx.store
          .list(Kinds.Application, { namespace: 'argocd' })
          .items.map((a) => [a.metadata.name ?? '', stateOf(a as unknown as Application)]),
      );

    it('lists at once when there is no application yet, though the stream answers nothing until one changes', async () => {
      // grpc-gateway sends the headers with the first message, and the first keepalive comes
      // 15 s after the stream opened (here: not within the test).
      await argo.close();
      argo = await startSandboxArgo({ keepaliveMs: 600_000 });
      const kinds: string[] = [];
      subscription = argo.argocd
        .watch()
        .pipe(gatherSnapshotPages())
        .subscribe((n) => kinds.push(n.kind));
      await eventually(() => expect(kinds).toEqual(['snapshot']));
      argo.ctx.store.create(Kinds.Application, {
        metadata: { name: 'first', namespace: 'argocd' },
        spec: { project: 'default' },
        status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
      });
      await eventually(() => expect(kinds).toContain('event'));
      subscription.unsubscribe();
    });

    it('follows sync and health through dropped streams, relisting on every reconnect', async () => {
      argo.ctx.store.create(Kinds.Application, {
        metadata: { name: 'shop', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: 'http://git/shop.git' },
          destination: { namespace: 'shop' },
        },
        status: { sync: { status: 'OutOfSync' }, health: { status: 'Missing' } },
      });
      const view = new View<Application>(stateOf);
      subscription = argo.argocd
        .watch()
        .pipe(gatherSnapshotPages())
        .subscribe((n: GatheredWatchNotice<ApplicationWatchEvent, Application>) => {
          view.kinds.push(n.kind);
          if (n.kind === 'snapshot') view.snapshot(n.items, (a) => a.metadata.name ?? '');
          if (n.kind === 'event')
            view.set(n.event.application.metadata.name ?? '', stateOf(n.event.application));
        });
      await eventually(() => expect(view.kinds).toContain('snapshot'));
      const steps: Array<[string, string]> = [
        ['Synced', 'Progressing'],
        ['Synced', 'Healthy'],
        ['OutOfSync', 'Healthy'],
        ['Synced', 'Healthy'],
      ];
      // Argo CD does not replay what a dropped stream missed: every reconnect lists again.
      for (const [sync, health] of steps) {
        setState('shop', sync, health);
        await eventually(() => expect(view.current.get('shop')).toBe(`${sync}/${health}`));
        const snapshots = view.kinds.filter((k) => k === 'snapshot').length;
        argo.ctx.faults.dropStreams('argocd');
        await eventually(() => expect(view.kinds.filter((k) => k === 'snapshot').length).toBe(snapshots + 1));
      }
      argo.ctx.faults.dropStreams('argocd');
      argo.ctx.store.create(Kinds.Application, {
        metadata: { name: 'blog', namespace: 'argocd' },
        spec: { project: 'default' },
        status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
      });
      await eventually(() => expect(view.current).toEqual(truth()));
      expect(view.history.get('shop')).toEqual(['OutOfSync/Missing', ...steps.map(([s, h]) => `${s}/${h}`)]);
      subscription?.unsubscribe();
      await eventually(() => expect(argo.ctx.faults.openStreams('argocd')).toHaveLength(0));
    });
  });
});
