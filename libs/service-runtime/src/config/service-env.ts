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
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { AuthConfig } from '../auth/auth-config';
import { algorithmsProblem, defaultAlgorithms } from '../auth/jwt-algorithms';
import { limitsConfig, type LimitsConfig } from '../limits/limits-config';
import { isAddressOrRange } from './address-range';
import { durationSeconds } from './duration';
import { EnvDoc } from './env-doc';
import { LimitsEnv } from './limits-env';
import { NoUrlCredentials } from './no-url-credentials';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const NODE_ENVS = ['production', 'development', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * The environment every service reads (its limits included). Each app extends it with its own
 * keys and sets its own defaults for PORT and ROUTE_PREFIX.
 */
export class ServiceEnv extends LimitsEnv {
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
    "How often an open stream checks again that its caller may still see what it streams (the app's current team); a stream that may not is closed with a `forbidden` event",
  )
  @IsInt({ message: 'SSE_ACCESS_RECHECK_MS must be an integer' })
  @Min(100, { message: 'SSE_ACCESS_RECHECK_MS must be between 100 and 600000' })
  @Max(600_000, { message: 'SSE_ACCESS_RECHECK_MS must be between 100 and 600000' })
  SSE_ACCESS_RECHECK_MS: number = 120_000;

  @EnvDoc(
    'Addresses or CIDR ranges of the proxies in front of the service (the Ingress controller), comma-separated; only their X-Forwarded-For/-Proto are believed',
  )
  @IsOptional()
  @ValidateBy({
    name: 'addressList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && splitList(value).every(isAddressOrRange),
      defaultMessage: () =>
        'TRUSTED_PROXIES must be IP addresses or CIDR ranges, comma-separated, e.g. 10.0.0.0/8,192.168.1.5',
    },
  })
  TRUSTED_PROXIES?: string;

  @EnvDoc(
    'How the process runs: `production` refuses development shortcuts (AUTH_JWT_SECRET), `development` allows tokens without an issuer check',
  )
  @IsOptional()
  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV?: NodeEnv;

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
  @NoUrlCredentials()
  AUTH_JWKS_URL?: string;

  @EnvDoc(
    "Development only (refused with NODE_ENV=production): HS256 secret the portal's JWTs are signed with, instead of AUTH_JWKS_URL",
  )
  @IsOptional()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  @ValidateBy({
    name: 'notInProduction',
    validator: {
      validate: (_value: unknown, args) => (args?.object as ServiceEnv).NODE_ENV !== 'production',
      defaultMessage: () =>
        'AUTH_JWT_SECRET is for development only and is refused with NODE_ENV=production: verify tokens against AUTH_JWKS_URL',
    },
  })
  AUTH_JWT_SECRET?: string;

  @EnvDoc('Expected `iss` claim of tokens (required unless NODE_ENV=development)')
  @ValidateIf((env: ServiceEnv) => env.NODE_ENV !== 'development' || env.AUTH_ISSUER !== undefined)
  @IsString({
    message:
      "AUTH_ISSUER is required: the `iss` claim of your identity provider's tokens (only NODE_ENV=development may leave it unset)",
  })
  AUTH_ISSUER?: string;

  @EnvDoc(
    'JWS algorithms a token may be signed with, comma-separated (default: RS*, PS*, ES* and EdDSA with AUTH_JWKS_URL, HS256 with AUTH_JWT_SECRET)',
  )
  @IsOptional()
  @ValidateBy({
    name: 'algorithmsForKeySource',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' &&
        algorithmsProblem(splitList(value), (args?.object as ServiceEnv).AUTH_JWKS_URL !== undefined) ===
          undefined,
      defaultMessage: (args) =>
        algorithmsProblem(
          splitList(String(args?.value)),
          (args?.object as ServiceEnv).AUTH_JWKS_URL !== undefined,
        ) ?? 'AUTH_ALGORITHMS is invalid',
    },
  })
  AUTH_ALGORITHMS?: string;

  @EnvDoc('Tokens issued (`iat`) longer ago than this are refused even before they expire, e.g. `12h`')
  @IsOptional()
  @ValidateBy({
    name: 'duration',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && durationSeconds(value) !== undefined,
      defaultMessage: () =>
        'AUTH_MAX_TOKEN_AGE must be a duration: a whole number and s, m, h or d (e.g. 90m, 12h, 7d)',
    },
  })
  AUTH_MAX_TOKEN_AGE?: string;

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
  /** How often an open stream's access is checked again. */
  sseAccessRecheckMs!: number;
  /** Proxies whose X-Forwarded-* headers are believed (addresses, CIDR ranges); none: no one's. */
  trustedProxies!: readonly string[];
  auth!: AuthConfig;
  /** Rate budgets, body size, request time, streams per user, load shedding. */
  limits!: LimitsConfig;
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
    sseAccessRecheckMs: env.SSE_ACCESS_RECHECK_MS,
    trustedProxies: env.TRUSTED_PROXIES === undefined ? [] : splitList(env.TRUSTED_PROXIES),
    auth: Object.assign(new AuthConfig(), {
      jwksUrl: env.AUTH_JWKS_URL,
      jwtSecret: env.AUTH_JWKS_URL === undefined ? env.AUTH_JWT_SECRET : undefined,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      algorithms:
        env.AUTH_ALGORITHMS === undefined
          ? defaultAlgorithms(env.AUTH_JWKS_URL !== undefined)
          : splitList(env.AUTH_ALGORITHMS),
      maxTokenAgeSeconds:
        env.AUTH_MAX_TOKEN_AGE === undefined ? undefined : durationSeconds(env.AUTH_MAX_TOKEN_AGE),
      teamsClaim: env.AUTH_TEAMS_CLAIM,
      groupsClaim: env.AUTH_GROUPS_CLAIM,
      adminGroup: env.AUTH_ADMIN_GROUP,
    }),
    limits: limitsConfig(env),
  });
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
