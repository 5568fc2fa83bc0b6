import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { Authenticator } from '../auth/authenticator';
import type { RateLimitCheck } from './rate-limits';
import { routePolicyOf } from './route-policy';

/**
 * What every business request passes before anything reads its body: authentication (the token,
 * or a stream route's ticket), then its rate budget, counted per user, or per client address when
 * the credential was bad (so a flood of bad tokens is limited too), then the refusal of a bad
 * credential. Fastify reads and parses a body only after the onRequest hooks, so a refused request
 * never has its body read: its connection is closed instead. Nest's guards run after the body is
 * parsed; the AuthGuard only checks what the gate found. Public routes (health, metrics, docs)
 * pass untouched.
 */
export function installRequestGate(
  fastify: FastifyInstance,
  authenticator: Authenticator,
  rateLimit: RateLimitCheck | undefined,
): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const policy = routePolicyOf(request);
    if (policy.auth === 'public') return;
    let refusal: Error | undefined;
    try {
      (request as AuthenticatedRequest).principal = await authenticator.authenticate(
        request,
        policy.auth === 'stream',
      );
    } catch (error) {
      refusal = error as Error;
    }
    try {
      await rateLimit?.(request, reply);
      if (policy.routeClass === 'stream') onRawResponse(reply, RATE_LIMIT_HEADERS);
    } catch (error) {
      refusal = error as Error;
    }
    if (refusal === undefined) return;
    // The body is not wanted: closing the connection after the answer spares reading it.
    if (hasBody(request)) void reply.header('connection', 'close');
    throw refusal;
  });
}

/** The headers @fastify/rate-limit sets (the IETF draft's names). */
const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

/**
 * Copies headers set on the reply to the raw response too, where an SSE stream, which hijacks
 * its reply and writes the raw response itself, still sends them.
 */
function onRawResponse(reply: FastifyReply, names: readonly string[]): void {
  for (const name of names) {
    const value = reply.getHeader(name);
    if (value !== undefined) reply.raw.setHeader(name, value);
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
