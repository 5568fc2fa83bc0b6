import type { IncomingMessage } from 'node:http';
import { GrpcCode, GrpcError } from '../../grpc-gateway';

/** The 401 message of the Argo Workflows server, whatever is wrong with the token. */
export const TOKEN_NOT_VALID = 'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/';

/**
 * Client-mode auth of the Argo Server: `Authorization: Bearer <token>` (the prefix is required),
 * or the `authorization` cookie the UI sets with the same value. The sandbox accepts exactly its
 * configured token.
 */
export function argoAuthenticator(token: string): (req: IncomingMessage) => Promise<{ user: string }> {
  return (req) => {
    const presented = req.headers.authorization ?? authorizationCookie(req.headers.cookie);
    if (presented === `Bearer ${token}`) return Promise.resolve({ user: 'sandbox' });
    return Promise.reject(new GrpcError(GrpcCode.Unauthenticated, TOKEN_NOT_VALID));
  };
}

function authorizationCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'authorization') {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
