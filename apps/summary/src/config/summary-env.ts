import { RedisServiceEnv } from '@platform/service-runtime';

/** Environment of the summary service. Later issues add the upstream connections here. */
export class SummaryEnv extends RedisServiceEnv {
  override PORT = 3003;
  override ROUTE_PREFIX = '/summary/v1';
}
