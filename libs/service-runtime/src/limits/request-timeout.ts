import { ServiceUnavailableError } from '@platform/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { RequestContext } from '../logging/request-context';
import { MAX_WAIT_SECONDS } from '../long-poll/stream-query';
import { routePolicyOf } from './route-policy';

/** What a timed-out request suggests: the next attempt may find the upstreams faster. */
export const TIMED_OUT_RETRY_AFTER_SECONDS = 5;

/** How to stop a request's clock, by its response; gone once stopped or answered. */
const clocks = new WeakMap<ServerResponse, () => void>();

/**
 * Stops the request clock of a response that has become a stream (see {@link requestTimeouts}):
 * its timer, its AbortController and the listener that would abort it when the client goes. An
 * SSE stream hijacks its reply once the access checks are done, so none of them can fire for it
 * any more, yet each would stay allocated as long as the stream is open: a kilobyte and a half
 * of heap for each of thousands of idle streams.
 */
export function stopRequestClock(res: ServerResponse): void {
  clocks.get(res)?.();
}

/**
 * Every business request must be answered within REQUEST_TIMEOUT_MS (a stream route's long-poll
 * form within its longest wait on top): otherwise it is answered 503 REQUEST_TIMEOUT with
 * Retry-After, and the signal its upstream calls carry (RequestContext.signal) aborts, so they
 * stop too. The signal also aborts when the client goes away before its answer is complete. An
 * SSE stream hijacks its reply, which stops the clock: heartbeats and the token's expiry bound it.
 *
 * Not Fastify's own `handlerTimeout`/`request.signal`: in Fastify 5.11 both end as soon as a
 * request's body has been read (they listen for the request's 'close'), so a POST would have its
 * calls cancelled at once and never time out (fastify/fastify#6725).
 */
export function requestTimeouts(fastify: FastifyInstance, requestTimeoutMs: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const policy = routePolicyOf(request);
    if (policy.auth !== 'public') {
      const ms = requestTimeoutMs + (policy.routeClass === 'stream' ? MAX_WAIT_SECONDS * 1000 : 0);
      RequestContext.attachSignal(request.raw, stopAfter(request, reply, ms));
    }
    done();
  });
}

function stopAfter(request: FastifyRequest, reply: FastifyReply, ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    // Answered already, or hijacked by a stream: nothing to stop.
    if (reply.sent) return;
    const timedOut = new ServiceUnavailableError(
      'REQUEST_TIMEOUT',
      `the request took longer than ${ms} ms and was stopped; try again in ${TIMED_OUT_RETRY_AFTER_SECONDS} s`,
      TIMED_OUT_RETRY_AFTER_SECONDS,
      { timeoutMs: ms },
    );
    controller.abort(timedOut);
    // An Error sent goes through the error handler: the envelope, like any thrown error.
    void reply.send(timedOut);
  }, ms);
  const onClose = (): void => {
    clocks.delete(reply.raw);
    clearTimeout(timer);
    if (!reply.raw.writableFinished) {
      controller.abort(
        new DOMException(`the client of ${request.method} ${request.url} went away`, 'AbortError'),
      );
    }
  };
  reply.raw.once('close', onClose);
  clocks.set(reply.raw, () => {
    clocks.delete(reply.raw);
    clearTimeout(timer);
    reply.raw.off('close', onClose);
    RequestContext.detachSignal(request.raw);
  });
  return controller.signal;
}
