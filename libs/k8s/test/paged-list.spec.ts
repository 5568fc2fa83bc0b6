import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { Kinds, realTool, type KubeObject } from '@platform/sandbox';
import type { ObjectEvent, WatchNotice } from '@platform/watch';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Subscription } from 'rxjs';
import { podsResource } from '../src/resources';
import { watchResource } from '../src/watch-resource';
import { eventually, startSandboxKube, type SandboxKube } from './sandbox-kube';

type Page = Extract<WatchNotice<ObjectEvent<V1Pod>, V1Pod>, { kind: 'snapshot-page' }>;

describe('paged lists', () => {
  let kube: SandboxKube;
  let subscription: Subscription | undefined;

  beforeEach(async () => {
    kube = await startSandboxKube();
    kube.ctx.store.create(Kinds.Namespace, { metadata: { name: 'shop' } });
    for (let i = 0; i < 23; i += 1) kube.ctx.store.create(Kinds.Pod, pod(`p${String(i).padStart(2, '0')}`));
  });
  afterEach(async () => {
    subscription?.unsubscribe();
    await kube.close();
  });

  function pod(name: string): KubeObject {
    return {
      metadata: { name, namespace: 'shop', labels: { app: 'shop' } },
      spec: { containers: [{ name: 'main', image: 'x' }] },
    };
  }
  const names = (pages: Page[]): string[] => pages.flatMap((p) => p.items.map((i) => i.metadata?.name ?? ''));

  describe('the sandbox pages like an API server', () => {
    it('answers client-node list calls with limit and continue, and 410 Expired for a compacted token', async () => {
      const api = kube.kc.makeApiClient(CoreV1Api);
      const first = await api.listNamespacedPod({ namespace: 'shop', limit: 10 });
      expect(first.items).toHaveLength(10);
      expect(first.metadata?.remainingItemCount).toBe(13);
      const token = first.metadata?._continue ?? '';
      expect(token).not.toBe('');
      const second = await api.listNamespacedPod({ namespace: 'shop', limit: 10, _continue: token });
      expect(second.items.map((p) => p.metadata?.name)).toEqual(
        Array.from({ length: 10 }, (_, i) => `p${String(i + 10).padStart(2, '0')}`),
      );
      // Every page of one list is read at the first page's version.
      expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
      kube.ctx.store.expireHistory();
      const expired = await api.listNamespacedPod({ namespace: 'shop', limit: 10, _continue: token }).then(
        () => undefined,
        (error: { code?: number; body?: string }) => error,
      );
      expect(expired?.code).toBe(410);
      expect(JSON.parse(expired?.body ?? '{}')).toMatchObject({
        kind: 'Status',
        reason: 'Expired',
        code: 410,
      });
    });

    it('serves kubectl --chunk-size page by page', async () => {
      const kubectl = await realTool('kubectl');
      const { stdout, stderr } = await promisify(execFile)(
        kubectl,
        [
          '--kubeconfig',
          kube.kubeconfigPath,
          'get',
          'pods',
          '-n',
          'shop',
          '--chunk-size=5',
          '-o',
          'name',
          '-v=6',
        ],
        { encoding: 'utf8' },
      );
      expect(stdout.trim().split('\n')).toHaveLength(23);
      // -v=6 logs each request's URL (`url="https://.../pods?continue=...&limit=5"`).
      const requests = stderr
        .split('\n')
        .filter((line) => line.includes('/namespaces/shop/pods?') && line.includes('limit=5'));
      expect(requests).toHaveLength(5);
      expect(requests.slice(1).every((line) => line.includes('continue='))).toBe(true);
    });
  });

  describe(watchResource.name, () => {
    function watch(pageSize: number, onPage: (page: Page, pages: Page[]) => void = () => undefined): Page[] {
      const pages: Page[] = [];
      subscription = watchResource(kube.kc, podsResource(kube.kc, 'shop'), {
        labelSelector: 'app=shop',
        pageSize,
        backoff: { initialMs: 20, maxMs: 100 },
      }).subscribe((notice) => {
        if (notice.kind !== 'snapshot-page') return;
        pages.push(notice);
        onPage(notice, pages);
      });
      return pages;
    }

    it('lists in pages of pageSize, the first and the last marked', async () => {
      const pages = watch(10);
      await eventually(() => expect(pages.at(-1)?.last).toBe(true));
      expect(pages.map((p) => [p.items.length, p.first, p.last])).toEqual([
        [10, true, false],
        [10, false, false],
        [3, false, true],
      ]);
      expect(new Set(names(pages)).size).toBe(23);
    });

    it('lists again from scratch when the continue token expired mid-way (410), as a new first page', async () => {
      const pages = watch(10, (_page, all) => {
        // The history is compacted while the consumer holds the first page: the next request's
        // token is too old.
        if (all.length === 1) kube.ctx.store.expireHistory();
      });
      await eventually(() => expect(pages.at(-1)?.last).toBe(true));
      expect(pages.map((p) => p.first)).toEqual([true, true, false, false]);
      expect(pages[1]?.reason).toContain('continue token expired (410)');
      expect(new Set(names(pages.slice(1))).size).toBe(23);
    });

    it('follows changes made while the pages were read (it watches from the first page version)', async () => {
      const pages: Page[] = [];
      const events: string[] = [];
      subscription = watchResource(kube.kc, podsResource(kube.kc, 'shop'), {
        labelSelector: 'app=shop',
        pageSize: 10,
      }).subscribe((notice) => {
        if (notice.kind === 'event')
          events.push(`${notice.event.type} ${notice.event.object.metadata?.name ?? ''}`);
        if (notice.kind !== 'snapshot-page') return;
        pages.push(notice);
        if (pages.length === 1) {
          kube.ctx.store.create(Kinds.Pod, pod('zz-late'));
          kube.ctx.store.delete(Kinds.Pod, 'shop', 'p22');
        }
      });
      await eventually(() => expect(events).toEqual(['ADDED zz-late', 'DELETED p22']));
      // The continued pages show the list as it was at the first page, as etcd does.
      expect(names(pages)).toContain('p22');
      expect(names(pages)).not.toContain('zz-late');
    });
  });
});
