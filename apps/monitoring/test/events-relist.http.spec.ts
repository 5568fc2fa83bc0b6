import { Kinds, seedApps, type KubeObject } from '@platform/sandbox';
import { startPlatform, type Platform } from './harness';
import { SseClient, type SseEvent } from './sse-events';

const APP = 'app-00001';
const NS = 'payments-dev';

describe('events stream: periodic relist catches events a live-looking watch lost', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({
      // Bookmarks move the watch past what it lost, so a resume cannot bring it back.
      sandbox: { bookmarkIntervalMs: 200 },
      env: { EVENTS_RELIST_INTERVAL_MS: '1500' },
    });
    await seedApps(platform.sandbox.ctx, { apps: 1, teams: ['payments'], podsPerApp: 1, workflowsPerApp: 0 });
  });
  afterAll(() => platform.stop());

  it('delivers an event the watch silently dropped, once, without a new snapshot', async () => {
    const client = await SseClient.open(
      `${platform.base}/monitoring/v1/apps/${APP}/events?access_token=${platform.tokens.alice}`,
    );
    await client.waitForEvent((e) => e.event === 'snapshot');
    const pod = platform.sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.find((p) => (p.metadata.name ?? '').startsWith(`${APP}-`)) as KubeObject;

    platform.sandbox.ctx.faults.set('kube', { dropWatchEvents: true });
    platform.sandbox.ctx.events.record(pod, 'Warning', 'BackOff', 'lost by the watch', 'kubelet');
    const lost = (e: SseEvent): boolean =>
      e.event === 'event' && (e.data as { message: string }).message === 'lost by the watch';
    // The watch delivers nothing while the fault lasts: only the relist can bring it.
    await client.waitForEvent(lost, 10_000);
    platform.sandbox.ctx.faults.clear();

    // Later relists and the healed watch do not send it again.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const events = client.events();
    expect(events.filter(lost)).toHaveLength(1);
    expect(events.filter((e) => e.event === 'snapshot')).toHaveLength(1);
    const uids = events.filter((e) => e.event === 'event').map((e) => JSON.stringify(e.data));
    expect(new Set(uids).size).toBe(uids.length);
    client.close();
  }, 30_000);
});
