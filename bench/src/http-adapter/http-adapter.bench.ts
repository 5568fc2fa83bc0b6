import autocannon from 'autocannon';
import path from 'node:path';
import { startChildServer } from '../lib/child-server';
import { SseClients } from '../lib/sse-clients';
import { percentile, round, sortNumbers } from '../lib/stats';
import { printTable } from '../lib/table';

const SSE_CLIENTS = 1000;
const BROADCASTS = 100;
const BROADCAST_INTERVAL_MS = 20;

/**
 * Why the services run on Fastify: the same minimal Nest app on each adapter, measured for JSON
 * throughput (an app-list page under 32 connections) and SSE fan-out (1,000 clients, 100
 * broadcasts), each server in its own process.
 */
export async function httpAdapterBench(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  for (const adapter of ['express', 'fastify']) {
    const server = await startChildServer(path.join(__dirname, 'adapter-server.js'), [adapter]);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const json = await autocannon({ url: `${base}/items`, connections: 32, duration: 5 });
      const sse = await measureFanOut(base, server.next.bind(server), (m) => server.child.send(m));
      rows.push({
        adapter,
        'JSON req/s': Math.round(json.requests.average),
        'JSON p99 ms': json.latency.p99,
        'SSE deliveries': sse.deliveries,
        'SSE deliveries/s': Math.round(sse.perSecond),
        'SSE p50 ms': sse.p50,
        'SSE p99 ms': sse.p99,
      });
    } finally {
      await server.stop();
    }
  }
  printTable(
    `HTTP adapter: Nest on Express vs Fastify (JSON: 32 connections x 5 s; SSE: ${SSE_CLIENTS} clients x ${BROADCASTS} events)`,
    rows,
  );
}

type Next = <T extends object>(predicate: (message: T) => boolean, timeoutMs?: number) => Promise<T>;

async function measureFanOut(
  base: string,
  next: Next,
  send: (message: object) => void,
): Promise<{ deliveries: number; perSecond: number; p50: number; p99: number }> {
  const clients = new SseClients();
  clients.open(`${base}/events`, SSE_CLIENTS);
  await next<{ clients?: number }>((m) => m.clients === SSE_CLIENTS);
  const started = Date.now();
  send({ broadcast: { count: BROADCASTS, intervalMs: BROADCAST_INTERVAL_MS } });
  await next<{ broadcastDone?: boolean }>((m) => m.broadcastDone === true);
  const expected = SSE_CLIENTS * BROADCASTS;
  const deadline = Date.now() + 5000;
  while (clients.latenciesMs.length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsedS = (Date.now() - started) / 1000;
  clients.close();
  const sorted = sortNumbers(clients.latenciesMs);
  return {
    deliveries: sorted.length,
    perSecond: sorted.length / elapsedS,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
  };
}
