import underPressure from '@fastify/under-pressure';
import { ServiceUnavailableError } from '@platform/errors';
import type { FastifyInstance } from 'fastify';
import type { LoadSheddingLimits } from './limits-config';
import type { LoadState } from './load-state';
import { routePolicyOf } from './route-policy';

/** How often the event-loop delay and the heap are sampled (the delay is the mean over it). */
export const LOAD_SAMPLE_MS = 1000;
/** What an overloaded replica suggests: by then the load balancer has taken it out of rotation. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 5;

/**
 * Load shedding with @fastify/under-pressure: while the mean event-loop delay or the heap in use
 * is beyond its threshold, business requests are answered 503 OVERLOADED with Retry-After at
 * once, before authentication or body parsing, instead of queueing behind the work that is
 * already late; health, metrics and docs still answer, and readiness reports the overload.
 */
export async function registerLoadShedding(
  fastify: FastifyInstance,
  limits: LoadSheddingLimits,
  state: LoadState,
): Promise<void> {
  await fastify.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    maxHeapUsedBytes: limits.maxHeapUsedBytes,
    sampleInterval: LOAD_SAMPLE_MS,
    pressureHandler: (request) => {
      if (routePolicyOf(request).auth === 'public') return undefined;
      const why = state.overload() ?? 'it is overloaded';
      return Promise.reject(
        new ServiceUnavailableError(
          'OVERLOADED',
          `this replica cannot take more requests right now (${why}); try again in ${OVERLOADED_RETRY_AFTER_SECONDS} s`,
          OVERLOADED_RETRY_AFTER_SECONDS,
        ),
      );
    },
  });
  state.attach(fastify);
}
