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

/** Every line a client has: its snapshot's, then the live ones. */
const linesOf = (events: SseEvent[]): Line[] => [
  ...((events.find((e) => e.event === 'snapshot')?.data as { lines: Line[] } | undefined)?.lines ?? []),
  ...events.filter((e) => e.event === 'log').map((e) => e.data as Line),
];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The merged logs of an app whose pods write lines steadily, read by plain, `container=` and
 * `since=` clients while the upstream log follows are cut (they resume with `sinceTime`, which the
 * API server cuts to its second, so that second comes again): every line written after the clients
 * joined reaches each client exactly once, and the API server sees one follow per container.
 */
describe('app logs stream: every line exactly once, one upstream follow per container', () => {
  let platform: Platform;
  let pods: Array<{ pod: string; container: string }>;

  beforeAll(async () => {
    platform = await startPlatform();
    await seedApps(platform.sandbox.ctx, { apps: 1, teams: ['payments'], podsPerApp: 3, workflowsPerApp: 0 });
    pods = seededPods(platform.sandbox, NS, APP);
    expect(pods).toHaveLength(3);
  }, 60_000);
  afterAll(() => platform.stop());

  it('delivers each line once to every kind of client across dropped follows', async () => {
    const container = pods[0]?.container ?? '';
    const open = (query: string): Promise<SseClient> =>
      SseClient.open(
        `${platform.base}/monitoring/v1/apps/${APP}/logs?${query}&access_token=${platform.tokens.alice}`,
      );
    const clients = await Promise.all([
      open('tail=0'),
      open('tail=0'),
      open(`tail=0&container=${container}`),
      open('tail=0&since=60'),
    ]);
    await Promise.all(clients.map((c) => c.waitForEvent((e) => e.event === 'snapshot')));
    await until('one follow per container', () => follows() === pods.length);

    // 40 lines per pod, 5 ms apart (several per sandbox millisecond at times), follows cut twice.
    let written = 0;
    for (let i = 0; i < 40; i += 1) {
      for (const { pod, container: name } of pods)
        platform.sandbox.ctx.logs.append(NS, pod, name, `${pod} line ${i}`);
      written += pods.length;
      if (i === 12 || i === 27) dropFollows();
      await sleep(5);
    }
    for (const client of clients)
      await client.raw.waitFor(() => linesOf(client.events()).length >= written, 20_000);
    await sleep(1500);

    const expected = pods
      .flatMap(({ pod }) => Array.from({ length: 40 }, (_, i) => `${pod} line ${i}`))
      .sort();
    for (const client of clients)
      expect(
        linesOf(client.events())
          .map((l) => l.line)
          .sort(),
      ).toEqual(expected);
    // Plain, container= and since= clients all share the one follow per container.
    expect(follows()).toBe(pods.length);
    clients.forEach((c) => c.close());
  }, 60_000);

  function follows(): number {
    return platform.sandbox.ctx.faults
      .openStreams('kube')
      .filter((s) => s.path.includes('/log?') && s.path.includes('follow=true')).length;
  }

  function dropFollows(): void {
    platform.sandbox.ctx.faults
      .openStreams('kube')
      .filter((s) => s.path.includes('/log?'))
      .forEach((s) => s.drop());
  }
});
