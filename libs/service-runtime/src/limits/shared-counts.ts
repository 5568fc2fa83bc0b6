import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore';
import RedisStore from '@fastify/rate-limit/store/RedisStore';
import type { RedisClient } from '../redis/redis-client';

/** How long a count may wait for Redis before this replica counts on its own. */
export const REDIS_WAIT_MS = 200;
/** After Redis failed, how long the replica counts on its own before it asks Redis again. */
export const ALONE_FOR_MS = 5000;

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * Counts requests in Redis, so that every replica of a service spends one budget: the
 * plugin's RedisStore (one INCR + PEXPIRE script per request). When Redis fails or is slow, the
 * replica counts in its own memory (the plugin's LocalStore) for a while instead: limits hold per
 * replica during the outage (N replicas allow N times the budget) rather than either letting
 * every request through or refusing them all. `onAlone` is told each time that starts.
 */
export function sharedCountsStore(
  redis: RedisClient,
  keyPrefix: string,
  onAlone: (reason: Error) => void,
): FastifyRateLimitStoreCtor {
  const shared = new RedisStore(false, false, redis, keyPrefix);
  const local = new LocalStore(false, false, 10_000);
  let aloneUntil = 0;

  const incr = (key: string, callback: Callback, timeWindow: number, max: number): void => {
    if (Date.now() < aloneUntil) {
      local.incr(key, callback, timeWindow, max);
      return;
    }
    let settled = false;
    const countAlone = (reason: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      aloneUntil = Date.now() + ALONE_FOR_MS;
      onAlone(reason);
      local.incr(key, callback, timeWindow, max);
    };
    const timer = setTimeout(
      () => countAlone(new Error(`Redis did not answer within ${REDIS_WAIT_MS} ms`)),
      REDIS_WAIT_MS,
    );
    shared.incr(
      key,
      (error, result) => {
        if (error !== null) return countAlone(error);
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(null, result);
      },
      timeWindow,
      max,
    );
  };

  const store: FastifyRateLimitStore = { incr, child: () => store };
  // The plugin instantiates the class it is given; every instance is this one store.
  return function SharedCounts() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
}
