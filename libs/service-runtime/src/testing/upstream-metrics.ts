/**
 * The upstream calls a running service has finished, read from its /metrics: the count of
 * `upstream_request_duration_seconds` by `<upstream> <method> <outcome>`.
 */
export async function upstreamCallCounts(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, labels = '', count] of text.matchAll(
    /^upstream_request_duration_seconds_count\{([^}]*)\} (\d+)$/gm,
  )) {
    const label = new Map([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, k = '', v = '']) => [k, v]));
    counts[`${label.get('upstream')} ${label.get('method')} ${label.get('outcome')}`] = Number(count);
  }
  return counts;
}
