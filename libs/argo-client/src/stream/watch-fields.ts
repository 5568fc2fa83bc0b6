/** The `fields=` values of one list-then-watch: for its list request and for its stream. */
export interface WatchFields {
  list: string;
  stream: string;
}

/** What every watch itself reads of an object: its key and the version to resume or compare with. */
const WATCH_PATHS = ['metadata.name', 'metadata.resourceVersion'];

/**
 * Turns paths of ONE object (`metadata.labels`, `status.phase`) into the `fields=` of a list and
 * of a watch stream of such objects, whose payloads hold the object under `resultKey`
 * (`{"result":{"type","object"}}` for Argo Workflows, `{"result":{"type","application"}}` for
 * Argo CD). The list keeps its own `metadata.resourceVersion` and `metadata.continue` (a watch
 * resumes from the former, paging needs the latter). The stream also keeps `error`: grpc-gateway
 * runs its error frame through the same filter, so without it an error arrives as a bare `{}`,
 * which a watch can only take as some failure and back off from, where the server's EOF calls
 * for resuming at once and a version too old for listing again.
 * Matching is by string prefix on the server (argoproj/pkg), so a path keeps a little more
 * than itself at worst, never less.
 */
export function watchFields(paths: readonly string[], resultKey: 'object' | 'application'): WatchFields {
  for (const path of paths) {
    if (path === '' || path.includes(',') || path.startsWith('-'))
      throw new RangeError(`not a field path for fields=: ${JSON.stringify(path)}`);
  }
  const itemPaths = [...new Set([...WATCH_PATHS, ...paths])];
  return {
    list: ['metadata.resourceVersion', 'metadata.continue', ...itemPaths.map((p) => `items.${p}`)].join(','),
    stream: ['result.type', ...itemPaths.map((p) => `result.${resultKey}.${p}`), 'error'].join(','),
  };
}
