import { IsDefined, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { EnvDoc } from './env-doc';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The environment every service reads. Each app extends it with its own keys and sets its own
 * defaults for PORT and ROUTE_PREFIX.
 */
export class ServiceEnv {
  @EnvDoc('TCP port the HTTP server listens on')
  @IsInt({ message: 'PORT must be an integer' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  PORT!: number;

  @EnvDoc('Address the HTTP server binds to')
  @IsString()
  HOST: string = '0.0.0.0';

  @EnvDoc('Path prefix of every business route, the one the Ingress routes to this service')
  @Matches(/^(\/[a-z0-9][a-z0-9._-]*)+$/, {
    message: 'ROUTE_PREFIX must be a path like /task/v1 (lowercase segments, no trailing slash)',
  })
  ROUTE_PREFIX!: string;

  @EnvDoc('Minimum level of the JSON log lines')
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @EnvDoc(
    'On SIGTERM, how long readiness reports false before the server stops accepting (lets the load balancer notice)',
  )
  @IsInt({ message: 'SHUTDOWN_DRAIN_MS must be an integer' })
  @Min(0, { message: 'SHUTDOWN_DRAIN_MS must be >= 0' })
  SHUTDOWN_DRAIN_MS: number = 5000;

  @EnvDoc('On SIGTERM, the longest the process waits for open requests before it exits anyway')
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer' })
  @Min(100, { message: 'SHUTDOWN_TIMEOUT_MS must be >= 100' })
  SHUTDOWN_TIMEOUT_MS: number = 20000;

  @EnvDoc('Interval of the comment heartbeat on Server-Sent Event streams')
  @IsInt({ message: 'SSE_HEARTBEAT_MS must be an integer' })
  @Min(100, { message: 'SSE_HEARTBEAT_MS must be >= 100' })
  SSE_HEARTBEAT_MS: number = 15000;
}

/**
 * The runtime part of a service's typed config, derived from {@link ServiceEnv}. A class so that
 * it doubles as its own dependency-injection token.
 */
export class RuntimeConfig {
  serviceName!: string;
  port!: number;
  host!: string;
  routePrefix!: string;
  logLevel!: LogLevel;
  shutdownDrainMs!: number;
  shutdownTimeoutMs!: number;
  sseHeartbeatMs!: number;
}

export function toRuntimeConfig(serviceName: string, env: ServiceEnv): RuntimeConfig {
  return Object.assign(new RuntimeConfig(), {
    serviceName,
    port: env.PORT,
    host: env.HOST,
    routePrefix: env.ROUTE_PREFIX,
    logLevel: env.LOG_LEVEL,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    sseHeartbeatMs: env.SSE_HEARTBEAT_MS,
  });
}

/** The environment of a service that keeps state in Redis. */
export class RedisServiceEnv extends ServiceEnv {
  @EnvDoc('Redis connection URL (redis://[user:password@]host:port[/db] or rediss:// for TLS)')
  @IsDefined({ message: 'REDIS_URL is required, e.g. redis://127.0.0.1:6379' })
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;
}
