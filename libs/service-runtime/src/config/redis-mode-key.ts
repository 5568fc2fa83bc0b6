import { ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';

export const REDIS_MODES = ['standalone', 'sentinel', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

export interface RedisModeKeyRule {
  /** The modes that read this key. */
  modes: readonly RedisMode[];
  /** Whether those modes need it. */
  required: boolean;
  /** Whether a value set in one of those modes is well-formed. */
  valid(value: unknown): boolean;
  /** What a valid value looks like, for the messages. */
  expected: string;
  /** A valid value, for the messages. */
  example?: string;
}

interface WithRedisMode {
  REDIS_MODE: RedisMode;
}

/** A schema whose service runs without Redis too says so with `static redisOptional = true`. */
const redisOptional = (env: object): boolean =>
  (env.constructor as { redisOptional?: boolean }).redisOptional === true;

/**
 * A Redis setting that only some modes read. It is checked in those modes, and refused when set
 * in another one: a key that would be silently ignored usually means a half-switched config (say
 * REDIS_URL left behind after moving to Sentinel), which should stop the process, not surprise
 * an operator later. Keys that are checked only in some modes count as optional in describeEnv.
 */
export function RedisModeKey(rule: RedisModeKeyRule): PropertyDecorator {
  const readBy = (env: WithRedisMode): boolean => rule.modes.includes(env.REDIS_MODE);
  // With an unknown REDIS_MODE only that key is reported; judging the others against it is noise.
  const knownMode = (env: WithRedisMode): boolean => REDIS_MODES.includes(env.REDIS_MODE);
  const problem = (args: ValidationArguments): string | undefined => {
    const env = args.object as WithRedisMode;
    const key = args.property;
    if (!readBy(env)) {
      return `${key} is only read when REDIS_MODE is ${rule.modes.join(' or ')} (it is ${env.REDIS_MODE}); remove it`;
    }
    if (args.value === undefined) {
      // Without any Redis (standalone, no URL) an optional-Redis service runs without one.
      if (!rule.required || (redisOptional(env) && env.REDIS_MODE === 'standalone')) return undefined;
      return `${key} is required when REDIS_MODE=${env.REDIS_MODE}, e.g. ${rule.example ?? rule.expected}`;
    }
    if (rule.valid(args.value)) return undefined;
    return `${key} must be ${rule.expected}${rule.example === undefined ? '' : `, e.g. ${rule.example}`}`;
  };
  return (target, propertyKey) => {
    ValidateIf(
      (env: WithRedisMode & Record<string | symbol, unknown>) =>
        readBy(env) || (knownMode(env) && env[propertyKey] !== undefined),
    )(target, propertyKey);
    ValidateBy({
      name: 'redisModeKey',
      validator: {
        validate: (_value, args) => args !== undefined && problem(args) === undefined,
        defaultMessage: (args) => (args === undefined ? 'is invalid' : (problem(args) ?? 'is invalid')),
      },
    })(target, propertyKey);
  };
}
