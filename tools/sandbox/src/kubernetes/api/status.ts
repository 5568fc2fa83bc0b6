import type { ServerResponse } from 'node:http';
import type { ResourceKind } from '../../core/resource-kinds';
import { StoreError } from '../../core/store-errors';

/** One cause of a failure (`details.causes[]`), as the API server lists field errors. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A validation failure of one field (`FieldValueInvalid`, `FieldValueRequired`, ...). */
export interface FieldError {
  reason: string;
  message: string;
  field: string;
}

/** `details` of a Status: which object the failure (or success) is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A meta/v1 Status, the body of every API server error and of some deletes. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/**
 * A failure Status with the API server's key order. `details` is left out when undefined, as the
 * server does for errors that are not about one object (bad selectors, 401, 410 on watches).
 */
export function failureStatus(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): KubeStatus {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details === undefined) return status;
  // Re-insert `code` after `details` so the bytes match the server's field order.
  const { code: _code, ...rest } = status;
  return { ...rest, details, code };
}

/** `{name, group, kind}` of an object error, without `group` for the core group. */
export function objectDetails(kind: ResourceKind, name: string | undefined): StatusDetails {
  const details: StatusDetails = {};
  if (name !== undefined && name !== '') details.name = name;
  if (kind.group !== '') details.group = kind.group;
  details.kind = kind.plural;
  return details;
}

/** An error that already knows the Status the client must receive. */
export class KubeApiError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
    this.name = 'KubeApiError';
  }

  static badRequest(message: string): KubeApiError {
    return new KubeApiError(failureStatus(400, 'BadRequest', message));
  }

  static notFound(kind: ResourceKind, name: string): KubeApiError {
    const resource = kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
    return new KubeApiError(
      failureStatus(404, 'NotFound', `${resource} "${name}" not found`, objectDetails(kind, name)),
    );
  }

  /** 409 Conflict about one object (`Operation cannot be fulfilled on pods "x": <why>`). */
  static conflict(kind: ResourceKind, name: string, why: string): KubeApiError {
    const resource = kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
    return new KubeApiError(
      failureStatus(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${name}": ${why}`,
        objectDetails(kind, name),
      ),
    );
  }

  /** 422 listing field errors, worded like the API server's validation. */
  static invalid(kind: ResourceKind, name: string, causes: FieldError[]): KubeApiError {
    const summary = causes.map((c) => `${c.field}: ${c.message}`);
    const joined = summary.length === 1 ? (summary[0] ?? '') : `[${summary.join(', ')}]`;
    // A GroupKind prints as `Lease.coordination.k8s.io`, or just `Pod` in the core group.
    const qualified = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
    const details: StatusDetails = { name };
    if (kind.group !== '') details.group = kind.group;
    details.kind = kind.kind;
    details.causes = causes;
    return new KubeApiError(
      failureStatus(422, 'Invalid', `${qualified} "${name}" is invalid: ${joined}`, details),
    );
  }
}

/** 404 for a path the server does not serve at all. */
export const PATH_NOT_FOUND = failureStatus(
  404,
  'NotFound',
  'the server could not find the requested resource',
  {},
);

export const METHOD_NOT_ALLOWED = failureStatus(
  405,
  'MethodNotAllowed',
  'the server does not allow this method on the requested resource',
  {},
);

export const UNAUTHORIZED = failureStatus(401, 'Unauthorized', 'Unauthorized');

/** The Status of a core StoreError (NotFound 404, AlreadyExists/Conflict 409, Invalid 422, ...). */
export function storeErrorStatus(error: StoreError): KubeStatus {
  if (error.reason === 'TooLarge') {
    // apiserver pkg/storage errors.go NewTooLargeResourceVersionError: a Timeout, retry in a second.
    return failureStatus(504, 'Timeout', `Timeout: ${error.message}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  const { name, group, kind } = error.details;
  if (name === undefined && kind === undefined) return failureStatus(error.code, error.reason, error.message);
  const details: StatusDetails = {};
  if (name !== undefined) details.name = name;
  if (group !== undefined && group !== '') details.group = group;
  if (kind !== undefined) details.kind = kind;
  return failureStatus(error.code, error.reason, error.message, details);
}

/** Maps anything thrown while serving a request to the Status the API server would answer. */
export function statusOf(error: unknown): KubeStatus {
  if (error instanceof KubeApiError) return error.status;
  if (error instanceof StoreError) return storeErrorStatus(error);
  if (error instanceof SyntaxError) {
    return failureStatus(400, 'BadRequest', `couldn't get version/kind; json parse error: ${error.message}`);
  }
  if (error instanceof RangeError && /request body larger/.test(error.message)) {
    return failureStatus(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  }
  const message = error instanceof Error ? error.message : String(error);
  return failureStatus(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function sendStatus(res: ServerResponse, status: KubeStatus): void {
  const payload = JSON.stringify(status);
  res.writeHead(status.code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
