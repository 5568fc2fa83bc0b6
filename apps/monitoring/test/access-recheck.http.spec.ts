import { Kinds, seedApps } from '@platform/sandbox';
import { startPlatform, type Platform } from './harness';
import { SseClient } from './sse-events';

const APP = 'app-00001';

/**
 * An open stream's access is checked again while it stays open (SSE_ACCESS_RECHECK_MS): when the
 * app moves to another team the caller is not in, the stream ends with `forbidden` instead of
 * showing the other team's app for as long as the connection lives.
 */
describe('open streams re-check access', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ env: { SSE_ACCESS_RECHECK_MS: '300' } });
    await seedApps(platform.sandbox.ctx, { apps: 1, teams: ['payments'] });
  }, 60_000);
  afterAll(() => platform.stop());

  it('closes a stream with `forbidden` once the app belongs to a team the caller is not in', async () => {
    const url = (token: string): string =>
      `${platform.base}/monitoring/v1/stream?topics=status:${APP},events:${APP}&access_token=${token}`;
    const alice = await SseClient.open(url(platform.tokens.alice));
    const root = await SseClient.open(url(platform.tokens.root));
    expect([alice.status, root.status]).toEqual([200, 200]);
    await alice.waitForEvent((e) => e.event === 'snapshot');
    platform.sandbox.ctx.store.mutate(Kinds.Application, 'argocd', `${APP}-dev`, (app) => {
      (app.metadata.labels ?? {})['platform-api/team'] = 'content';
    });
    const closed = await alice.waitForEvent((e) => e.event === 'forbidden', 10_000);
    expect(closed.data).toEqual({ message: 'you may no longer see what this stream shows; it is closed' });
    await alice.raw.ended;
    // An admin may see every team's apps: their stream stays.
    expect(root.events().some((e) => e.event === 'forbidden')).toBe(false);
    const reopened = await fetch(url(platform.tokens.alice));
    expect(reopened.status).toBe(404);
    root.close();
  }, 60_000);
});
