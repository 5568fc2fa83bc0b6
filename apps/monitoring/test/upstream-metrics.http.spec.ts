import { signTestToken, upstreamCallCounts } from '@platform/service-runtime/testing';
import { startPlatform, type Platform } from './harness';

/** Monitoring's upstream clients come from the shared factory, which records every call. */
describe('monitoring /metrics: upstream calls', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 60_000);
  afterAll(() => platform.stop());

  it('counts the calls to Argo CD an app status request made, in upstream_request_duration_seconds', async () => {
    const before = await upstreamCallCounts(platform.base);
    const res = await fetch(`${platform.base}/monitoring/v1/apps/no-such-app/status`, {
      headers: { authorization: `Bearer ${await signTestToken({ sub: 'alice', teams: ['payments'] })}` },
    });
    expect(res.status).toBe(404);
    const after = await upstreamCallCounts(platform.base);
    const made = Object.fromEntries(
      Object.entries(after)
        .map(([call, n]): [string, number] => [call, n - (before[call] ?? 0)])
        .filter(([, n]) => n > 0),
    );
    // The app's Applications are listed by its label (one per environment): an empty list for an
    // app that does not exist; the first call logs the service's account in.
    expect(made).toEqual({ 'ARGO_CD GET ok': 1, 'ARGO_CD POST ok': 1 });
  });
});
