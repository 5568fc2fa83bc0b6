import { Inject, Injectable } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { ReadinessIndicator } from '../health/readiness-indicator';
import type { RedisClient } from './redis-client';

/**
 * Ready when Redis answers: PING for one server (through Sentinel, the current master); for a
 * Cluster, a node must report `cluster_state:ok`, since a node answers PING even while some slots
 * have no master and commands on them fail.
 */
@Injectable()
export class RedisReadiness extends ReadinessIndicator {
  readonly name = 'redis';

  constructor(@Inject(Redis) private readonly redis: RedisClient) {
    super();
  }

  async check(): Promise<void> {
    if (!(this.redis instanceof Cluster)) {
      await this.redis.ping();
      return;
    }
    const info = await this.redis.cluster('INFO');
    const state = /^cluster_state:(\w+)/m.exec(info)?.[1];
    if (state !== 'ok') throw new Error(`Redis Cluster reports cluster_state:${state ?? 'unknown'}`);
  }
}
