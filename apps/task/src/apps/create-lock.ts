import { Inject, Injectable } from '@nestjs/common';
import { ConflictError } from '@platform/errors';
import { redisCall, type RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

const KEY_PREFIX = 'platform-api:task:create-lock:';
// Covers the checks and the submit; afterwards the unfinished create task itself claims the name.
const LOCK_MS = 30_000;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * One create or retire per app name at a time, across replicas: between "the name is free" (or
 * "the app is idle") and "the workflow exists" no other request may pass the same check.
 */
@Injectable()
export class CreateLock {
  constructor(@Inject(Redis) private readonly redis: RedisClient) {}

  /**
   * Runs `work` holding the name for `activity`; another request meanwhile is refused with what
   * the holder is doing (the lock's value is `<owner> <activity>`).
   */
  async hold<T>(app: string, work: () => Promise<T>, activity: 'create' | 'retire' = 'create'): Promise<T> {
    const key = KEY_PREFIX + app;
    const owner = `${randomUUID()} ${activity}`;
    const taken = await redisCall('lock the app name', () => this.redis.set(key, owner, 'PX', LOCK_MS, 'NX'));
    if (taken !== 'OK') {
      const holder = await redisCall('read the app name lock', () => this.redis.get(key));
      throw holder?.endsWith(' retire')
        ? new ConflictError(
            'APP_RETIRE_IN_PROGRESS',
            `another request is retiring app "${app}" right now; wait for its task`,
            { app },
          )
        : new ConflictError(
            'APP_CREATE_IN_PROGRESS',
            `another request is creating app "${app}" right now; wait for it or pick another name`,
            { app },
          );
    }
    try {
      return await work();
    } finally {
      await redisCall('unlock the app name', () => this.redis.eval(RELEASE, 1, key, owner)).catch(
        () => undefined,
      );
    }
  }
}
