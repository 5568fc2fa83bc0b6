/**
 * The limits a benchmark's services run with: none that could bite. A benchmark measures what a
 * service can do, with one token for thousands of requests and clients, which the defaults (made
 * for one person's portal) would rightly refuse; a load-shedding replica would measure its own
 * 503s. Production keeps the defaults (README, "Limits").
 */
export const BENCH_LIMITS_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_ENABLED: 'false',
  STREAMS_PER_USER: '100000',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_HEAP_PERCENT: '0',
};

/** The monitoring service's limit of its own: distinct topics per user. */
export const BENCH_MONITORING_LIMITS_ENV: Readonly<Record<string, string>> = {
  ...BENCH_LIMITS_ENV,
  STREAM_TOPICS_PER_USER: '10000',
};
