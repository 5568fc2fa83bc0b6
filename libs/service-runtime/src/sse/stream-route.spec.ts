import type { FastifyRequest } from 'fastify';
import { streamRouteOf } from './stream-route';

function routed(url: string | undefined, raw = '/raw?x=1'): FastifyRequest {
  return { routeOptions: { url }, url: raw } as unknown as FastifyRequest;
}

describe(streamRouteOf.name, () => {
  it.each([
    ['/monitoring/v1/apps/:app/events', '/monitoring/v1', '/apps/:app/events'],
    ['/summary/v1/stream', '/summary/v1', '/stream'],
    // A root route (outside the prefix) and a route that only starts like the prefix keep theirs.
    ['/metrics', '/summary/v1', '/metrics'],
    ['/summary/v10/stream', '/summary/v1', '/summary/v10/stream'],
    ['/stream', '', '/stream'],
  ])('labels %s under prefix "%s" as %s', (url, prefix, expected) => {
    expect(streamRouteOf(routed(url), prefix)).toBe(expected);
  });

  it('falls back to the request URL when no route matched', () => {
    expect(streamRouteOf(routed(undefined), '/x')).toBe('/raw?x=1');
  });
});
