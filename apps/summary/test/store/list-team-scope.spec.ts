import { TEST_REDIS_URL } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { scripted } from '../../src/store/scripted-redis';
import { decodeRecord } from '../../src/store/stored-record';
import { SummaryKeys } from '../../src/store/summary-keys';
import { SummaryReader } from '../../src/store/summary-reader';
import { SummaryWriter } from '../../src/store/summary-writer';
import { summaryFactory } from '../support/summary.factory';
import { deletePrefix, testPrefix } from '../support/summary-harness';

/**
 * The list script takes each team as an argument of its own. When teams travelled as one
 * comma-joined argument, a team named "payments,content" (or "*") in a token listed the apps of
 * both teams (or of all).
 */
describe('list script: the team scope', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = new SummaryKeys(prefix);
  const scriptedRedis = scripted(redis);

  beforeAll(async () => {
    const writer = new SummaryWriter(scriptedRedis, keys);
    const epoch = await writer.claim();
    await writer.write(
      epoch,
      [
        summaryFactory({ app: 'pay', team: 'payments' }),
        summaryFactory({ app: 'blog', team: 'content' }),
        summaryFactory({ app: 'orphan', team: null }),
      ],
      [],
    );
  });
  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  /** The script called as the reader calls it, with `teams` as the trailing arguments. */
  const listed = async (scope: string, ...teams: string[]): Promise<string[]> => {
    const [, ...records] = await scriptedRedis.summaryListBuffer(
      keys.nameIndex,
      prefix,
      'name',
      50,
      '',
      '',
      scope,
      '',
      '',
      '',
      '',
      20_000,
      2000,
      '',
      ...teams,
    );
    return records.map((r) => decodeRecord(r.toString()).app);
  };

  it('lists every team for "all" and only the listed ones otherwise', async () => {
    expect(await listed('all')).toEqual(['blog', 'orphan', 'pay']);
    expect(await listed('listed', 'payments')).toEqual(['pay']);
    expect(await listed('listed', 'payments', 'content')).toEqual(['blog', 'pay']);
  });

  it.each([['payments,content'], ['*'], [',']])(
    'takes %j as one (unknown) team, never as a separator or a wildcard',
    async (team) => {
      expect(await listed('listed', team)).toEqual([]);
    },
  );

  it('lists nothing for "listed" without a team, and refuses an unknown scope', async () => {
    expect(await listed('listed')).toEqual([]);
    await expect(listed('*')).rejects.toThrow('team scope must be all or listed');
  });

  it('refuses to ask for a team name that is not a DNS-1123 label ("-" holds the team-less apps)', async () => {
    expect(await listed('listed', '-')).toEqual(['orphan']);
    const reader = new SummaryReader(scriptedRedis, keys, 60_000);
    for (const team of ['payments,content', '-', '*']) {
      await expect(reader.list({ teams: [team], sort: 'name', limit: 10 })).rejects.toThrow(
        `not a team name: ${JSON.stringify(team)}`,
      );
    }
    await expect(reader.list({ environment: 'prod:*', sort: 'name', limit: 10 })).rejects.toThrow(
      'not an environment name: "prod:*"',
    );
    const page = await reader.list({ teams: ['content'], sort: 'name', limit: 10 });
    expect(page.records.map((r) => decodeRecord(r.toString()).app)).toEqual(['blog']);
  });
});
