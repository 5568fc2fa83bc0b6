import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RedisSettings } from '../redis/redis-settings';
import { redisCommand, startRedisProcess, type RedisServerProcess } from './redis-server-process';
import { waitUntil } from './wait-until';
import { freePort } from './service-process';

const MASTER_NAME = 'mymaster';

/** A master, its replica and one Sentinel watching them, all on free ports of 127.0.0.1. */
export interface RedisSentinelSetup {
  /** How a service reaches this setup (REDIS_MODE=sentinel). */
  settings: Extract<RedisSettings, { mode: 'sentinel' }>;
  env: Record<string, string>;
  masterPort: number;
  replicaPort: number;
  /** Has the Sentinel promote the replica; resolves once the Sentinel names it as the master. */
  failover(): Promise<void>;
  /** Stops every process and removes the directory, whatever state they are in. */
  stop(): Promise<void>;
}

/**
 * Starts the three processes in a temporary directory (the Sentinel rewrites its config file
 * there) and resolves once the Sentinel knows the replica, so a failover can be asked for.
 */
export async function startRedisSentinelSetup(): Promise<RedisSentinelSetup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'platform-redis-sentinel-'));
  const processes: RedisServerProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
    // No 5 s wait (Redis 7's default) before the master streams its first snapshot to the replica.
    processes.push(await startRedisProcess(['--dir', dir, '--repl-diskless-sync-delay', '0'], masterPort));
    processes.push(
      await startRedisProcess(['--dir', dir, '--replicaof', '127.0.0.1', String(masterPort)], replicaPort),
    );
    await waitUntil(() => replicaLinkUp(replicaPort), 5000);
    const config = path.join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `dir ${dir}`,
        // Quorum 1: the one Sentinel decides alone. Short timeouts keep the test in seconds.
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        '',
      ].join('\n'),
    );
    processes.push(await startRedisProcess([config, '--sentinel'], sentinelPort));
    await waitUntil(() => sentinelSeesHealthyReplica(sentinelPort), 10_000, 100);
    return {
      settings: {
        mode: 'sentinel',
        sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
        masterName: MASTER_NAME,
        sentinelTls: false,
        tls: false,
      },
      env: {
        REDIS_MODE: 'sentinel',
        REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
        REDIS_SENTINEL_MASTER: MASTER_NAME,
      },
      masterPort,
      replicaPort,
      failover: async () => {
        await redisCommand(sentinelPort, (redis) => redis.call('SENTINEL', 'FAILOVER', MASTER_NAME));
        await waitUntil(
          async () => {
            const [, port] = (await redisCommand(sentinelPort, (redis) =>
              redis.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME),
            )) as [string, string];
            if (Number(port) !== replicaPort) throw new Error(`the Sentinel still names port ${port}`);
          },
          15_000,
          100,
        );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function replicaLinkUp(port: number): Promise<void> {
  const info = await redisCommand(port, (redis) => redis.info('replication'));
  if (!info.includes('master_link_status:up')) throw new Error('the replica has not synced yet');
}

/** The Sentinel only promotes a replica it has seen answering, linked to the master. */
async function sentinelSeesHealthyReplica(port: number): Promise<void> {
  const replicas = (await redisCommand(port, (redis) =>
    redis.call('SENTINEL', 'REPLICAS', MASTER_NAME),
  )) as string[][];
  const healthy = replicas.some((fields) => {
    const field = (name: string): string | undefined => fields[fields.indexOf(name) + 1];
    return field('flags') === 'slave' && field('master-link-status') === 'ok';
  });
  if (!healthy) throw new Error('the Sentinel has not seen a healthy replica yet');
}
