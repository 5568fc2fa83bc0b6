export { createServiceApp, ROOT_ROUTES } from './bootstrap/create-service-app';
export { startFromEnv } from './bootstrap/start-from-env';
export { runService } from './shutdown/run-service';
export { ShutdownCoordinator } from './shutdown/shutdown-coordinator';
export { RuntimeModule, type RuntimeModuleOptions } from './runtime.module';
export { LimitsEnv } from './config/limits-env';
export type { LimitsConfig, RateLimits, LoadSheddingLimits } from './limits/limits-config';
export { StreamQuota, STREAM_SLOT_RETRY_AFTER_SECONDS } from './limits/stream-quota';
export { LoadState } from './limits/load-state';
export { RouteClassOf, ROUTE_CLASSES, type RouteClass } from './limits/route-policy';
export { MAX_JSON_DEPTH } from './limits/json-body';
export { ServiceEnv, RuntimeConfig, toRuntimeConfig, LOG_LEVELS, type LogLevel } from './config/service-env';
export { RedisServiceEnv } from './config/redis-env';
export { REDIS_MODES, type RedisMode } from './config/redis-mode-key';
export { parseHostPortList, type HostPort } from './config/host-port-list';
export { loadEnv } from './config/load-config';
export { SettingsClass } from './config/settings-class';
export { describeEnv, type EnvKeyDescription } from './config/describe-env';
export { EnvDoc } from './config/env-doc';
export { EnvBoolean } from './config/env-boolean';
export { NoUrlCredentials } from './config/no-url-credentials';
export { IsCaFile, caBundle } from './config/ca-file';
export {
  WithArgoWorkflows,
  WithArgoCd,
  WithKubernetes,
  argoWorkflowsSettings,
  argoCdSettings,
  kubernetesSettings,
  type ArgoWorkflowsSettings,
  type ArgoCdSettings,
  type KubernetesSettings,
  type GitConnectionSettings,
  type RegistryConnectionSettings,
} from './config/upstream-env';
export {
  WithUpstreamTimeouts,
  upstreamTimeouts,
  type UpstreamTimeouts,
} from './config/upstream-timeouts-env';
export { UpstreamClients, type UpstreamClientsOptions, type WatchTuning } from './upstreams/upstream-clients';
export { ConfigValidationError, type ConfigProblem } from './config/config-validation.error';
export type { ApiDescription } from './docs/openapi';
export type { ErrorEnvelope, FieldProblem } from './http/error-envelope';
export { createValidationPipe } from './http/validation.pipe';
export { toErrorResponse } from './http/error-response';
export { statusForKind } from './http/error-status';
export { ReadinessIndicator } from './health/readiness-indicator';
export { upstreamReadiness, UPSTREAM_READINESS_TTL_MS, type ClientToken } from './health/upstream-readiness';
export { CachedProbe, type CachedProbeOptions } from './health/cached-probe';
export { READINESS_CHECK_TIMEOUT_MS } from './health/check-timeout';
export { HttpMetrics } from './metrics/http-metrics';
export { RequestContext } from './logging/request-context';
export { REQUEST_ID_HEADER } from './logging/request-id';
export { SseStreams, type SseStartOptions, type SseOpenOptions } from './sse/sse-streams';
export { SseStream, type SseStreamOptions } from './sse/sse-stream';
export {
  formatSse,
  formatSseComment,
  TOKEN_EXPIRED_EVENT,
  ACCESS_REVOKED_EVENT,
  type SseMessage,
} from './sse/sse-format';
export { accessRecheck } from './sse/access-recheck';
export { RedisModule } from './redis/redis.module';
export { RedisReadiness } from './redis/redis-readiness';
export { createRedisClient, type RedisClient, type RedisClientRole } from './redis/redis-client';
export { closeRedisClient } from './redis/redis-close';
export {
  redisSettings,
  optionalRedisSettings,
  type RedisSettings,
  type RedisServerAuth,
} from './redis/redis-settings';
export { redisCall } from './redis/redis-call';
export { AuthConfig } from './auth/auth-config';
export { JwtVerifier } from './auth/jwt-verifier';
export { AuthGuard, type AuthenticatedRequest } from './auth/auth.guard';
export { Authenticator } from './auth/authenticator';
export { Public } from './auth/public.decorator';
export { StreamRoute } from './auth/stream-route.decorator';
export { StreamTickets, STREAM_TICKET_TTL_MS, type IssuedTicket } from './stream-tickets/stream-tickets';
export { RedisStreamTickets } from './stream-tickets/redis-stream-tickets';
export { SealedStreamTickets } from './stream-tickets/sealed-stream-tickets';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { canAccessTeam, type Principal } from './auth/principal';
export { isTeamName } from './auth/team-names';
export { SseReplayLog, type ReplayEntry } from './sse/sse-replay-log';
export { lastEventId } from './sse/last-event-id';
export { parseReplayPosition, formatReplayPosition, type ReplayPosition } from './sse/replay-position';
export {
  StreamQuery,
  longPollOf,
  MAX_WAIT_SECONDS,
  MAX_CURSOR_LENGTH,
  type LongPollRequest,
} from './long-poll/stream-query';
export { LongPoll, MAX_POLLED_EVENTS, type PolledEvent, type LongPollAnswer } from './long-poll/long-poll';
export { LongPolls, type LongPollOptions } from './long-poll/long-polls';
export { ApiStream, LongPollAnswerDto, PolledEventDto } from './long-poll/api-stream.decorator';
