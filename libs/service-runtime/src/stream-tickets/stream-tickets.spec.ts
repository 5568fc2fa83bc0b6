import { Redis } from 'ioredis';
import type { Principal } from '../auth/principal';
import { RuntimeConfig } from '../config/service-env';
import { TEST_REDIS_URL } from '../testing/service-contract';
import { RedisStreamTickets } from './redis-stream-tickets';
import { SealedStreamTickets } from './sealed-stream-tickets';
import type { StreamTickets } from './stream-tickets';

const alice = (expiresInMs = 3_600_000): Principal => ({
  id: 'alice',
  name: 'Alice',
  teams: ['payments'],
  groups: [],
  admin: false,
  expiresAt: Date.now() + expiresInMs,
});

const redis = new Redis(TEST_REDIS_URL);
afterAll(() => redis.disconnect());

const runtime = (serviceName: string): RuntimeConfig => Object.assign(new RuntimeConfig(), { serviceName });

describe.each<[string, (service: string) => StreamTickets]>([
  ['RedisStreamTickets', (service) => new RedisStreamTickets(redis, runtime(service))],
  ['SealedStreamTickets', (service) => new SealedStreamTickets('a-shared-secret-of-the-replicas!!', service)],
])('%s', (_name, make) => {
  it('redeems a ticket once, for the principal it was issued to', async () => {
    const tickets = make('summary');
    const { ticket, expiresAt } = await tickets.issue(alice());
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await tickets.redeem(ticket)).toMatchObject({
      id: 'alice',
      name: 'Alice',
      teams: ['payments'],
      admin: false,
    });
    expect(await tickets.redeem(ticket)).toBeUndefined();
  });

  it("redeems on another replica of the same service, never on another service's", async () => {
    const { ticket } = await make('summary').issue(alice());
    expect(await make('task').redeem(ticket)).toBeUndefined();
    expect((await make('summary').redeem(ticket))?.id).toBe('alice');
  });

  it('ends with the token it stands for, and refuses what it never issued', async () => {
    const tickets = make('summary');
    const { expiresAt } = await tickets.issue(alice(5000));
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 5000);
    expect(await tickets.redeem('not-a-ticket')).toBeUndefined();
  });
});

describe(SealedStreamTickets.name, () => {
  it('needs the same secret to redeem (a random key per process without one)', async () => {
    const { ticket } = await new SealedStreamTickets('one-secret-of-the-replicas-32-chars', 'm').issue(
      alice(),
    );
    expect(
      await new SealedStreamTickets('another-secret-of-replicas-32-chars', 'm').redeem(ticket),
    ).toBeUndefined();
    const random = new SealedStreamTickets(undefined, 'm');
    expect(
      await new SealedStreamTickets(undefined, 'm').redeem((await random.issue(alice())).ticket),
    ).toBeUndefined();
  });
});

describe(RedisStreamTickets.name, () => {
  it('keeps a hash of the ticket in Redis, not the ticket, and lets it expire', async () => {
    const { ticket } = await new RedisStreamTickets(redis, runtime('hash-check')).issue(alice());
    const keys = await redis.keys('platform-api:stream-ticket:hash-check:*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(ticket);
    expect(await redis.pttl(keys[0] ?? '')).toBeGreaterThan(50_000);
    await redis.del(...keys);
  });
});
