import { RequestContext } from '../logging/request-context';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus registry of one service instance: process metrics plus per-route request counts
 * and latency. A registry per app (not prom-client's global one) lets tests run several apps in
 * one process.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status_code'>;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  readonly openStreams: Gauge<'route'>;
  readonly upstreamDuration: Histogram<'upstream' | 'method' | 'outcome'>;
  readonly refusals: Counter<'status_code' | 'code'>;

  constructor(serviceName: string) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency, by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.openStreams = new Gauge({
      name: 'sse_open_streams',
      help: 'Server-Sent Event streams currently open, by route template',
      labelNames: ['route'],
      registers: [this.registry],
    });
    this.upstreamDuration = new Histogram({
      name: 'upstream_request_duration_seconds',
      help: 'Calls to upstream servers (retries included), by upstream, method and outcome',
      labelNames: ['upstream', 'method', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'http_requests_refused_total',
      help: 'Requests refused by a limit or for want of capacity (413, 429, 503), by status and error code (e.g. RATE_LIMITED, TOO_MANY_STREAMS, OVERLOADED, REQUEST_TIMEOUT)',
      labelNames: ['status_code', 'code'],
      registers: [this.registry],
    });
  }

  /** One call to Argo, Argo CD, git or Kubernetes, also counted against the current request. */
  observeUpstream(call: { upstream: string; method: string; outcome: string; seconds: number }): void {
    this.upstreamDuration.observe(
      { upstream: call.upstream, method: call.method, outcome: call.outcome },
      call.seconds,
    );
    RequestContext.recordUpstream(call.seconds);
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
