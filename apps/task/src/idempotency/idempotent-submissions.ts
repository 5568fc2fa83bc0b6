import { Inject, Injectable } from '@nestjs/common';
import type { Task, TaskType } from '@platform/domain';
import { ConflictError } from '@platform/errors';
import { redisCall, type Principal, type RedisClient } from '@platform/service-runtime';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { TaskConfig } from '../config/task-config';
import { TaskSubmitter } from '../submit/task-submitter';

const KEY_PREFIX = 'platform-api:task:idempotency:';
const WAIT_STEP_MS = 50;
const WAIT_LIMIT_MS = 10_000;

export interface IdempotentRequest {
  type: TaskType;
  app: string;
  /** The task a request acts on (cancel, retry); for a new task the key decides its name. */
  taskId?: string;
  principal: Principal;
  /** The Idempotency-Key header, if the client sent one. */
  key: string | undefined;
  requestHash: string;
}

export interface Accepted {
  task: Task;
  /** True when an earlier request with the same key created the task. */
  replayed: boolean;
}

/** Checks and submits a task, under `name` when given (Argo generates one otherwise). */
export type SubmitUnder = (name: string | undefined) => Promise<Task>;

interface KeyRecord {
  requestHash: string;
  taskId: string;
  /** Set once the workflow was submitted: from then on a missing workflow was deleted, not slow. */
  submitted?: true;
}

/**
 * Idempotency-Key semantics for task submissions. The key (per user) decides the workflow's name,
 * so Argo itself refuses a second workflow for it; Redis remembers the key's request fingerprint
 * for a TTL, so the same key with another body is a 409 and a repeat returns the first task.
 * Concurrent duplicates: one claims the key in Redis (SET NX) and submits; the others wait for
 * that workflow to appear. A request that fails releases its key, so the client can retry.
 */
@Injectable()
export class IdempotentSubmissions {
  constructor(
    @Inject(Redis) private readonly redis: RedisClient,
    private readonly config: TaskConfig,
    private readonly submitter: TaskSubmitter,
  ) {}

  /**
   * Runs `run` (checks that may refuse the request, then the submit under the given workflow
   * name) once per key. A repeat of an accepted request does not run it again: its answer is the
   * first task, even if the checks would now refuse (the app the first request created exists).
   */
  async submit(request: IdempotentRequest, run: SubmitUnder): Promise<Accepted> {
    if (request.key === undefined) return { task: await run(undefined), replayed: false };
    const digest = createHash('sha256').update(`${request.principal.id}\0${request.key}`).digest('hex');
    const redisKey = KEY_PREFIX + digest;
    const record: KeyRecord = {
      requestHash: request.requestHash,
      taskId: request.taskId ?? workflowName(request, digest),
    };
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const claimed = await redisCall('claim the Idempotency-Key', () =>
        this.redis.set(redisKey, JSON.stringify(record), 'EX', this.config.idempotencyTtlSeconds, 'NX'),
      );
      if (claimed === 'OK') return this.submitClaimed(redisKey, record, run);
      const held = await this.read(redisKey);
      if (held === undefined) continue; // released or expired meanwhile: claim again
      if (held.requestHash !== record.requestHash) throw keyReused(request.key);
      const existing = await this.submitter.find(held.taskId);
      if (existing !== undefined) return { task: existing.task, replayed: true };
      if (held.submitted === true) throw taskGone(request.key, held.taskId);
      if (Date.now() > deadline) throw keyBusy(request.key);
      await sleep(WAIT_STEP_MS);
    }
  }

  private async submitClaimed(redisKey: string, record: KeyRecord, run: SubmitUnder): Promise<Accepted> {
    try {
      const task = await run(record.taskId);
      const submitted: KeyRecord = { ...record, submitted: true };
      // KEEPTTL: the key lives for the TTL from its first use. Failing here only loses the flag.
      await redisCall('mark the key submitted', () =>
        this.redis.set(redisKey, JSON.stringify(submitted), 'KEEPTTL', 'XX'),
      ).catch(() => undefined);
      return { task, replayed: false };
    } catch (error) {
      // The workflow exists although Redis had no record (it expired, or Redis lost it): replay it
      // if it came from the same request.
      if (error instanceof ConflictError && error.details?.upstream !== undefined) {
        const existing = await this.submitter.find(record.taskId);
        if (existing !== undefined && existing.requestHash === record.requestHash) {
          return { task: existing.task, replayed: true };
        }
      }
      await this.release(redisKey, record);
      throw error;
    }
  }

  private async read(redisKey: string): Promise<KeyRecord | undefined> {
    const text = await redisCall('read the Idempotency-Key', () => this.redis.get(redisKey));
    return text === null ? undefined : (JSON.parse(text) as KeyRecord);
  }

  /** Frees the key for a retry, unless another request has claimed it since. */
  private async release(redisKey: string, record: KeyRecord): Promise<void> {
    const held = await this.read(redisKey).catch(() => undefined);
    if (held?.taskId === record.taskId && held.requestHash === record.requestHash) {
      await redisCall('release the key', () => this.redis.del(redisKey)).catch(() => undefined);
    }
  }
}

/** `<app>-<type>-<10 hex of the key>`: at most 40 + 8 + 10 characters, a valid workflow name. */
function workflowName(request: IdempotentRequest, digest: string): string {
  return `${request.app}-${request.type}-${digest.slice(0, 10)}`;
}

function keyReused(key: string): ConflictError {
  return new ConflictError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency-Key "${key}" was already used for a different request; use a new key for a new request`,
    { key },
  );
}

function taskGone(key: string, taskId: string): ConflictError {
  return new ConflictError(
    'IDEMPOTENT_TASK_GONE',
    `the task Idempotency-Key "${key}" created (${taskId}) no longer exists (finished workflows are garbage-collected); send a new key to run the request again`,
    { key, taskId },
  );
}

function keyBusy(key: string): ConflictError {
  return new ConflictError(
    'IDEMPOTENCY_KEY_IN_USE',
    `a request with Idempotency-Key "${key}" is still being processed; retry in a few seconds`,
    { key },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
