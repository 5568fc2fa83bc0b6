import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  UnauthorizedError,
  UpstreamFailureError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@platform/errors';
import { upstreamError } from './upstream-errors';

describe(upstreamError.name, () => {
  it.each([
    [400, 3, InvalidRequestError, 'ARGO_WORKFLOWS_INVALID_REQUEST'],
    [400, 9, InvalidRequestError, 'ARGO_WORKFLOWS_INVALID_REQUEST'],
    [404, 5, NotFoundError, 'ARGO_WORKFLOWS_NOT_FOUND'],
    [409, 6, ConflictError, 'ARGO_WORKFLOWS_CONFLICT'],
    [403, 7, ForbiddenError, 'ARGO_WORKFLOWS_FORBIDDEN'],
    [401, 16, UnauthorizedError, 'ARGO_WORKFLOWS_UNAUTHORIZED'],
    [429, 8, UpstreamUnavailableError, 'ARGO_WORKFLOWS_UNAVAILABLE'],
    [503, 14, UpstreamUnavailableError, 'ARGO_WORKFLOWS_UNAVAILABLE'],
    [504, 4, UpstreamTimeoutError, 'ARGO_WORKFLOWS_TIMEOUT'],
    [500, 13, UpstreamFailureError, 'ARGO_WORKFLOWS_FAILURE'],
    [200, 3, InvalidRequestError, 'ARGO_WORKFLOWS_INVALID_REQUEST'],
  ])('maps HTTP %s / grpc %s to %p', (status, grpc, type, code) => {
    const error = upstreamError('ARGO_WORKFLOWS', status, grpc, 'upstream says no');
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.message).toBe('upstream says no');
  });

  it.each([
    [401, UnauthorizedError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [409, ConflictError],
    [415, InvalidRequestError],
    [502, UpstreamUnavailableError],
    [503, UpstreamUnavailableError],
    [504, UpstreamTimeoutError],
    [500, UpstreamFailureError],
  ])('maps a bare HTTP %s', (status, type) => {
    expect(upstreamError('ARGO_CD', status, undefined, '')).toBeInstanceOf(type);
  });

  it('keeps the retry hint', () => {
    const error = upstreamError('ARGO_CD', 503, undefined, 'down', 12);
    expect((error as UpstreamUnavailableError).retryAfterSeconds).toBe(12);
  });
});
