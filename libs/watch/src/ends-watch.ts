import { PlatformError } from '@platform/errors';

/**
 * The one rule for when a watch gives up: authentication (401) and authorization (403) failures
 * do not heal by retrying, so the watch fails with them (its consumer tells its clients, or logs
 * that the source is gone for good). Everything else — drops, timeouts, 5xx, 429, 404 — is retried
 * with backoff, and an expired version is listed again.
 */
export function endsWatch(error: unknown): boolean {
  return error instanceof PlatformError && (error.kind === 'unauthorized' || error.kind === 'forbidden');
}
