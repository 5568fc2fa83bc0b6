import { Kinds } from '@platform/sandbox';
import type { Subscription } from 'rxjs';
import type { WatchNotice } from '@platform/watch';
import { HttpArgoCd } from '../src/argocd/http-argo-cd';
import type {
  Application,
  ApplicationWatchEvent,
  Workflow,
  WorkflowWatchEvent,
} from '@platform/upstream-types';
import { HttpArgoWorkflows } from '../src/workflows/http-argo-workflows';
import { eventually, startSandboxArgo, STREAMS, type SandboxArgo } from './sandbox-argo';

const NS = 'argo';
const labels = { 'platform-api/app': 'shop' };
type Page<I> = { items: I[]; first: boolean; last: boolean; reason: string };

/** Pages and events a consumer of a paged watch receives. */
class Recorder<E, I> {
  readonly pages: Array<Page<I>> = [];
  readonly events: E[] = [];
  onPage: (page: Page<I>) => void = () => undefined;

  take(notice: WatchNotice<E, I>): void {
    if (notice.kind === 'event') this.events.push(notice.event);
    if (notice.kind !== 'snapshot-page') return;
    this.pages.push(notice);
    this.onPage(notice);
  }

  /** The names of the last complete snapshot (its pages since the last `first`). */
  lastSnapshot(name: (item: I) => string): string[] {
    const start = this.pages.map((p) => p.first).lastIndexOf(true);
    return this.pages.slice(start).flatMap((p) => p.items.map(name));
  }
}

describe('paged watch lists against the sandbox', () => {
  let argo: SandboxArgo;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    argo = await startSandboxArgo();
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await argo.close();
  });

  describe('Argo Workflows (listOptions.limit, listOptions.continue as an offset)', () => {
    const name = (w: Workflow): string => w.metadata.name ?? '';
    function seed(count: number): void {
      for (let i = 0; i < count; i += 1) {
        argo.ctx.store.create(Kinds.Workflow, {
          metadata: { name: `w${String(i).padStart(2, '0')}`, namespace: NS, labels },
          spec: { entrypoint: 'main' },
          status: { phase: 'Running' },
        });
      }
    }
    function watch(
      onPage: (page: Page<Workflow>) => void = () => undefined,
    ): Recorder<WorkflowWatchEvent, Workflow> {
      const recorder = new Recorder<WorkflowWatchEvent, Workflow>();
      recorder.onPage = onPage;
      const client = new HttpArgoWorkflows(
        (argo.workflows as unknown as { http: ConstructorParameters<typeof HttpArgoWorkflows>[0] }).http,
        { ...STREAMS, pages: { pageSize: 10, overlap: 3, maxRestarts: 5 } },
      );
      subscription = client.watch(NS, { fields: ['metadata.labels'] }).subscribe((n) => recorder.take(n));
      return recorder;
    }
    const truth = (): string[] =>
      argo.ctx.store
        .list(Kinds.Workflow, { namespace: NS })
        .items.map((w) => w.metadata.name ?? '')
        .sort();

    it('reads pages of the limit, each workflow once, first and last marked', async () => {
      seed(23);
      const recorder = watch();
      await eventually(() => expect(recorder.pages.at(-1)?.last).toBe(true));
      expect(recorder.pages.map((p) => [p.first, p.last])).toEqual([
        [true, false],
        [false, false],
        [false, true],
      ]);
      const listed = recorder.lastSnapshot(name);
      expect(listed).toHaveLength(23);
      expect([...listed].sort()).toEqual(truth());
    });

    it('misses no unchanged workflow when a few before the page end are deleted between pages', async () => {
      seed(23);
      const deleted: string[] = [];
      const gone2 = (page: Page<Workflow>): string[] => {
        deleted.push(...page.items.slice(0, 2).map(name));
        return deleted;
      };
      const recorder = watch((page) => {
        // Two of the first page's workflows go: the next page's offset now starts two further on.
        if (page.first) for (const gone of gone2(page)) argo.ctx.store.delete(Kinds.Workflow, NS, gone);
      });
      await eventually(() => expect(recorder.pages.at(-1)?.last).toBe(true));
      expect(deleted).toHaveLength(2);
      await eventually(() =>
        expect(recorder.events.map((e) => `${e.type} ${name(e.object)}`)).toEqual(
          deleted.map((gone) => `DELETED ${gone}`),
        ),
      );
      expect(recorder.pages.filter((p) => p.first)).toHaveLength(1);
      // Everything that still exists was listed (the two gone ones too, then deleted by events).
      expect(new Set(recorder.lastSnapshot(name))).toEqual(new Set([...truth(), ...deleted]));
    });

    it('lists again from the start when more shifted between two pages than it re-reads', async () => {
      seed(23);
      let deleted = false;
      const recorder = watch((page) => {
        if (!page.first || deleted) return;
        deleted = true;
        for (const gone of page.items.slice(0, 5).map(name)) argo.ctx.store.delete(Kinds.Workflow, NS, gone);
      });
      await eventually(() => expect(recorder.pages.at(-1)?.last).toBe(true));
      expect(recorder.pages.filter((p) => p.first)).toHaveLength(2);
      expect(recorder.pages.find((p, i) => i > 0 && p.first)?.reason).toContain('shifted between list pages');
      expect([...recorder.lastSnapshot(name)].sort()).toEqual(truth());
    });
  });

  describe('Argo CD (no server paging: the one response is cut into pages as it arrives)', () => {
    it('hands the applications on in pages, sorted by name as the server sends them', async () => {
      for (let i = 0; i < 23; i += 1) {
        argo.ctx.store.create(Kinds.Application, {
          metadata: { name: `app-${String(i).padStart(2, '0')}`, namespace: 'argocd', labels },
          spec: {
            project: 'default',
            source: { repoURL: 'http://git/x.git' },
            destination: { namespace: 'x' },
          },
        });
      }
      const recorder = new Recorder<ApplicationWatchEvent, Application>();
      const client = new HttpArgoCd(
        (argo.argocd as unknown as { http: ConstructorParameters<typeof HttpArgoCd>[0] }).http,
        { ...STREAMS, pages: { pageSize: 10, overlap: 0, maxRestarts: 0 } },
      );
      subscription = client
        .watch({ selector: 'platform-api/app', fields: ['metadata.labels'] })
        .subscribe((n) => recorder.take(n));
      await eventually(() => expect(recorder.pages.at(-1)?.last).toBe(true));
      expect(recorder.pages.map((p) => [p.items.length, p.first, p.last])).toEqual([
        [10, true, false],
        [10, false, false],
        [3, false, true],
      ]);
      expect(recorder.lastSnapshot((a) => a.metadata.name ?? '')).toEqual(
        Array.from({ length: 23 }, (_, i) => `app-${String(i).padStart(2, '0')}`),
      );
      expect(recorder.pages[0]?.items[0]).toEqual({
        metadata: expect.objectContaining({ name: 'app-00', labels }) as unknown,
      });
    });
  });
});
