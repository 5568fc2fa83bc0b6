import type { PlatformErrorKind } from '@platform/errors';

/** The single mapping from named error families to HTTP statuses. */
export function statusForKind(kind: PlatformErrorKind): number {
  switch (kind) {
    case 'invalid-request':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unprocessable':
      return 422;
    case 'payload-too-large':
      return 413;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'upstream-failure':
      return 502;
    case 'upstream-unavailable':
      return 503;
    case 'upstream-timeout':
      return 504;
  }
}

const CODE_FOR_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** A code for an error that only carries a status (framework errors). */
export function codeForStatus(status: number): string {
  return CODE_FOR_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}
