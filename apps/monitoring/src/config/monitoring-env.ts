import {
  EnvDoc,
  RedisServiceEnv,
  WithArgoCd,
  WithArgoWorkflows,
  WithKubernetes,
  WithUpstreamTimeouts,
} from '@platform/service-runtime';
import { IsInt, IsString, Max, Min, MinLength, ValidateIf } from 'class-validator';

/**
 * Environment of the monitoring service: its three upstreams, how its streams behave, and an
 * optional Redis, where its replicas count their rate limits together (without one each replica
 * counts alone).
 */
export class MonitoringEnv extends WithUpstreamTimeouts(
  WithKubernetes(WithArgoCd(WithArgoWorkflows(RedisServiceEnv))),
) {
  static override readonly redisOptional = true;

  override PORT = 3002;
  override ROUTE_PREFIX = '/monitoring/v1';

  @EnvDoc('Reconnect delay suggested to browsers in the `retry:` field of every stream')
  @IsInt({ message: 'STREAM_RETRY_MS must be an integer' })
  @Min(100, { message: 'STREAM_RETRY_MS must be between 100 and 60000' })
  @Max(60_000, { message: 'STREAM_RETRY_MS must be between 100 and 60000' })
  STREAM_RETRY_MS: number = 3000;

  @EnvDoc(
    'How long an upstream watch stays open after its last client left, so a reload reuses it (and resumes)',
  )
  @IsInt({ message: 'STREAM_GRACE_MS must be an integer' })
  @Min(0, { message: 'STREAM_GRACE_MS must be >= 0' })
  STREAM_GRACE_MS: number = 10_000;

  @EnvDoc(
    "How long a long-poll client's topics are held after each answer, so its next poll resumes from its cursor",
  )
  @IsInt({ message: 'STREAM_POLL_HOLD_MS must be an integer' })
  @Min(0, { message: 'STREAM_POLL_HOLD_MS must be >= 0' })
  STREAM_POLL_HOLD_MS: number = 15_000;

  @EnvDoc('Events each shared stream keeps for Last-Event-ID resumes; older cursors get a snapshot')
  @IsInt({ message: 'STREAM_REPLAY_EVENTS must be an integer' })
  @Min(10, { message: 'STREAM_REPLAY_EVENTS must be >= 10' })
  STREAM_REPLAY_EVENTS: number = 2000;

  @EnvDoc('Bytes that may wait for one slow client before it gets an `overflow` event and is closed')
  @IsInt({ message: 'STREAM_CLIENT_BUFFER_BYTES must be an integer' })
  @Min(4096, { message: 'STREAM_CLIENT_BUFFER_BYTES must be >= 4096' })
  STREAM_CLIENT_BUFFER_BYTES: number = 1024 * 1024;

  @EnvDoc(
    'Interval at which each namespace events watch is checked against a fresh list; events it lost while still looking alive are then delivered',
  )
  @IsInt({ message: 'EVENTS_RELIST_INTERVAL_MS must be an integer' })
  @Min(1000, { message: 'EVENTS_RELIST_INTERVAL_MS must be >= 1000' })
  EVENTS_RELIST_INTERVAL_MS: number = 180_000;

  @EnvDoc(
    'Secret (at least 32 characters) every replica shares to seal and open stream tickets; required with NODE_ENV=production (without it a ticket opens streams only on the replica that issued it)',
  )
  @ValidateIf((env: MonitoringEnv) => env.NODE_ENV === 'production' || env.STREAM_TICKET_SECRET !== undefined)
  @IsString({
    message:
      'STREAM_TICKET_SECRET is required with NODE_ENV=production: a secret of at least 32 characters, the same for every replica',
  })
  @MinLength(32, { message: 'STREAM_TICKET_SECRET must be at least 32 characters' })
  STREAM_TICKET_SECRET?: string;

  @EnvDoc(
    "Distinct topics (each an upstream watch: an app's status, events, logs of one container, a task) one user may watch at once on one replica, across all their streams; one more is refused with 429 TOO_MANY_TOPICS",
  )
  @IsInt({ message: 'STREAM_TOPICS_PER_USER must be an integer' })
  @Min(1, { message: 'STREAM_TOPICS_PER_USER must be between 1 and 10000' })
  @Max(10_000, { message: 'STREAM_TOPICS_PER_USER must be between 1 and 10000' })
  STREAM_TOPICS_PER_USER: number = 40;
}
