import type { Container } from './workload-types';

type ResourceList = Record<string, string | number>;

/**
 * The pod's QoS class as the API server computes it (kubernetes `pkg/apis/core/helper/qos`
 * GetPodQOS): BestEffort without any cpu or memory request or limit, Guaranteed when every
 * container limits both and requests what it limits, Burstable otherwise.
 */
export function podQosClass(spec: { containers: Container[]; initContainers?: Container[] }): string {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  let anySet = false;
  let guaranteed = true;
  for (const container of containers) {
    const resources = (container.resources ?? {}) as { requests?: ResourceList; limits?: ResourceList };
    const limits = computeResources(resources.limits);
    const requests = { ...limits, ...computeResources(resources.requests) };
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) anySet = true;
    for (const name of ['cpu', 'memory']) {
      if (limits[name] === undefined || String(requests[name]) !== String(limits[name])) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Only cpu and memory decide the class; a zero quantity counts as unset. */
function computeResources(list: ResourceList | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [name, value] of Object.entries(list ?? {})) {
    if ((name === 'cpu' || name === 'memory') && !/^0+(\.0*)?[A-Za-z]*$/.test(String(value)))
      out[name] = value;
  }
  return out;
}
