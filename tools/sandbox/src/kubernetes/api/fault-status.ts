import { failureStatus, type KubeStatus } from './status';

/** The Status an injected fault answers with, worded as the API server words that code. */
export function faultStatus(code: number): KubeStatus {
  const reason = reasonForCode(code);
  switch (reason) {
    case 'ServiceUnavailable':
      return failureStatus(code, reason, 'the server is currently unable to handle the request', {});
    case 'TooManyRequests':
      return failureStatus(code, reason, 'Too many requests, please try again later.', {
        retryAfterSeconds: 1,
      });
    case 'Timeout':
      return failureStatus(
        code,
        reason,
        'the server was unable to return a response in the time allotted, but may still be processing the request',
        {},
      );
    default:
      return failureStatus(code, reason, 'Internal error occurred: injected fault', {
        causes: [{ message: 'injected fault' }],
      });
  }
}

/** The Status reason the API server uses for an HTTP code (fault injection answers). */
function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}
