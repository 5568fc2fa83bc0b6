import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ReadinessIndicator } from '../health/readiness-indicator';

/** Ready when Redis answers PING. */
@Injectable()
export class RedisReadiness extends ReadinessIndicator {
  readonly name = 'redis';

  constructor(private readonly redis: Redis) {
    super();
  }

  async check(): Promise<void> {
    await this.redis.ping();
  }
}
