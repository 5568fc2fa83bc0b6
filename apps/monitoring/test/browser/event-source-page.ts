/** An event as the page's EventSource handed it over, or a change of its connection. */
export interface SeenEvent {
  type: string;
  /** The EventSource's lastEventId when it fired. */
  id: string;
  data: string | null;
  readyState: number;
}

/** Every event name the monitoring streams send, each needing its own listener on an EventSource. */
const EVENT_NAMES = [
  'snapshot',
  'status',
  'deleted',
  'event',
  'log',
  'pod',
  'task',
  'complete',
  'reconnecting',
  'upstream-error',
  'overflow',
  'shutdown',
  'unauthorized',
];

/**
 * A page whose script opens `new EventSource(<stream query parameter>)` and records every event
 * (name, id, data) and every `open` and `error` with the readyState after it, in `window.seen`.
 */
export const EVENT_SOURCE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>EventSource recorder</title></head>
<body><script>
  window.seen = [];
  const source = new EventSource(new URLSearchParams(location.search).get('stream'));
  window.source = source;
  for (const type of ${JSON.stringify(EVENT_NAMES)}) {
    source.addEventListener(type, (e) =>
      window.seen.push({ type, id: e.lastEventId, data: e.data, readyState: source.readyState }));
  }
  for (const type of ['open', 'error']) {
    source.addEventListener(type, () =>
      window.seen.push({ type, id: '', data: null, readyState: source.readyState }));
  }
</script></body></html>`;
