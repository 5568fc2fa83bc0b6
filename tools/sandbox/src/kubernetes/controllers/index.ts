export { DeploymentController } from './deployment-controller';
export { POD_TIMINGS } from './pod-simulator';
export { CRASH_ANNOTATION, CRASH_ENV } from './workload-types';
export type { DeploymentObject, PodObject, ReplicaSetObject } from './workload-types';
