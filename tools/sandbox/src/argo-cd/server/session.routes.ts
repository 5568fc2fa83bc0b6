import type { Router } from '../../core/http-kit';
import type { Gateway } from '../../grpc-gateway';
import type { ArgoCdSessions } from './session';

/** Login, logout, user info and version: the calls Argo CD serves without a session. */
export function sessionRoutes(router: Router, gateway: Gateway, sessions: ArgoCdSessions): void {
  router.on(
    'POST',
    '/api/v1/session',
    gateway.unary(async ({ body }) => sessions.login(await body()), { public: true }),
  );
  router.on(
    'DELETE',
    '/api/v1/session',
    gateway.unary(() => Promise.resolve({}), { public: true }),
  );
  router.on(
    'GET',
    '/api/v1/session/userinfo',
    gateway.unary(
      async ({ req }) => {
        try {
          const { user } = await sessions.authenticate(req);
          return { loggedIn: true, username: user, iss: 'argocd' };
        } catch {
          return {};
        }
      },
      { public: true },
    ),
  );
  router.on(
    'GET',
    '/api/version',
    gateway.unary(() => Promise.resolve(VERSION), { public: true }),
  );
}

const VERSION = {
  Version: 'v3.5.1+109ca7c',
  BuildDate: '2025-01-01T00:00:00Z',
  GitCommit: '109ca7ca71139e514114499d294a492e7910a965',
  GitTag: 'v3.5.1',
  GitTreeState: 'clean',
  GoVersion: 'go1.24',
  Compiler: 'gc',
  Platform: 'linux/amd64',
};
