import { AsyncLocalStorage } from 'node:async_hooks';
import { busyNanos } from './busy-time';

interface RequestStore {
  requestId: string;
  /** When this request's upstream calls ran, as [start, end] in ns (Server-Timing, benchmarks). */
  upstreamCalls: Array<[number, number]>;
  /** The raw request, where {@link RequestContext.attachSignal} left its abort signal. */
  carrier?: object;
}

const storage = new AsyncLocalStorage<RequestStore>();
const byRequest = new WeakMap<object, RequestStore>();
const signals = new WeakMap<object, AbortSignal>();

/** What a request spent on upstream calls: wall time during which at least one was in flight. */
export interface UpstreamTiming {
  seconds: number;
  calls: number;
}

/**
 * The id of the request being served, available anywhere below the HTTP layer without passing it
 * along. Services hand `RequestContext.headers` to the upstream clients so that the id reaches
 * Argo, Argo CD and Kubernetes calls, and report the calls' durations back with `recordUpstream`.
 */
export const RequestContext = {
  /** Runs `fn` in a new context; `carrier` (the raw request) lets response hooks find it again. */
  run<T>(requestId: string, fn: () => T, carrier?: object): T {
    const store: RequestStore = { requestId, upstreamCalls: [], carrier };
    if (carrier !== undefined) byRequest.set(carrier, store);
    return storage.run(store, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /** Headers to add to an upstream call made on behalf of the current request. */
  headers(): Record<string, string> {
    const id = storage.getStore()?.requestId;
    return id === undefined ? {} : { 'x-request-id': id };
  },
  /**
   * Lets upstream calls of the request `carrier` (the raw request) be cancelled with `signal`:
   * it aborts when the request runs out of time or its client goes away.
   */
  attachSignal(carrier: object, signal: AbortSignal): void {
    signals.set(carrier, signal);
  },
  /** Forgets the signal of `carrier`: its calls are done (a request that became a stream). */
  detachSignal(carrier: object): void {
    signals.delete(carrier);
  },
  /** The signal that cancels the current request's upstream calls (undefined outside a request). */
  signal(): AbortSignal | undefined {
    const carrier = storage.getStore()?.carrier;
    return carrier === undefined ? undefined : signals.get(carrier);
  },
  /** Records an upstream call that just ended after `seconds` (no-op outside a request). */
  recordUpstream(seconds: number): void {
    const store = storage.getStore();
    if (store === undefined) return;
    const end = Number(process.hrtime.bigint());
    store.upstreamCalls.push([end - seconds * 1e9, end]);
  },
  /** The upstream time of the request `carrier` was given for. */
  upstreamTiming(carrier: object): UpstreamTiming | undefined {
    const store = byRequest.get(carrier);
    if (store === undefined) return undefined;
    return { seconds: busyNanos(store.upstreamCalls) / 1e9, calls: store.upstreamCalls.length };
  },
};
