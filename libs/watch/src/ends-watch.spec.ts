import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  UnauthorizedError,
  UpstreamFailureError,
  UpstreamUnavailableError,
} from '@platform/errors';
import { endsWatch } from './ends-watch';

describe(endsWatch.name, () => {
  it.each([
    ['401', new UnauthorizedError('X_UNAUTHORIZED', 'bad token'), true],
    ['403', new ForbiddenError('X_FORBIDDEN', 'no list on pods'), true],
    ['400', new InvalidRequestError('X_INVALID', 'too old resource version'), false],
    ['404', new NotFoundError('X_NOT_FOUND', 'gone'), false],
    ['410', new ConflictError('X_EXPIRED', 'expired'), false],
    ['503', new UpstreamUnavailableError('X_UNAVAILABLE', 'down', 2), false],
    ['500', new UpstreamFailureError('X_FAILURE', 'boom'), false],
    ['a network error', new Error('ECONNRESET'), false],
  ])('%s ends the watch: %s', (_, error, ends) => {
    expect(endsWatch(error)).toBe(ends);
  });
});
