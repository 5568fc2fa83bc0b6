import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

const alice: Principal = { id: 'alice', teams: ['payments'], groups: [], admin: false, expiresAt: 0 };
const NOW = 1_800_000_000_000;

describe(VerifiedTokenCache.name, () => {
  it('answers a verified token until it expires', () => {
    const cache = new VerifiedTokenCache();
    cache.set('t', alice, NOW / 1000 + 60, NOW);
    expect(cache.get('t', NOW + 59_000)).toBe(alice);
    expect(cache.get('t', NOW + 60_000)).toBeUndefined();
  });

  it('trusts a long-lived token for five minutes at most, and one without exp not at all', () => {
    const cache = new VerifiedTokenCache();
    cache.set('long', alice, NOW / 1000 + 86_400, NOW);
    cache.set('forever', alice, undefined, NOW);
    expect(cache.get('long', NOW + 299_000)).toBe(alice);
    expect(cache.get('long', NOW + 300_000)).toBeUndefined();
    expect(cache.get('forever', NOW)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(2);
    for (const token of ['a', 'b', 'c']) cache.set(token, alice, NOW / 1000 + 60, NOW);
    expect(['a', 'b', 'c'].map((t) => cache.get(t, NOW) !== undefined)).toEqual([false, true, true]);
  });
});
