import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestStore {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestStore>();

/**
 * The id of the request being served, available anywhere below the HTTP layer without passing it
 * along. Services hand `RequestContext.headers` to the upstream clients so that the id reaches
 * Argo, Argo CD and Kubernetes calls.
 */
export const RequestContext = {
  run<T>(requestId: string, fn: () => T): T {
    return storage.run({ requestId }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /** Headers to add to an upstream call made on behalf of the current request. */
  headers(): Record<string, string> {
    const id = storage.getStore()?.requestId;
    return id === undefined ? {} : { 'x-request-id': id };
  },
};
