import { ConflictError } from '@platform/errors';
import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CreateLock } from './create-lock';

/** The per-name lock against a real Redis: a second request is told what the first is doing. */
describe(CreateLock.name, () => {
  let redis: Redis;
  let lock: CreateLock;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
    lock = new CreateLock(redis);
  });
  afterAll(() => redis.disconnect());

  const codeOf = async (attempt: Promise<unknown>): Promise<string> => {
    try {
      await attempt;
      return 'ran';
    } catch (error) {
      if (error instanceof ConflictError) return error.code;
      throw error;
    }
  };

  it.each([
    ['create', 'retire', 'APP_CREATE_IN_PROGRESS'],
    ['retire', 'create', 'APP_RETIRE_IN_PROGRESS'],
    ['retire', 'retire', 'APP_RETIRE_IN_PROGRESS'],
  ] as const)('while a %s holds the name, a %s is refused with %s', async (holder, other, expected) => {
    const app = `lock-${randomUUID().slice(0, 8)}`;
    let second = '';
    await lock.hold(
      app,
      async () => {
        second = await codeOf(lock.hold(app, () => Promise.resolve(), other));
      },
      holder,
    );
    expect(second).toBe(expected);
    // Released: the name can be held again.
    expect(await codeOf(lock.hold(app, () => Promise.resolve(), other))).toBe('ran');
  });
});
