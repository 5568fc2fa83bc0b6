import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { SummaryKeys } from '../../src/store/summary-keys';
import { FencedError, SummaryWriter } from '../../src/store/summary-writer';
import { LostWritesError, WriteSequence } from '../../src/store/write-sequence';
import { summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

describe('WriteSequence', () => {
  it('takes the first count as its baseline and wants each next one to follow it', () => {
    const sequence = new WriteSequence();
    sequence.counted(41);
    sequence.counted(42);
    expect(() => sequence.counted(42)).toThrow(LostWritesError);
  });

  it('allows for writes whose answer never came, which may or may not have counted', () => {
    const sequence = new WriteSequence();
    sequence.counted(10);
    sequence.lost();
    sequence.lost();
    sequence.counted(13);
    sequence.lost();
    sequence.counted(14);
    // Unanswered writes do not excuse a count behind the last answered one.
    sequence.lost();
    expect(() => sequence.counted(14)).toThrow(
      /counts 14 writes of this leader, the last answer was 14 \(1 more/,
    );
  });

  it('starts over after a reset (a new epoch)', () => {
    const sequence = new WriteSequence();
    sequence.counted(7);
    sequence.reset();
    sequence.counted(2);
    sequence.counted(3);
  });
});

/**
 * The leader's writes against a real Redis whose counter goes back the way it does when a replica
 * that had not received the last writes is promoted, or Redis restarts from an older snapshot.
 */
describe('SummaryWriter counting its writes', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const writer = new SummaryWriter(scripted(redis), keys);
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('notices writes Redis acknowledged and then lost, at the next write or heartbeat', async () => {
    const epoch = await writer.claim();
    await writer.write(epoch, [summaryFactory({ app: 'cart' })], []);
    const before = await redis.get(`${prefix}writes`);
    await writer.write(epoch, [summaryFactory({ app: 'cart', team: 'payments' })], []);
    await writer.setHash(epoch, 'sources', { argocd: '{}' });
    // The promoted replica had everything up to `before`, nothing after it.
    await redis.set(`${prefix}writes`, before ?? '');
    await expect(writer.setHash(epoch, 'sources', { argocd: '{}' })).rejects.toBeInstanceOf(LostWritesError);
    // Having said so once, the writer counts from what Redis holds now.
    await writer.write(epoch, [summaryFactory({ app: 'cart' })], []);
  });

  it('counts a write made of several pipelines once per pipeline', async () => {
    const epoch = await writer.claim();
    const apps = Array.from({ length: 1200 }, (_, i) => summaryFactory({ app: `app-${i}` }));
    const before = Number(await redis.get(`${prefix}writes`));
    await writer.write(epoch, apps, []);
    // 500 per pipeline.
    expect(Number(await redis.get(`${prefix}writes`))).toBe(before + 3);
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
    await expect(writer.write(old, [summaryFactory({ app: 'cart', team: 'x' })], [])).rejects.toBeInstanceOf(
      FencedError,
    );
    await successor.write(current, [summaryFactory({ app: 'cart', team: 'y' })], []);
  });
});
