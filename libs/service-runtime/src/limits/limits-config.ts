import { getHeapStatistics } from 'node:v8';
import type { LimitsEnv } from '../config/limits-env';
import type { RouteClass } from './route-policy';

/** Requests per window for each route class; undefined: not rate-limited (benchmarks). */
export interface RateLimits {
  /** Of the Redis keys: `<keyPrefix><service>:<route class>:<caller>`. */
  keyPrefix: string;
  windowSeconds: number;
  perClass: Readonly<Record<RouteClass, number>>;
}

/** When the process sheds load; 0 turns a threshold off. */
export interface LoadSheddingLimits {
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
}

/** What one caller may ask of a service, read from {@link LimitsEnv}. */
export interface LimitsConfig {
  rate?: RateLimits;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  streamsPerUser: number;
  loadShedding: LoadSheddingLimits;
}

export function limitsConfig(env: LimitsEnv): LimitsConfig {
  return {
    rate: env.RATE_LIMIT_ENABLED
      ? {
          keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
          windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
          perClass: {
            read: env.RATE_LIMIT_READS,
            mutation: env.RATE_LIMIT_MUTATIONS,
            stream: env.RATE_LIMIT_STREAM_OPENS,
            'stream-ticket': env.RATE_LIMIT_STREAM_TICKETS,
          },
        }
      : undefined,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    streamsPerUser: env.STREAMS_PER_USER,
    loadShedding: {
      maxEventLoopDelayMs: env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
      // Of the heap V8 may grow to (--max-old-space-size, or what it chose for the machine).
      maxHeapUsedBytes: Math.floor(
        (getHeapStatistics().heap_size_limit * env.LOAD_SHED_MAX_HEAP_PERCENT) / 100,
      ),
    },
  };
}
