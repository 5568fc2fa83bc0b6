import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeConfig } from '../config/service-env';
import { HttpMetrics } from '../metrics/http-metrics';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import { NotFoundError, UpstreamUnavailableError } from '@platform/errors';
import { accessRecheck } from './access-recheck';
import { SseStreams } from './sse-streams';

const HEARTBEAT_MS = 200;
const RECHECK_MS = 300;

describe(SseStreams.name, () => {
  let streams: SseStreams;
  let server: http.Server;
  let base: string;
  let deadlines: Map<string, number>;
  let allowed: Map<string, () => Promise<void>>;

  beforeEach(async () => {
    streams = new SseStreams(
      { sseHeartbeatMs: HEARTBEAT_MS, sseAccessRecheckMs: RECHECK_MS } as RuntimeConfig,
      new HttpMetrics('sse-test'),
      new ShutdownCoordinator(),
    );
    deadlines = new Map();
    allowed = new Map();
    server = http.createServer((req, res) => {
      const closeAt = deadlines.get(req.url ?? '');
      const authorize = allowed.get(req.url ?? '');
      streams.start(res, '/test', undefined, {
        closeAt,
        closeWith: { event: 'unauthorized', data: { message: 'expired' } },
        recheck: authorize === undefined ? undefined : accessRecheck(authorize),
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    streams.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends every stream its heartbeats from one timer for all of them', async () => {
    const timersBefore = timerCount();
    const readers = await Promise.all(Array.from({ length: 20 }, () => read(`${base}/a`)));
    expect(timerCount() - timersBefore).toBeLessThanOrEqual(1);
    await sleep(HEARTBEAT_MS * 4);
    for (const reader of readers) {
      // Due every interval, sent up to a tick early: at least 3 in 4 intervals.
      expect(reader.heartbeats()).toBeGreaterThanOrEqual(3);
      reader.stop();
    }
  });

  it('ends a stream with its last event once its deadline passes', async () => {
    deadlines.set('/expiring', Date.now() + 150);
    const expiring = await read(`${base}/expiring`);
    const other = await read(`${base}/other`);
    await expiring.ended;
    expect(expiring.text()).toContain('event: unauthorized\ndata: {"message":"expired"}');
    expect(other.text()).not.toContain('unauthorized');
    expect(streams.count).toBe(1);
    other.stop();
  });

  it("closes a stream with `forbidden` once a re-check refuses, and keeps it while the check's upstream is away", async () => {
    let team = 'payments';
    let upstreamAway = true;
    let checks = 0;
    allowed.set('/app', () => {
      checks += 1;
      if (upstreamAway) {
        return Promise.reject(
          new UpstreamUnavailableError('ARGO_CD_UNAVAILABLE', 'down', 1, { upstream: 'ARGO_CD' }),
        );
      }
      if (team !== 'payments')
        return Promise.reject(new NotFoundError('APP_NOT_FOUND', 'app "shop" not found'));
      return Promise.resolve();
    });
    const reader = await read(`${base}/app`);
    await waitFor(() => checks >= 2);
    expect(streams.count).toBe(1);
    upstreamAway = false;
    const checked = checks;
    await waitFor(() => checks > checked);
    expect(reader.text()).not.toContain('forbidden');
    team = 'content';
    await reader.ended;
    expect(reader.text()).toContain(
      'event: forbidden\ndata: {"message":"you may no longer see what this stream shows; it is closed"}',
    );
    expect(streams.count).toBe(0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

interface Reader {
  text(): string;
  heartbeats(): number;
  ended: Promise<void>;
  stop(): void;
}

function read(url: string): Promise<Reader> {
  return new Promise((resolve, reject) => {
    let text = '';
    let beats = 0;
    const req = http.get(url, (res) => {
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => res.on('end', done));
      res.on('data', (chunk: string) => {
        text += chunk;
        if (chunk.startsWith(':')) beats += 1;
      });
      resolve({ text: () => text, heartbeats: () => beats, ended, stop: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

function timerCount(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
