import type { Principal } from '@platform/service-runtime';
import type { MonitoringConfig } from '../config/monitoring-config';
import { UserTopics } from './user-topics';

const user = (id: string): Principal => ({ id, teams: [], groups: [], admin: false, expiresAt: 0 });
const topics = (max: number): UserTopics =>
  new UserTopics({ streams: { topicsPerUser: max } } as unknown as MonitoringConfig);

describe(UserTopics.name, () => {
  it('counts distinct topics per user, a topic held by several streams once', () => {
    const hub = topics(3);
    hub.claim(user('alice'), ['logs:shop:web', 'status:shop']);
    hub.claim(user('alice'), ['status:shop', 'events:shop']);
    expect(() => hub.claim(user('alice'), ['logs:shop:db'])).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_TOPICS', details: { limit: 3, watching: 3, asked: 1 } }),
    );
    // Topics the user watches already cost nothing more; another user has their own.
    expect(() => hub.claim(user('alice'), ['status:shop'])).not.toThrow();
    expect(() => hub.claim(user('bob'), ['a', 'b', 'c'])).not.toThrow();
  });

  it('frees a topic when the last stream holding it lets go, once however often released', () => {
    const hub = topics(2);
    const first = hub.claim(user('alice'), ['a', 'b']);
    const second = hub.claim(user('alice'), ['b']);
    first.release();
    first.release();
    hub.claim(user('alice'), ['c']);
    expect(() => hub.claim(user('alice'), ['d'])).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_TOPICS' }),
    );
    second.release();
    expect(() => hub.claim(user('alice'), ['d'])).not.toThrow();
  });
});
