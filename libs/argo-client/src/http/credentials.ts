import { ArgoCdSession } from '../argocd/session-token';
import { HttpTransport, type TransportOptions } from './http-transport';
import { FileToken, StaticToken, type TokenProvider } from './token-provider';

/** How a service authenticates to the Argo Workflows server: a token, or a file holding one. */
export interface ArgoWorkflowsCredentials {
  token?: string;
  tokenFile?: string;
}

/** How a service authenticates to Argo CD: an account token, or a local account's login. */
export interface ArgoCdCredentials {
  token?: string;
  username: string;
  password?: string;
}

export function argoWorkflowsAuth(credentials: ArgoWorkflowsCredentials): TokenProvider {
  return credentials.tokenFile !== undefined
    ? new FileToken(credentials.tokenFile)
    : new StaticToken(credentials.token);
}

/**
 * A static account token when there is one, else a session logged in (and renewed on 401) with
 * the account's password through a transport of its own built from `login`.
 */
export function argoCdAuth(
  credentials: ArgoCdCredentials,
  login: Omit<TransportOptions, 'upstream' | 'auth'>,
): TokenProvider {
  if (credentials.token !== undefined) return new StaticToken(credentials.token);
  return new ArgoCdSession(
    // Concurrent requests share one login: one request being cancelled must not cancel theirs.
    new HttpTransport({ ...login, contextSignal: undefined, upstream: 'ARGO_CD' }),
    credentials.username,
    credentials.password ?? '',
  );
}
