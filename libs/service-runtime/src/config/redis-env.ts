import { IsIn } from 'class-validator';
import { EnvBoolean } from './env-boolean';
import { EnvDoc } from './env-doc';
import { parseHostPortList } from './host-port-list';
import { REDIS_MODES, RedisModeKey, type RedisMode } from './redis-mode-key';
import { ServiceEnv } from './service-env';

const REDIS_URL = /^rediss?:\/\/.+/;
const SENTINEL_MASTER = /^[A-Za-z0-9._-]+$/;
const isAddressList = (value: unknown): boolean =>
  typeof value === 'string' && parseHostPortList(value) !== undefined;
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const isText = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/**
 * The environment of a service that keeps state in Redis: one server (`REDIS_URL`), a master found
 * through Redis Sentinel, or a Redis Cluster. Each mode has one way to say each thing: a
 * standalone server's credentials and TLS live in its URL; Sentinel and Cluster have no single
 * URL, so theirs are separate keys.
 */
export class RedisServiceEnv extends ServiceEnv {
  /**
   * Whether the service also runs without Redis (then REDIS_URL may be left unset in standalone
   * mode, and it gets no client): the monitoring service, which uses Redis only to share its rate
   * limits between replicas. Set `static override redisOptional = true` in such a schema.
   */
  static readonly redisOptional: boolean = false;

  @EnvDoc(
    'How the service reaches Redis: standalone (one server, REDIS_URL), sentinel (the master that Redis Sentinel names) or cluster (Redis Cluster)',
  )
  @IsIn(REDIS_MODES, { message: `REDIS_MODE must be one of ${REDIS_MODES.join(', ')}` })
  REDIS_MODE: RedisMode = 'standalone';

  @EnvDoc(
    'standalone: Redis connection URL (redis://[user:password@]host:port[/db] or rediss:// for TLS); required in that mode',
  )
  @RedisModeKey({
    modes: ['standalone'],
    required: true,
    valid: (value) => typeof value === 'string' && REDIS_URL.test(value),
    expected: 'a redis:// or rediss:// URL',
    example: 'redis://127.0.0.1:6379',
  })
  REDIS_URL?: string;

  @EnvDoc('sentinel: the Sentinels to ask for the master, host:port[,host:port...]; required in that mode')
  @RedisModeKey({
    modes: ['sentinel'],
    required: true,
    valid: isAddressList,
    expected: 'host:port[,host:port...]',
    example: 'sentinel-0:26379,sentinel-1:26379',
  })
  REDIS_SENTINELS?: string;

  @EnvDoc('sentinel: the master group name the Sentinels monitor; required in that mode')
  @RedisModeKey({
    modes: ['sentinel'],
    required: true,
    valid: (value) => typeof value === 'string' && SENTINEL_MASTER.test(value),
    expected: 'the master name of `sentinel monitor`',
    example: 'mymaster',
  })
  REDIS_SENTINEL_MASTER?: string;

  @EnvDoc('sentinel: password of the Sentinels themselves (their requirepass), when they have one')
  @RedisModeKey({ modes: ['sentinel'], required: false, valid: isText, expected: 'a password' })
  REDIS_SENTINEL_PASSWORD?: string;

  @EnvDoc('sentinel: connect to the Sentinels over TLS (default false)')
  @EnvBoolean()
  @RedisModeKey({ modes: ['sentinel'], required: false, valid: isBoolean, expected: 'true or false' })
  REDIS_SENTINEL_TLS?: boolean;

  @EnvDoc(
    'cluster: some nodes of the Redis Cluster, host:port[,host:port...] (the rest is discovered); required in that mode',
  )
  @RedisModeKey({
    modes: ['cluster'],
    required: true,
    valid: isAddressList,
    expected: 'host:port[,host:port...]',
    example: 'redis-0:6379,redis-1:6379,redis-2:6379',
  })
  REDIS_CLUSTER_NODES?: string;

  @EnvDoc('sentinel, cluster: ACL user of the Redis servers (standalone: in REDIS_URL)')
  @RedisModeKey({ modes: ['sentinel', 'cluster'], required: false, valid: isText, expected: 'a user name' })
  REDIS_USERNAME?: string;

  @EnvDoc('sentinel, cluster: password of the Redis servers (standalone: in REDIS_URL)')
  @RedisModeKey({ modes: ['sentinel', 'cluster'], required: false, valid: isText, expected: 'a password' })
  REDIS_PASSWORD?: string;

  @EnvDoc(
    'sentinel, cluster: connect to the Redis servers over TLS, default false (standalone: rediss:// in REDIS_URL)',
  )
  @EnvBoolean()
  @RedisModeKey({
    modes: ['sentinel', 'cluster'],
    required: false,
    valid: isBoolean,
    expected: 'true or false',
  })
  REDIS_TLS?: boolean;
}
