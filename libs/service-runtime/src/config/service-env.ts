import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { AuthConfig } from '../auth/auth-config';
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

  @EnvDoc(
    "JWKS URL of the identity provider that signs the portal's JWTs (required unless AUTH_JWT_SECRET is set)",
  )
  @ValidateIf((env: ServiceEnv) => env.AUTH_JWT_SECRET === undefined)
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'] },
    {
      message:
        "AUTH_JWKS_URL must be the identity provider's JWKS URL (or set AUTH_JWT_SECRET in development)",
    },
  )
  AUTH_JWKS_URL?: string;

  @EnvDoc("Development only: HS256 secret the portal's JWTs are signed with, instead of AUTH_JWKS_URL")
  @IsOptional()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @EnvDoc('Expected `iss` claim of tokens (not checked when empty)')
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @EnvDoc('Expected `aud` claim of tokens')
  @IsString()
  AUTH_AUDIENCE: string = 'platform-api';

  @EnvDoc('Claim holding the list of teams the user belongs to')
  @IsString()
  AUTH_TEAMS_CLAIM: string = 'teams';

  @EnvDoc('Claim holding the list of groups the user belongs to')
  @IsString()
  AUTH_GROUPS_CLAIM: string = 'groups';

  @EnvDoc("Members of this group see and act on every team's apps")
  @IsString()
  AUTH_ADMIN_GROUP: string = 'platform-admins';
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
  auth!: AuthConfig;
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
    auth: Object.assign(new AuthConfig(), {
      jwksUrl: env.AUTH_JWKS_URL,
      jwtSecret: env.AUTH_JWT_SECRET,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      teamsClaim: env.AUTH_TEAMS_CLAIM,
      groupsClaim: env.AUTH_GROUPS_CLAIM,
      adminGroup: env.AUTH_ADMIN_GROUP,
    }),
  });
}
