export {
  PlatformClient,
  type PlatformClientOptions,
  type StreamOptions,
  type LogsStreamOptions,
} from './platform-client';
export { PlatformApiError, type ErrorEnvelope } from './errors';
export type { TokenSource } from './transport';
export {
  openStream,
  type EventStream,
  type EventOf,
  type OpenStreamOptions,
  type StreamEvent,
} from './sse/event-stream';
export { SseParser, readSse, type SseMessage, type SseParserSink } from './sse/sse-parser';
export type * from './types/task';
export type * from './types/summary';
export type * from './types/monitoring';
export type * from './types/stream-events';
export type * from './types/stream-ticket';
export type {
  Task,
  TaskPhase,
  TaskType,
  TaskStep,
  TaskResult,
  CreateResult,
  CiResult,
  CdResult,
  DeleteResult,
  AppSummary,
  EnvironmentSummary,
  BuildSummary,
  DeploySummary,
  SyncSummary,
  HealthSummary,
  RolloutSummary,
  SummaryPart,
} from '@platform/domain';
