import type { ServerResponse } from 'node:http';

/**
 * The error codes of the distribution registry (distribution/distribution v2.8
 * `registry/api/errcode/register.go` and `registry/api/v2/errors.go`): each code's fixed message
 * and HTTP status, exactly as the registry words them.
 */
const DISTRIBUTION_CODES = {
  UNKNOWN: { message: 'unknown error', status: 500 },
  UNSUPPORTED: { message: 'The operation is unsupported.', status: 405 },
  UNAUTHORIZED: { message: 'authentication required', status: 401 },
  DENIED: { message: 'requested access to the resource is denied', status: 403 },
  UNAVAILABLE: { message: 'service unavailable', status: 503 },
  TOOMANYREQUESTS: { message: 'too many requests', status: 429 },
  DIGEST_INVALID: { message: 'provided digest did not match uploaded content', status: 400 },
  SIZE_INVALID: { message: 'provided length did not match content length', status: 400 },
  NAME_INVALID: { message: 'invalid repository name', status: 400 },
  TAG_INVALID: { message: 'manifest tag did not match URI', status: 400 },
  NAME_UNKNOWN: { message: 'repository name not known to registry', status: 404 },
  MANIFEST_UNKNOWN: { message: 'manifest unknown', status: 404 },
  MANIFEST_INVALID: { message: 'manifest invalid', status: 400 },
  MANIFEST_UNVERIFIED: { message: 'manifest failed signature verification', status: 400 },
  MANIFEST_BLOB_UNKNOWN: { message: 'blob unknown to registry', status: 400 },
  BLOB_UNKNOWN: { message: 'blob unknown to registry', status: 404 },
  BLOB_UPLOAD_UNKNOWN: { message: 'blob upload unknown to registry', status: 404 },
  BLOB_UPLOAD_INVALID: { message: 'blob upload invalid', status: 404 },
  PAGINATION_NUMBER_INVALID: { message: 'invalid number of results requested', status: 400 },
} as const;

export type DistributionCode = keyof typeof DISTRIBUTION_CODES;

/**
 * The detail of a Go `error` value that distribution marshals as JSON: plain errors
 * (`errors.New`, `fmt.Errorf`) have no exported fields, so they come out as `{}`.
 */
export const GO_ERROR_DETAIL: Readonly<Record<string, never>> = Object.freeze({});

/** One entry of a distribution error envelope; `detail` is left out when undefined (Go's omitempty). */
export class DistributionError extends Error {
  readonly status: number;

  constructor(
    readonly code: DistributionCode,
    readonly detail?: unknown,
    message?: string,
    /** Only for injected faults: a status other than the code's own. */
    status?: number,
  ) {
    super(message ?? DISTRIBUTION_CODES[code].message);
    this.name = 'DistributionError';
    this.status = status ?? DISTRIBUTION_CODES[code].status;
  }

  toJSON(): { code: string; message: string; detail?: unknown } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** Several errors answered together (a manifest missing more than one blob). */
export class DistributionErrors extends Error {
  constructor(readonly errors: DistributionError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'DistributionErrors';
  }
}

/**
 * Writes `{"errors":[...]}` the way distribution's `errcode.ServeJSON` does: the status of the
 * first error, `application/json; charset=utf-8`, and Go's JSON encoder's trailing newline. A
 * HEAD answer keeps the headers (Content-Length included) and drops the body, as Go's server does.
 */
export function sendDistributionErrors(res: ServerResponse, errors: DistributionError[]): void {
  const status = errors[0]?.status ?? 500;
  sendErrorEnvelope(res, status, { errors: errors.map((e) => e.toJSON()) });
}

/**
 * Harbor's own errors (`src/lib/http/error.go` SendError): the same envelope without `detail`,
 * where the message is Harbor's `Error()` text (message, then ": " and the cause when there is one).
 */
export class HarborError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HarborError';
  }
}

export function sendHarborError(res: ServerResponse, error: HarborError): void {
  sendErrorEnvelope(res, error.status, { errors: [{ code: error.code, message: error.message }] });
}

function sendErrorEnvelope(res: ServerResponse, status: number, body: unknown): void {
  const payload = `${JSON.stringify(body)}\n`;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.writeHead(status);
  res.end(payload);
}

/** Go's `http.NotFound`: what the registry's router answers for a path none of its routes match. */
export function sendRouteNotFound(res: ServerResponse): void {
  const payload = '404 page not found\n';
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.writeHead(404);
  res.end(payload);
}
