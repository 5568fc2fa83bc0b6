import { Kinds, type KubeObject } from '@platform/sandbox';
import type { Subscription } from 'rxjs';
import { gatherSnapshotPages, type GatheredWatchNotice } from '@platform/watch';
import type {
  Application,
  ApplicationWatchEvent,
  Workflow,
  WorkflowWatchEvent,
} from '@platform/upstream-types';
import { eventually, startSandboxArgo, type SandboxArgo } from './sandbox-argo';

const NS = 'argo';
const labels = { 'platform-api/app': 'shop', 'platform-api/team': 'payments' };

/** Watches asking for a few paths get lists and events holding only those, and still resume. */
describe('watches trimmed with fields', () => {
  let argo: SandboxArgo;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    // Keepalives before the server's watch timeout: every stream has started, so its EOF comes as
    // an error frame in the body (the one fields= would trim to `{}`).
    argo = await startSandboxArgo({ historyLimit: 1000, keepaliveMs: 100, watchTimeoutMs: 400 });
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await argo.close();
  });

  describe('Argo Workflows', () => {
    const create = (name: string) =>
      argo.ctx.store.create(Kinds.Workflow, {
        metadata: { name, namespace: NS, labels, annotations: { note: 'not asked for' } },
        spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'ref', value: 'main' }] } },
        status: { phase: 'Pending', nodes: { [name]: { id: name, type: 'DAG', phase: 'Pending' } } },
      });
    const setPhase = (name: string, phase: string) =>
      argo.ctx.store.mutate(Kinds.Workflow, NS, name, (w) => (w.status = { ...(w.status as object), phase }));
    /** The stored workflow as the watch should see it: labels and phase, plus name and version. */
    const trimmed = (name: string): Workflow => {
      const stored = argo.ctx.store.mustGet(Kinds.Workflow, NS, name);
      return {
        metadata: { labels, name, resourceVersion: stored.metadata.resourceVersion },
        status: { phase: (stored.status as { phase: string }).phase },
      } as unknown as Workflow;
    };

    it('lists and streams only the asked paths, and resumes after drops, the EOF and a too old version', async () => {
      create('w1');
      const notices: Array<GatheredWatchNotice<WorkflowWatchEvent, Workflow>> = [];
      subscription = argo.workflows
        .watch(NS, { labelSelector: 'platform-api/app', fields: ['metadata.labels', 'status.phase'] })
        .pipe(gatherSnapshotPages())
        .subscribe((n) => notices.push(n));
      const open = () => argo.ctx.faults.openStreams('argo').length;
      await eventually(() => expect(open()).toBe(1));
      expect(notices).toEqual([{ kind: 'snapshot', items: [trimmed('w1')], reason: 'initial list' }]);

      setPhase('w1', 'Running');
      await eventually(() =>
        expect(notices.at(-1)).toEqual({ kind: 'event', event: { type: 'MODIFIED', object: trimmed('w1') } }),
      );
      argo.ctx.faults.dropStreams('argo');
      setPhase('w1', 'Succeeded');
      await eventually(() =>
        expect(notices.at(-1)).toEqual({ kind: 'event', event: { type: 'MODIFIED', object: trimmed('w1') } }),
      );
      // Idle past the server's watch timeout: its EOF error frame comes through whole (the
      // client keeps `error` in the list), so the watch resumes at once, saying why.
      await eventually(() =>
        expect(notices).toContainEqual({ kind: 'reconnected', reason: 'EOF (grpc 8, http 429)' }),
      );
      create('w2');
      await eventually(() =>
        expect(notices.at(-1)).toEqual({ kind: 'event', event: { type: 'ADDED', object: trimmed('w2') } }),
      );
      const phases = notices.flatMap((n) => (n.kind === 'event' ? [n.event.object.status?.phase] : []));
      expect(phases).toEqual(['Running', 'Succeeded', 'Pending']);

      // A version too old to resume from is told apart from the EOF: the watch lists again.
      argo.ctx.faults.set('argo', { force410: true });
      argo.ctx.faults.dropStreams('argo');
      await eventually(() => expect(notices.at(-1)?.kind).toBe('snapshot'));
      const relisted = notices.at(-1);
      expect(relisted?.kind === 'snapshot' && relisted.reason).toContain('too old resource version');
      const names = (w: Workflow) => w.metadata.name ?? '';
      expect(
        relisted?.kind === 'snapshot' && relisted.items.sort((a, b) => names(a).localeCompare(names(b))),
      ).toEqual([trimmed('w1'), trimmed('w2')]);
    });
  });

  describe('Argo CD', () => {
    const setState = (name: string, sync: string, health: string) =>
      argo.ctx.store.mutate(Kinds.Application, 'argocd', name, (a) => {
        a.status = {
          ...(a.status as object),
          sync: { status: sync, revision: 'r2' },
          health: { status: health },
        };
      });
    const trimmed = (name: string): Application => {
      const stored = argo.ctx.store.mustGet(Kinds.Application, 'argocd', name) as KubeObject & Application;
      return {
        metadata: { labels, name, resourceVersion: stored.metadata.resourceVersion },
        status: { sync: { status: stored.status?.sync?.status } },
      } as unknown as Application;
    };

    it('lists and streams only the asked paths, and lists again after a drop', async () => {
      argo.ctx.store.create(Kinds.Application, {
        metadata: { name: 'shop', namespace: 'argocd', labels },
        spec: {
          project: 'default',
          source: { repoURL: 'http://git/shop.git' },
          destination: { namespace: 'shop' },
        },
        status: {
          sync: { status: 'OutOfSync', revision: 'r1' },
          health: { status: 'Missing' },
          history: [{ id: 1, revision: 'r1' }],
        },
      });
      const notices: Array<GatheredWatchNotice<ApplicationWatchEvent, Application>> = [];
      subscription = argo.argocd
        .watch({ selector: 'platform-api/app', fields: ['metadata.labels', 'status.sync.status'] })
        .pipe(gatherSnapshotPages())
        .subscribe((n) => notices.push(n));
      await eventually(() => expect(notices).toHaveLength(1));
      expect(notices).toEqual([{ kind: 'snapshot', items: [trimmed('shop')], reason: 'initial list' }]);

      setState('shop', 'Synced', 'Progressing');
      await eventually(() =>
        expect(notices.at(-1)).toEqual({
          kind: 'event',
          event: { type: 'MODIFIED', application: trimmed('shop') },
        }),
      );
      argo.ctx.faults.dropStreams('argocd');
      await eventually(() => expect(notices.filter((n) => n.kind === 'snapshot')).toHaveLength(2));
      setState('shop', 'OutOfSync', 'Healthy');
      await eventually(() =>
        expect(notices.at(-1)).toEqual({
          kind: 'event',
          event: { type: 'MODIFIED', application: trimmed('shop') },
        }),
      );
      expect(notices.map((n) => n.kind)).toEqual(['snapshot', 'event', 'snapshot', 'event']);
    });
  });
});
