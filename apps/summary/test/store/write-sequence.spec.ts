import { Logger } from '@nestjs/common';
import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { FencedWriter } from '../../src/collectors/fenced-writer';
import { scripted } from '../../src/store/scripted-redis';
import { SummaryKeys } from '../../src/store/summary-keys';
import { FencedError, SummaryWriter } from '../../src/store/summary-writer';
import { LostWritesError } from '../../src/store/write-sequence';
import { summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * The leader's writes against a real Redis whose state goes back the way it does when a replica
 * that had not received the last writes is promoted, or Redis restarts from an older snapshot:
 * set back by hand here (the integration test restarts a real one).
 */
describe('the leader noticing that Redis lost its writes', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const writer = new SummaryWriter(scripted(redis), keys);
  const count = async (): Promise<number> => Number(await redis.get(`${prefix}writes`));
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('is told at its next write or heartbeat, once, and then counts from what Redis holds', async () => {
    const epoch = await writer.claim();
    await writer.write(epoch, [summaryFactory({ app: 'cart' })], []);
    const before = await count();
    await writer.write(epoch, [summaryFactory({ app: 'cart', team: 'payments' })], []);
    await writer.setHash(epoch, 'sources', { argocd: '{}' });
    // The promoted replica had everything up to `before`, nothing after it.
    await redis.set(`${prefix}writes`, before);
    await expect(writer.setHash(epoch, 'sources', { argocd: '{}' })).rejects.toThrow(
      new RegExp(`^Redis counts ${before} writes of this leader, it had answered ${before + 2}`),
    );
    // The refused count did not count; told once, the writer counts from what Redis holds.
    expect(await count()).toBe(before);
    await writer.setHash(epoch, 'sources', { argocd: '{}' });
    expect(await count()).toBe(before + 1);
  });

  it('is told however many counts were sent since without an answer', async () => {
    const epoch = await writer.claim();
    await writer.write(epoch, [summaryFactory({ app: 'cart' })], []);
    const answered = await count();
    await redis.set(`${prefix}writes`, answered - 1);
    // Pipelines whose reply never came would count here, on top of the loss, and make the next
    // answered count look like it follows: Redis refuses to count while it is behind.
    await expect(scripted(redis).summarySequence(keys.leader, prefix, epoch, answered)).rejects.toThrow(
      /^LOST/,
    );
    await expect(
      writer.write(epoch, [summaryFactory({ app: 'cart', team: 'x' })], []),
    ).rejects.toBeInstanceOf(LostWritesError);
    expect(await count()).toBe(answered - 1);
  });

  it('takes a count ahead of the last answer for writes whose answer was lost, not for a loss', async () => {
    const epoch = await writer.claim();
    await writer.write(epoch, [summaryFactory({ app: 'cart' })], []);
    // ioredis resends a pipeline that got no reply after a reconnect: it may count twice.
    await redis.incrby(`${prefix}writes`, 2);
    await writer.write(epoch, [summaryFactory({ app: 'cart', team: 'y' })], []);
    await writer.setHash(epoch, 'sources', { argocd: '{}' });
  });

  it('counts a write made of several pipelines once per pipeline', async () => {
    const epoch = await writer.claim();
    const apps = Array.from({ length: 1200 }, (_, i) => summaryFactory({ app: `app-${i}` }));
    const before = await count();
    await writer.write(epoch, apps, []);
    // 500 per pipeline.
    expect(await count()).toBe(before + 3);
    await writer.write(
      epoch,
      [],
      apps.map((a) => a.app),
    );
  });

  it('does not let a deposed leader move the count of the current one', async () => {
    const old = await writer.claim();
    const successor = new SummaryWriter(scripted(redis), keys);
    const current = await successor.claim();
    await successor.write(current, [summaryFactory({ app: 'cart' })], []);
    const before = await count();
    await expect(writer.write(old, [summaryFactory({ app: 'cart', team: 'x' })], [])).rejects.toBeInstanceOf(
      FencedError,
    );
    expect(await count()).toBe(before);
    await successor.write(current, [summaryFactory({ app: 'cart', team: 'y' })], []);
  });
});

describe('FencedWriter after a failed write', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const logger = new Logger('test');
  const leading = (): boolean => true;
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('resyncs under its epoch when Redis lost some of its writes', async () => {
    const fenced = new FencedWriter(new SummaryWriter(scripted(redis), keys), 'a', logger);
    await fenced.claim();
    await fenced.write([summaryFactory({ app: 'cart' })], []);
    await redis.decr(`${prefix}writes`);
    const error = await fenced
      .write([summaryFactory({ app: 'cart', team: 'z' })], [])
      .catch((e: unknown) => e);
    expect(await fenced.failed(error, leading)).toEqual({ then: 'resync' });
  });

  it('claims an epoch above its own when Redis went back to before its claim', async () => {
    const fenced = new FencedWriter(new SummaryWriter(scripted(redis), keys), 'a', logger);
    const ours = Number(await fenced.claim());
    await fenced.write([summaryFactory({ app: 'cart' })], []);
    // The snapshot Redis restarted from was taken before our claim: the counter went back too.
    await redis.set(`${prefix}leader`, String(ours - 1));
    await redis.set(`${prefix}epoch`, String(ours - 1));
    const error = await fenced
      .write([summaryFactory({ app: 'cart', team: 'w' })], [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedError);
    expect(await fenced.failed(error, leading)).toEqual({ then: 'reclaim' });
    expect(Number(await fenced.claim())).toBe(ours + 1);
    await fenced.write([summaryFactory({ app: 'cart', team: 'w' })], []);
  });

  it('stops when another leader claimed a newer epoch', async () => {
    const fenced = new FencedWriter(new SummaryWriter(scripted(redis), keys), 'a', logger);
    const ours = await fenced.claim();
    const successor = await new SummaryWriter(scripted(redis), keys).claim();
    const error = await fenced.write([summaryFactory({ app: 'cart' })], []).catch((e: unknown) => e);
    expect(await fenced.failed(error, leading)).toEqual({
      then: 'stop',
      reason: `fenced: epoch ${successor} is current, ours was ${ours}`,
    });
  });
});
