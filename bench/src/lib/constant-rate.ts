import http from 'node:http';
import { percentile, sortNumbers } from './stats';

export interface RateResult {
  sent: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Latency at a steady request rate (open loop, like wrk2): one request every 1000/rate ms on
 * keep-alive connections, each timed from when it was due, so a stall delays and counts every
 * request behind it instead of hiding them. autocannon's `overallRate` instead lets each
 * connection fire its whole share of a second back to back at the start of that second: bursts
 * of queued requests, which measures the burst more than the rate.
 */
export async function atConstantRate(
  url: string,
  headers: Record<string, string>,
  options: { rate: number; seconds: number; maxSockets?: number },
): Promise<RateResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.get(url, { agent, headers }, (res) => {
          if (res.statusCode !== 200) errors += 1;
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            resolve();
          });
        });
        req.on('error', () => {
          errors += 1;
          resolve();
        });
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = sortNumbers(latencies);
  return { sent: total, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors };
}
