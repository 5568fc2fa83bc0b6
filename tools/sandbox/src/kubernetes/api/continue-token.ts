import { KubeApiError } from './status';

/**
 * A list continuation, shaped like the API server's own (`{"v":"meta.k8s.io/v1","rv":N,"start":KEY}`
 * in unpadded base64url): the resourceVersion of the first page and the key after which the next
 * page starts. Continuing by key rather than by position means objects created or deleted between
 * pages shift nothing.
 */
export interface ContinueToken {
  rv: number;
  /** `namespace/name` (or `name`) of the last item already returned. */
  after: string;
}

const VERSION = 'meta.k8s.io/v1';

export function encodeContinue(token: ContinueToken): string {
  // The server's keys end with a NUL so that the next key sorts strictly after the last one.
  const json = JSON.stringify({ v: VERSION, rv: token.rv, start: `${token.after}\u0000` });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a `continue` query value; a malformed one is 400 as on the real server. */
export function decodeContinue(text: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw KubeApiError.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  const record = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (typeof record !== 'object' || record === null || record.v !== VERSION) {
    throw KubeApiError.badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  if (
    typeof record.rv !== 'number' ||
    !Number.isInteger(record.rv) ||
    record.rv < 0 ||
    typeof record.start !== 'string'
  ) {
    throw KubeApiError.badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  return { rv: record.rv, after: record.start.endsWith('\u0000') ? record.start.slice(0, -1) : record.start };
}
