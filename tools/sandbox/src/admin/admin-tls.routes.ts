import type { Router } from '../core/http-kit';
import { sendJson } from '../core/http-kit';
import type { SandboxContext, SandboxUrls } from '../core/sandbox-context';

/** The sandbox's CA, for clients that reach it only through the admin API. */
export interface SandboxCaInfo {
  caFile: string;
  caPem: string;
}

/**
 * `GET /admin/tls`: the CA that signed the certificate of every server that speaks HTTPS (its PEM
 * and its file), and which servers those are.
 */
export function tlsRoutes(router: Router, ctx: SandboxContext, ca: SandboxCaInfo): void {
  router.on('GET', '/admin/tls', (_req, res) => {
    const servers = Object.keys(ctx.urls) as Array<keyof SandboxUrls>;
    const https = servers.filter((name) => ctx.urls[name].startsWith('https:'));
    sendJson(res, 200, { caFile: ca.caFile, caPem: ca.caPem, https });
  });
}
