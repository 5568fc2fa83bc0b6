import { seedApps } from '@platform/sandbox';
import { startPlatform, until, type Platform } from './harness';
import { seededPods } from './seeded-pods';
import { SseClient, type SseEvent } from './sse-events';

const APP = 'app-00001';
const NS = 'payments-dev';

interface Line {
  pod: string;
  container: string;
  time: string;
  line: string;
}

const snapshotOf = (client: SseClient): { pods: string[]; lines: Line[] } | undefined =>
  client.events().find((e) => e.event === 'snapshot')?.data as { pods: string[]; lines: Line[] } | undefined;
const logsOf = (events: SseEvent[]): Line[] =>
  events.filter((e) => e.event === 'log').map((e) => e.data as Line);

describe('app logs stream: history per client and resilience of its pod watch (seeded app)', () => {
  let platform: Platform;
  let pods: Array<{ pod: string; container: string }>;

  beforeAll(async () => {
    platform = await startPlatform();
    await seedApps(platform.sandbox.ctx, { apps: 1, teams: ['payments'], podsPerApp: 2, workflowsPerApp: 0 });
    pods = seededPods(platform.sandbox, NS, APP);
    expect(pods).toHaveLength(2);
    // 30 lines of history per container, the first ten of them two hours old.
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const { pod, container } of pods) {
      for (let i = 0; i < 30; i += 1) {
        platform.sandbox.ctx.logs.append(
          NS,
          pod,
          container,
          `${pod} history ${i}`,
          i < 10 ? old : new Date(),
        );
      }
    }
  }, 60_000);
  afterAll(() => platform.stop());
  afterEach(() => platform.sandbox.ctx.faults.clear());

  const stream = (query: string): Promise<SseClient> =>
    SseClient.open(
      `${platform.base}/monitoring/v1/apps/${APP}/logs?${query}&access_token=${platform.tokens.alice}`,
    );
  const noTopicOpen = (): Promise<void> =>
    until(
      'the logs topic of earlier tests to close',
      () => platform.hub.peek(`logs:${APP}@dev:*`) === undefined,
    );
  const appendLive = (text: string): void => {
    for (const { pod, container } of pods)
      platform.sandbox.ctx.logs.append(NS, pod, container, `${pod} ${text}`);
  };

  it('gives the first client and a later one each exactly their own tail per container, then only live lines', async () => {
    await noTopicOpen();
    const first = await stream('tail=3');
    await first.waitForEvent((e) => e.event === 'snapshot');
    const second = await stream('tail=12');
    await second.waitForEvent((e) => e.event === 'snapshot');

    for (const [client, tail] of [
      [first, 3],
      [second, 12],
    ] as const) {
      const snapshot = snapshotOf(client);
      expect(new Set(snapshot?.pods)).toEqual(new Set(pods.map((p) => p.pod)));
      for (const { pod } of pods) {
        const expected = Array.from({ length: tail }, (_, i) => `${pod} history ${30 - tail + i}`);
        expect(snapshot?.lines.filter((l) => l.pod === pod).map((l) => l.line)).toEqual(expected);
      }
    }
    // History came in the snapshot only, not again as live lines.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(logsOf(first.events())).toEqual([]);

    appendLive('live after open');
    for (const client of [first, second]) {
      await client.raw.waitFor(() => logsOf(client.events()).length === 2);
      expect(
        logsOf(client.events())
          .map((l) => l.line)
          .sort(),
      ).toEqual(pods.map((p) => `${p.pod} live after open`).sort());
    }
    first.close();
    second.close();
  });

  it('cuts history by since as well as by tail', async () => {
    await noTopicOpen();
    const client = await stream('tail=100&since=600');
    await client.waitForEvent((e) => e.event === 'snapshot');
    for (const { pod } of pods) {
      const lines = snapshotOf(client)?.lines.filter((l) => l.pod === pod && l.line.includes('history'));
      // The ten two-hour-old lines are out; tail 100 leaves all twenty younger ones.
      expect(lines?.map((l) => l.line)).toEqual(
        Array.from({ length: 20 }, (_, i) => `${pod} history ${i + 10}`),
      );
    }
    client.close();
  });

  it('says reconnecting when its pod watch drops, then goes on without repeating a line', async () => {
    await noTopicOpen();
    const client = await stream('tail=5');
    await client.waitForEvent((e) => e.event === 'snapshot');
    appendLive('before the drop');
    await client.raw.waitFor(() => logsOf(client.events()).length === 2);
    await until('the log follows to be open', () =>
      platform.sandbox.ctx.faults.openStreams('kube').some((s) => s.path.includes('/log?')),
    );

    // Drop the pod watch and the log follows behind the topic, as a network cut would.
    const behindTopic = platform.sandbox.ctx.faults
      .openStreams('kube')
      .filter((s) => s.path.startsWith(`/api/v1/namespaces/${NS}/pods`));
    expect(behindTopic.some((s) => s.path.startsWith(`/api/v1/namespaces/${NS}/pods?`))).toBe(true);
    behindTopic.forEach((s) => s.drop());
    await client.waitForEvent((e) => e.event === 'reconnecting');

    appendLive('after the drop');
    await client.raw.waitFor(
      () => logsOf(client.events()).filter((l) => l.line.endsWith('after the drop')).length === 2,
      15_000,
    );
    const all = [...(snapshotOf(client)?.lines ?? []), ...logsOf(client.events())];
    const keys = all.map((l) => `${l.pod}|${l.container}|${l.time}|${l.line}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(client.events().filter((e) => e.event === 'snapshot')).toHaveLength(1);
    client.close();
  }, 40_000);
});
