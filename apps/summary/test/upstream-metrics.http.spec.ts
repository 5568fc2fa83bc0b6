import type { Sandbox } from '@platform/sandbox';
import { TEST_REDIS_URL, upstreamCallCounts } from '@platform/service-runtime/testing';
import { startPlatformSandbox } from './support/platform-sandbox';
import {
  deletePrefix,
  sandboxEnv,
  startReplica,
  testPrefix,
  until,
  type Replica,
} from './support/summary-harness';

/** Summary's collector reaches Argo through the shared factory, which records every call. */
describe('summary /metrics: upstream calls', () => {
  const prefix = testPrefix();
  let sandbox: Sandbox;
  let replica: Replica;

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
    replica = await startReplica(sandboxEnv(sandbox, { SUMMARY_KEY_PREFIX: prefix }));
  }, 60_000);
  afterAll(async () => {
    await replica.close();
    await sandbox.stop();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  // Argo CD's list arrives as a stream (not a unary call): its session login is what is counted.
  it("counts the leader's Argo Workflows list and Argo CD login in upstream_request_duration_seconds", async () => {
    const counts = await until(async () => {
      const now = await upstreamCallCounts(replica.base);
      if (now['ARGO_CD POST ok'] === undefined || now['ARGO_WORKFLOWS GET ok'] === undefined) {
        throw new Error(`no upstream calls recorded yet: ${JSON.stringify(now)}`);
      }
      return now;
    });
    expect(counts['ARGO_CD POST ok']).toBeGreaterThanOrEqual(1);
    expect(counts['ARGO_WORKFLOWS GET ok']).toBeGreaterThanOrEqual(1);
  });
});
