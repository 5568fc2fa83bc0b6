import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RedisSettings } from '../redis/redis-settings';
import { redisCommand, startRedisProcess, type RedisServerProcess } from './redis-server-process';
import { waitUntil } from './wait-until';
import { freePort } from './service-process';

const MASTERS = 3;

/** A Redis Cluster of three masters (no replicas) on free ports of 127.0.0.1. */
export interface RedisClusterSetup {
  /** How a service reaches it (REDIS_MODE=cluster). */
  settings: Extract<RedisSettings, { mode: 'cluster' }>;
  env: Record<string, string>;
  ports: number[];
  /** Kills one node (its slots are left without a master). */
  stopNode(port: number): Promise<void>;
  /** Stops every node and removes the directory, whatever state they are in. */
  stop(): Promise<void>;
}

/**
 * Starts the nodes in a temporary directory, joins them with `redis-cli --cluster create` (which
 * spreads the 16384 slots over them) and resolves once every node reports cluster_state:ok.
 */
export async function startRedisClusterSetup(): Promise<RedisClusterSetup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'platform-redis-cluster-'));
  const nodes: RedisServerProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < MASTERS; i += 1) {
      const [port, busPort] = [await freePort(), await freePort()];
      nodes.push(
        await startRedisProcess(
          [
            '--dir',
            dir,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            // The bus port defaults to port + 10000, which may be taken (or above 65535).
            '--cluster-port',
            String(busPort),
            '--cluster-node-timeout',
            '2000',
          ],
          port,
        ),
      );
    }
    const ports = nodes.map((node) => node.port);
    await promisify(execFile)(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 20_000 },
    );
    await waitUntil(() => Promise.all(ports.map(clusterStateOk)), 10_000, 100);
    return {
      settings: { mode: 'cluster', nodes: ports.map((port) => ({ host: '127.0.0.1', port })), tls: false },
      env: { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(',') },
      ports,
      stopNode: async (port) => {
        await nodes.find((node) => node.port === port)?.stop();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function clusterStateOk(port: number): Promise<void> {
  const info = (await redisCommand(port, (redis) => redis.call('CLUSTER', 'INFO'))) as string;
  if (!info.includes('cluster_state:ok')) throw new Error(`node ${port} is not in a healthy cluster yet`);
}
