import { createHash } from 'node:crypto';

/**
 * A stable hash of what a request asks for: the same action, app and body (whatever the key order
 * of its JSON) give the same fingerprint, any other request another one.
 */
export function requestFingerprint(action: string, app: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([action, app, canonical(body)]))
    .digest('hex')
    .slice(0, 32);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
