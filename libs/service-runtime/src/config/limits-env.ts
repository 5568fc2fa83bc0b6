import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';
import { EnvBoolean } from './env-boolean';
import { EnvDoc } from './env-doc';

const range = (key: string, min: number, max: number): { message: string } => ({
  message: `${key} must be a whole number from ${min} to ${max}`,
});

/** A whole-number key between `min` and `max` (the messages name the range). */
function EnvInt(key: string, min: number, max: number): PropertyDecorator {
  return (target, property) => {
    IsInt(range(key, min, max))(target, property);
    Min(min, range(key, min, max))(target, property);
    Max(max, range(key, min, max))(target, property);
  };
}

/**
 * How much one caller may ask of a service: rate budgets per route class, body size, request
 * time, open streams, and when the process sheds load. The README's "Limits" section says why
 * each default is what it is.
 */
export class LimitsEnv {
  @EnvDoc(
    'Rate-limit requests (false turns every budget off: for benchmarks and load tests, never in production)',
  )
  @EnvBoolean()
  @IsBoolean({ message: 'RATE_LIMIT_ENABLED must be true or false' })
  RATE_LIMIT_ENABLED: boolean = true;

  @EnvDoc(
    'Length of a rate-limit window, in seconds; each budget below is per window, per user (per client address without a valid token) and per service, shared by its replicas through Redis',
  )
  @EnvInt('RATE_LIMIT_WINDOW_SECONDS', 1, 3600)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  @EnvDoc(
    "Prefix of the rate-limit counters' Redis keys (`<prefix><service>:<route class>:<caller>`); installations sharing one Redis need their own",
  )
  @Matches(/^[A-Za-z0-9:{}_.-]{1,64}$/, {
    message:
      'RATE_LIMIT_KEY_PREFIX must be 1 to 64 letters, digits or : { } _ . -, e.g. platform-api:rate-limit:',
  })
  RATE_LIMIT_KEY_PREFIX: string = 'platform-api:rate-limit:';

  @EnvDoc('Reads (GET, not streams) a user may make per window')
  @EnvInt('RATE_LIMIT_READS', 1, 1_000_000)
  RATE_LIMIT_READS: number = 600;

  @EnvDoc('Mutations (POST, PUT, PATCH, DELETE) a user may make per window')
  @EnvInt('RATE_LIMIT_MUTATIONS', 1, 1_000_000)
  RATE_LIMIT_MUTATIONS: number = 60;

  @EnvDoc(
    'Stream opens a user may make per window: SSE connections and reconnects, and each long poll of the long-poll form',
  )
  @EnvInt('RATE_LIMIT_STREAM_OPENS', 1, 1_000_000)
  RATE_LIMIT_STREAM_OPENS: number = 300;

  @EnvDoc('Stream tickets (POST <prefix>/stream-tickets) a user may get per window')
  @EnvInt('RATE_LIMIT_STREAM_TICKETS', 1, 1_000_000)
  RATE_LIMIT_STREAM_TICKETS: number = 120;

  @EnvDoc(
    'Largest JSON body a mutation accepts, in bytes; a larger one is refused with 413 before it is read',
  )
  @EnvInt('BODY_LIMIT_BYTES', 1024, 10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 64 * 1024;

  @EnvDoc(
    'How long a request (not a stream) may take, in milliseconds, before it is answered 503 REQUEST_TIMEOUT and its upstream calls are cancelled',
  )
  @EnvInt('REQUEST_TIMEOUT_MS', 100, 600_000)
  REQUEST_TIMEOUT_MS: number = 30_000;

  @EnvDoc(
    'Streams one user may hold open on one replica: SSE connections and waiting long polls together; one more is refused with 429 TOO_MANY_STREAMS',
  )
  @EnvInt('STREAMS_PER_USER', 1, 100_000)
  STREAMS_PER_USER: number = 20;

  @EnvDoc(
    'Shed load (503 OVERLOADED, readiness false) while the mean event-loop delay exceeds this many milliseconds; 0 turns it off',
  )
  @EnvInt('LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS', 0, 60_000)
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: number = 1000;

  @EnvDoc(
    "Shed load (503 OVERLOADED, readiness false) while the V8 heap in use exceeds this percentage of the heap's limit; 0 turns it off",
  )
  @EnvInt('LOAD_SHED_MAX_HEAP_PERCENT', 0, 100)
  LOAD_SHED_MAX_HEAP_PERCENT: number = 90;
}
