import { RedisServiceEnv } from '@platform/service-runtime';

/** Environment of the task service. Later issues add the Argo Workflows connection here. */
export class TaskEnv extends RedisServiceEnv {
  override PORT = 3001;
  override ROUTE_PREFIX = '/task/v1';
}
