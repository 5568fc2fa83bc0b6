export { loadKubeConfig, type KubeConnectionOptions } from './kube-config';
export { kubeError } from './kube-errors';
export { DEFAULT_PAGE_SIZE } from './paged-list';
export {
  watchResource,
  type WatchedResource,
  type WatchResourceOptions,
  type ListedResource,
  type Selectors,
  type PageQuery,
} from './watch-resource';
export { podsResource, deploymentsResource, eventsResource } from './resources';
export { mergedPodLogs, type MergedLogOptions } from './merged-pod-logs';
export {
  parseTimestampedLine,
  compareLogTimes,
  type MergedLogItem,
  type ContainerLogLine,
  type ContainerMembership,
} from './pod-log-line';
export { listAppEvents, selectAppEvents, type AppObjectsSelector } from './app-events';
export { LeaderElector, type LeaderElectionOptions } from './leader-election';
export { recentPodLogs, type RecentPodLogsOptions } from './recent-pod-logs';
export { appContainerNames, type AppContainersOptions } from './app-containers';
export { kubeApiVersion, type KubeApiProbeOptions } from './kube-api-health';
