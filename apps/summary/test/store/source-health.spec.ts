import type { SummarySource } from '@platform/domain';
import { staleChangesAt, staleSources, type SourceStatus } from '../../src/store/source-health';

const STALE_AFTER = 10_000;

function staleness(sources: Map<SummarySource, SourceStatus>, now: number): string {
  return [...staleSources(sources, STALE_AFTER, now)].map(([s, v]) => `${s}:${v.stale}`).join(',');
}

describe('staleChangesAt', () => {
  it('is never later than the staleness answer changes, so a view cached until then is exact', () => {
    const now = 1_000_000;
    // Every mix of connected/disconnected sources with heartbeats and changes at various ages.
    const ages = [0, 3_000, 9_999, 10_000, 12_000];
    for (const heartbeatAge of ages)
      for (const sinceAge of ages)
        for (const connected of [true, false]) {
          const sources = new Map<SummarySource, SourceStatus>([
            ['argocd', { connected, since: now - sinceAge, heartbeatAt: now - heartbeatAge }],
            ['workflows', { connected: true, since: now - 50_000, heartbeatAt: now - heartbeatAge }],
          ]);
          const until = staleChangesAt(sources, STALE_AFTER, now);
          const before = staleness(sources, now);
          for (let t = now; t < Math.min(until, now + 30_000); t += 250)
            expect(staleness(sources, t)).toBe(before);
        }
  });

  it('is the moment a connected source whose leader went silent turns stale', () => {
    const now = 1_000_000;
    const sources = new Map<SummarySource, SourceStatus>([
      ['argocd', { connected: true, since: 0, heartbeatAt: now - 4_000 }],
    ]);
    const until = staleChangesAt(sources, STALE_AFTER, now);
    expect(until).toBe(now + 6_001);
    expect(staleSources(sources, STALE_AFTER, until - 1).get('argocd')?.stale).toBe(false);
    expect(staleSources(sources, STALE_AFTER, until).get('argocd')?.stale).toBe(true);
  });

  it('is Infinity when nothing reported can still turn stale', () => {
    const sources = new Map<SummarySource, SourceStatus>([
      ['argocd', { connected: true, since: 0, heartbeatAt: 0 }],
    ]);
    expect(staleChangesAt(sources, STALE_AFTER, 1_000_000)).toBe(Infinity);
  });
});
