import { Redis } from 'ioredis';
import type { RedisClient } from './redis-client';

/**
 * Closes a client for good. QUIT (sent to every node of a Cluster) lets pending replies arrive and
 * leaves no reconnect timer behind; when Redis is away there is nothing to wait for.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
  // QUIT closes the data connection only: a Sentinel client's failover detector keeps its own
  // connections to the Sentinels (and would reconnect them) until the connector disconnects.
  if (client instanceof Redis) client.disconnect();
}
