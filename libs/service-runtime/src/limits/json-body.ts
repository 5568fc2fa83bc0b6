import { InvalidRequestError } from '@platform/errors';
import type { FastifyInstance } from 'fastify';
import { jsonDeeperThan } from './json-depth';

/** Deeper than any body the platform's routes take (a template's parameters are two levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * The one body parser of the services: JSON only (Fastify's own parser, with its __proto__ and
 * constructor checks), refused with 400 JSON_TOO_DEEP when nested deeper than
 * {@link MAX_JSON_DEPTH} before it is parsed. The body's size is bounded by the route's
 * bodyLimit (see routeLimits). Other content types are answered 415.
 */
export function useJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs 'string': Fastify hands over the body decoded.
    const text = body as string;
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new InvalidRequestError(
          'JSON_TOO_DEEP',
          `the JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; no route takes one that deep`,
          { maxDepth: MAX_JSON_DEPTH },
        ),
        undefined,
      );
      return;
    }
    void parse(request, text, done);
  });
}
