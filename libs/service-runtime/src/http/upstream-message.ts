/** How the platform names each upstream to its callers (the `details.upstream` of its errors). */
const UPSTREAM_NAMES: Readonly<Record<string, string>> = {
  ARGO_WORKFLOWS: 'Argo Workflows',
  ARGO_CD: 'Argo CD',
  GIT: 'The git server',
  KUBERNETES: 'The Kubernetes API',
  REDIS: 'Redis',
  REGISTRY: 'The registry',
};

/** The upstream's name for a caller; "An upstream service" when the error does not say which. */
export function upstreamName(upstream: unknown): string {
  return (typeof upstream === 'string' ? UPSTREAM_NAMES[upstream] : undefined) ?? 'An upstream service';
}

/**
 * The platform's own words for an upstream failure. What the upstream said (its error text,
 * internal names, addresses) goes to the log, never to the caller.
 */
export function upstreamMessage(status: number, upstream: unknown, retryAfterSeconds?: number): string {
  const name = upstreamName(upstream);
  switch (status) {
    case 503:
      return `${name} is not available right now; try again ${retryAfterSeconds === undefined ? 'later' : `in ${retryAfterSeconds} s`}`;
    case 504:
      return `${name} did not answer in time; try again later`;
    default:
      return `${name} failed or refused this service's request (not a fault of yours); the details are in the service's log`;
  }
}
