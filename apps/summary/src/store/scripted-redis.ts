import type { RedisClient } from '@platform/service-runtime';
import type { ChainableCommander } from 'ioredis';
import { LIST_LUA } from './lua-list';
import { CLAIM_LUA, META_LUA, REMOVE_LUA, SEQUENCE_LUA, UPSERT_LUA } from './lua-upsert';

type Arg = string | number;

/** The summary's Lua scripts as ioredis commands (EVALSHA, falling back to EVAL after a Redis restart). */
export interface SummaryScripts {
  summaryUpsert(key: string, ...args: Arg[]): Promise<number>;
  summaryRemove(key: string, ...args: Arg[]): Promise<number>;
  summaryClaim(key: string, prefix: string, floor: number): Promise<number>;
  summaryMeta(key: string, ...args: Arg[]): Promise<number>;
  summarySequence(key: string, prefix: string, epoch: string, last: number): Promise<number>;
  /** The list script (`summaryList`), its reply as Buffers: ioredis defines a *Buffer twin of every command. */
  summaryListBuffer(key: string, ...args: Arg[]): Promise<[Buffer | null, ...Buffer[]]>;
}

export type ScriptedRedis = RedisClient & SummaryScripts;
export type ScriptedPipeline = ChainableCommander & {
  [K in keyof SummaryScripts]: (...args: Parameters<SummaryScripts[K]>) => ScriptedPipeline;
};

const SCRIPTS: Record<string, string> = {
  summaryUpsert: UPSERT_LUA,
  summaryRemove: REMOVE_LUA,
  summaryClaim: CLAIM_LUA,
  summaryMeta: META_LUA,
  summarySequence: SEQUENCE_LUA,
  summaryList: LIST_LUA,
};

/** Defines the scripts on `redis` (once per client) and returns it typed with them. */
export function scripted(redis: RedisClient): ScriptedRedis {
  const r = redis as ScriptedRedis;
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (typeof (r as unknown as Record<string, unknown>)[name] !== 'function') {
      redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
  }
  return r;
}
