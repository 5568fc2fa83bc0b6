import type { AppStatus } from '@platform/domain';
import { Kinds, seedApps, type KubeObject } from '@platform/sandbox';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './browser/chromium';
import { startCuttingProxy, type CuttingProxy } from './browser/cutting-proxy';
import { EVENT_SOURCE_PAGE, type SeenEvent } from './browser/event-source-page';
import { startPlatform, submitTemplate, taskLabels, until, type Platform } from './harness';

const APP = 'app-00001';
const QUIET = 'app-00002';
const NS = 'payments-dev';
const RETRY_MS = 200;

/** What the page's EventSource has recorded so far. */
const seenIn = (page: Page): Promise<SeenEvent[]> => page.evaluate<SeenEvent[]>('window.seen');
const topicOf = (e: SeenEvent): string => (JSON.parse(e.data ?? '{}') as { topic: string }).topic;
const dataOf = <T>(e: SeenEvent): T => (JSON.parse(e.data ?? 'null') as { data: T }).data;

/**
 * A real browser's EventSource (Debian's Chromium driven by playwright-core) against the streams,
 * through a proxy that cuts the connection every few events: the browser reconnects by itself with
 * its Last-Event-ID, exactly as a portal page does.
 */
(chromiumAvailable() ? describe : describe.skip)(
  'Chromium EventSource through a proxy that cuts the connection',
  () => {
    let platform: Platform;
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    const proxies: CuttingProxy[] = [];

    beforeAll(async () => {
      platform = await startPlatform({
        sandbox: { speed: 5, workflowController: { pendingMs: 2000 } },
        env: { STREAM_RETRY_MS: String(RETRY_MS), STREAM_GRACE_MS: '10000' },
      });
      await seedApps(platform.sandbox.ctx, {
        apps: 2,
        teams: ['payments'],
        podsPerApp: 1,
        workflowsPerApp: 1,
      });
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      for (const proxy of proxies) await proxy.close();
      await platform?.stop();
    });

    async function open(stream: string, cut: { cutEvery: number; maxCuts: number }): Promise<CuttingProxy> {
      const proxy = await startCuttingProxy(platform.base, EVENT_SOURCE_PAGE, cut);
      proxies.push(proxy);
      const url = `${stream}${stream.includes('?') ? '&' : '?'}access_token=${platform.tokens.alice}`;
      await browser.page.goto(`${proxy.origin}/page.html?stream=${encodeURIComponent(url)}`);
      return proxy;
    }

    it('resumes a multiplexed stream after every cut: each id once, in order, no second snapshot of any topic', async () => {
      const topics = [`status:${APP}`, `events:${APP}`, `status:${QUIET}`];
      const proxy = await open(`/monitoring/v1/stream?topics=${topics.join(',')}`, {
        cutEvery: 3,
        maxCuts: 5,
      });
      const page = browser.page;
      const events = async (): Promise<SeenEvent[]> =>
        (await seenIn(page)).filter((e) => e.type !== 'open' && e.type !== 'error');
      await until(
        'three snapshots',
        async () => (await events()).filter((e) => e.type === 'snapshot').length === 3,
      );

      // One change at a time, each awaited in the browser, until every cut has happened.
      const pod = platform.sandbox.ctx.store
        .list(Kinds.Pod, { namespace: NS })
        .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`)) as KubeObject;
      const emitted: string[] = [];
      for (let n = 1; proxy.cuts() < 5 || n <= 4; n += 1) {
        expect(n).toBeLessThan(40);
        if (n % 2 === 0) {
          platform.sandbox.ctx.events.record(pod, 'Normal', `Browser${n}`, `change ${n}`, 'kubelet');
        } else {
          platform.sandbox.ctx.store.mutate(Kinds.Application, 'argocd', `${APP}-dev`, (app) => {
            (app.status as { sync: { revision?: string } }).sync.revision = `rev-${n}`;
          });
        }
        emitted.push(n % 2 === 0 ? `Browser${n}` : `rev-${n}`);
        const label = emitted.at(-1) ?? '';
        await until(`the browser to get ${label}`, async () =>
          (await events()).some((e) => (e.data ?? '').includes(`"${label}"`)),
        );
      }
      const seen = await events();

      // Each cut made the browser reconnect, sending the id of the last whole event it had.
      expect(proxy.cuts()).toBe(5);
      expect(proxy.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(proxy.requests[0]?.lastEventId).toBeUndefined();
      for (const request of proxy.requests.slice(1)) expect(request.lastEventId).toMatch(/^m1~/);

      // Every event id once; every change once, in the order it was made.
      const ids = seen.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const changes = seen.flatMap((e) => {
        if (e.type === 'status') return [dataOf<AppStatus>(e).sync.revision ?? ''];
        if (e.type === 'event') return [dataOf<{ reason: string }>(e).reason];
        return [];
      });
      expect(changes.filter((c) => c.startsWith('rev-') || c.startsWith('Browser'))).toEqual(emitted);
      // One snapshot per topic, the quiet one included: a later one only after its upstream relisted.
      for (const topic of topics) {
        const ofTopic = seen.filter((e) => topicOf(e) === topic);
        expect({ topic, first: ofTopic[0]?.type }).toEqual({ topic, first: 'snapshot' });
        ofTopic.forEach((e, i) => {
          if (i > 0 && e.type === 'snapshot') expect(ofTopic[i - 1]?.type).toBe('reconnecting');
        });
      }
      expect(await page.evaluate<number>('window.source.readyState')).toBe(1);
    }, 120_000);

    it('after a task stream’s complete, the reconnect gets 204 and the EventSource closes for good', async () => {
      const id = await submitTemplate(
        platform.sandbox,
        'create-app',
        { app: 'shop', team: 'payments', template: 'node-service', values: 'PORT=8081\nGREETING=hi' },
        taskLabels('shop', 'payments', 'create'),
      );
      const proxy = await open(`/monitoring/v1/tasks/${id}/stream`, { cutEvery: 4, maxCuts: 4 });
      const page = browser.page;
      await until(
        'the EventSource to close',
        async () => (await page.evaluate<number>('window.source.readyState')) === 2,
        120_000,
      );
      const seen = await seenIn(page);
      const events = seen.filter((e) => e.type !== 'open' && e.type !== 'error');

      expect(proxy.cuts()).toBe(4);
      expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('complete');
      // After the snapshot, positions 1, 2, 3... of the task's log: nothing twice, nothing skipped.
      const [first, ...rest] = events.map((e) => Number(e.id.split('.')[1]));
      expect(rest).toEqual(rest.map((_, i) => (first ?? 0) + i + 1));
      const endId = events.at(-1)?.id ?? '';
      expect(endId).toMatch(/\.end$/);

      // The browser came back once more, with the complete's id, and was told 204: it stopped.
      const last = proxy.requests.at(-1);
      expect(last).toEqual({
        path: expect.stringContaining(`/tasks/${id}/stream`),
        lastEventId: endId,
        status: 204,
      });
      expect(proxy.requests).toHaveLength(4 + 2);
      expect(seen.at(-1)).toEqual({ type: 'error', id: '', data: null, readyState: 2 });
      // Many retry intervals later it still has not come back.
      await new Promise((resolve) => setTimeout(resolve, 10 * RETRY_MS));
      expect(proxy.requests).toHaveLength(4 + 2);
    }, 150_000);
  },
);
