import type { IncomingMessage } from 'node:http';
import type { Router } from '../core/http-kit';
import { readJson, sendJson } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { FieldChecker, objectBody } from './admin-errors';
import type { DevIdentity } from './dev-identity';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/;

/** The development sign-in: the JWKS and `POST /admin/token`. */
export function identityRoutes(router: Router, ctx: SandboxContext, identity: DevIdentity): void {
  router
    .on('GET', '/.well-known/jwks.json', async (_req, res) => sendJson(res, 200, await identity.jwks()))
    .on('POST', '/admin/token', async (req, res) => {
      const check = new FieldChecker(objectBody(await readJson(req)), [
        'sub',
        'name',
        'teams',
        'groups',
        'ttlSeconds',
      ]);
      const sub = check.string('sub', NAME, 'must be a user id (letters, digits, . _ @ : -)', true);
      const name = check.string('name', /^.{1,200}$/, 'must be a non-empty string of at most 200 characters');
      const teams = check.strings('teams', NAME, 'a team name', { required: true });
      const groups = check.strings('groups', NAME, 'a group name');
      const ttlSeconds = check.number('ttlSeconds', 1, 30 * 86_400, { integer: true });
      check.done();
      const issued = await identity.sign(
        { sub: sub ?? '', name, teams: teams ?? [], groups, ttlSeconds },
        issuerOf(ctx, req),
      );
      sendJson(res, 200, issued);
    });
}

/** The admin base URL; before the sandbox knows it, the address the request came to. */
export function issuerOf(ctx: SandboxContext, req: IncomingMessage): string {
  return ctx.urls.admin !== '' ? ctx.urls.admin : `http://${req.headers.host ?? ctx.config.host}`;
}
