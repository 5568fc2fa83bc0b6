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

  /** `activity` names the held work in the refusal of another request. */
  async hold<T>(app: string, work: () => Promise<T>, activity: 'create' | 'retire' = 'create'): Promise<T> {
    const key = KEY_PREFIX + app;
    const owner = randomUUID();
    const taken = await redisCall('lock the app name', () => this.redis.set(key, owner, 'PX', LOCK_MS, 'NX'));
    if (taken !== 'OK') {
      throw new ConflictError(
        activity === 'create' ? 'APP_CREATE_IN_PROGRESS' : 'APP_RETIRE_IN_PROGRESS',
        activity === 'create'
          ? `another request is creating app "${app}" right now; wait for it or pick another name`
          : `another request is retiring app "${app}" right now; wait for its task`,
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
