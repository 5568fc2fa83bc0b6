import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  type PlatformError,
  UnauthorizedError,
  UpstreamFailureError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@platform/errors';

interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

/**
 * Turns a client-node failure (ApiException with the Status as raw text in `body`, or a network
 * error) into a named platform error carrying the API server's message.
 */
export function kubeError(error: unknown): PlatformError | Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    const status = parseStatus((error as { body?: unknown }).body);
    const message = status.message ?? `Kubernetes API answered ${code}`;
    const details = { upstream: 'KUBERNETES', status: code, reason: status.reason };
    switch (code) {
      case 400:
      case 422:
        return new InvalidRequestError('KUBERNETES_INVALID_REQUEST', message, details);
      case 401:
        return new UnauthorizedError('KUBERNETES_UNAUTHORIZED', message, details);
      case 403:
        return new ForbiddenError('KUBERNETES_FORBIDDEN', message, details);
      case 404:
        return new NotFoundError('KUBERNETES_NOT_FOUND', message, details);
      case 409:
        return new ConflictError('KUBERNETES_CONFLICT', message, details);
      case 410:
        return new ConflictError('KUBERNETES_EXPIRED', message, details);
      case 429:
      case 503:
        return new UpstreamUnavailableError('KUBERNETES_UNAVAILABLE', message, 2, details);
      case 504:
        return new UpstreamTimeoutError('KUBERNETES_TIMEOUT', message, details);
      default:
        return new UpstreamFailureError('KUBERNETES_FAILURE', message, details);
    }
  }
  if (typeof code === 'string' || (error as { name?: string }).name === 'FetchError') {
    return new UpstreamUnavailableError(
      'KUBERNETES_UNAVAILABLE',
      `Kubernetes API unreachable: ${(error as Error).message}`,
      2,
      { upstream: 'KUBERNETES' },
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'object' && body !== null) return body;
  if (typeof body !== 'string') return {};
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { message: body.slice(0, 300) };
  }
}
