import { ServiceEnv } from '@platform/service-runtime';

/** Environment of the monitoring service. Later issues add the upstream connections here. */
export class MonitoringEnv extends ServiceEnv {
  override PORT = 3002;
  override ROUTE_PREFIX = '/monitoring/v1';
}
