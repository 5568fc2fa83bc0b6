import { ConflictError, PlatformError, UpstreamUnavailableError } from './index';

describe(PlatformError.name, () => {
  it('keeps code, message, details, cause and a name that identifies the subclass', () => {
    const cause = new Error('etcd said no');
    const err = new ConflictError('APP_EXISTS', 'app "shop" exists', { app: 'shop' }, { cause });
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConflictError');
    expect(err.kind).toBe('conflict');
    expect(err.code).toBe('APP_EXISTS');
    expect(err.message).toBe('app "shop" exists');
    expect(err.details).toEqual({ app: 'shop' });
    expect(err.cause).toBe(cause);
  });

  it('carries a retry hint on upstream unavailability', () => {
    const err = new UpstreamUnavailableError('ARGO_UNAVAILABLE', 'argo is down', 5);
    expect(err.retryAfterSeconds).toBe(5);
    expect(err.kind).toBe('upstream-unavailable');
  });
});
