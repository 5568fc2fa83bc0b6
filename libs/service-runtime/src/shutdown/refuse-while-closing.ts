import { ServiceUnavailableError } from '@platform/errors';
import type { FastifyInstance } from 'fastify';

/** What a refused request is told to wait: another replica (or this one's successor) answers by then. */
export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

/**
 * Once the server is closing (the drain is over, the listener no longer accepts), a request that
 * still arrives on an open keep-alive connection is answered 503 SHUTTING_DOWN in the platform's
 * error envelope, with Retry-After and `Connection: close` (Fastify adds it while closing), before
 * authentication or anything else runs: nothing of it was accepted, so the client may send it
 * again elsewhere. Fastify's own answer for this (`return503OnClosing`, turned off in
 * createServiceApp) has a body of its own shape and no Retry-After. Register it before any other
 * onRequest hook.
 */
export function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, _reply, done) => {
    if (!closing) {
      done();
      return;
    }
    done(
      new ServiceUnavailableError(
        'SHUTTING_DOWN',
        `this replica is shutting down and took nothing of this request; send it again (after ${SHUTTING_DOWN_RETRY_AFTER_SECONDS} s another replica answers)`,
        SHUTTING_DOWN_RETRY_AFTER_SECONDS,
      ),
    );
  });
}
