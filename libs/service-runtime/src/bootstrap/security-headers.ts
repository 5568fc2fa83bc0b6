import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The Content-Security-Policy of every response. The API answers JSON and event streams, which
 * need none of it; what it shapes is the OpenAPI UI at /docs: its scripts and stylesheets come
 * from this origin (the document is inside its init script), swagger-ui sets inline styles and
 * data: images, and "try it out" calls this origin. Nothing may frame the pages. No
 * upgrade-insecure-requests: the pods speak plain HTTP behind the Ingress, and a browser on a
 * port-forward would be sent to an https:// that does not exist.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
};

/**
 * Helmet's security headers on every response (nosniff, frame and referrer policies, HSTS, CSP,
 * cross-origin policies). It sets them on the raw response, so hijacked replies (SSE) carry
 * them too.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
}
