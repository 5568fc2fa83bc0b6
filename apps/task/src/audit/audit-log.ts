import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpMetrics, redisCall, type RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { TaskConfig } from '../config/task-config';
import type { AuditRecord } from './audit-record';

export const AUDIT_STREAM = 'platform-api:audit';

/**
 * Writes audit records to the JSON log (the durable trail, shipped with the logs) and to a capped
 * Redis stream (recent history any replica can query). A Redis outage must not fail the user's
 * request after the fact, so it only counts a metric and the log keeps the record.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');
  private readonly failures: Counter;

  constructor(
    @Inject(Redis) private readonly redis: RedisClient,
    private readonly config: TaskConfig,
    metrics: HttpMetrics,
  ) {
    this.failures = new Counter({
      name: 'audit_stream_write_failures_total',
      help: 'Audit records that reached the log but not the Redis stream',
      registers: [metrics.registry],
    });
  }

  async write(record: AuditRecord): Promise<void> {
    this.logger.log({ audit: record }, `audit ${record.action} ${record.outcome}`);
    try {
      await redisCall('write the audit record', () =>
        this.redis.xadd(
          AUDIT_STREAM,
          'MAXLEN',
          '~',
          this.config.auditStreamMaxLength,
          '*',
          'record',
          JSON.stringify(record),
        ),
      );
    } catch (error) {
      this.failures.inc();
      this.logger.warn(`audit record not written to Redis: ${(error as Error).message}`);
    }
  }
}
