import type { Router } from '../core/http-kit';
import { readJson, sendJson } from '../core/http-kit';
import { UPSTREAMS, type Upstream } from '../core/faults';
import type { SandboxContext } from '../core/sandbox-context';
import { AdminError } from './admin-errors';
import { parseFaultConfig } from './fault-config';

/** Fault knobs per upstream, the streams they apply to, and history expiry (410 on every resume). */
export function faultRoutes(router: Router, ctx: SandboxContext): void {
  const all = () => Object.fromEntries(UPSTREAMS.map((u) => [u, ctx.faults.get(u)]));
  router
    .on('GET', '/admin/faults', (_req, res) => sendJson(res, 200, { faults: all() }))
    .on('DELETE', '/admin/faults', (_req, res) => {
      ctx.faults.clear();
      sendJson(res, 200, { faults: all() });
    })
    .on('PUT', '/admin/faults/:upstream', async (req, res, params) => {
      const upstream = upstreamOf(params.upstream);
      const config = parseFaultConfig(await readJson(req));
      ctx.faults.set(upstream, config);
      sendJson(res, 200, { upstream, faults: ctx.faults.get(upstream) });
    })
    .on('POST', '/admin/faults/:upstream/drop-streams', (_req, res, params) => {
      sendJson(res, 200, { dropped: ctx.faults.dropStreams(upstreamOf(params.upstream)) });
    })
    .on('GET', '/admin/streams', (_req, res) => {
      const open = ctx.faults.openStreams();
      const counts = Object.fromEntries(
        UPSTREAMS.map((u) => [u, open.filter((s) => s.upstream === u).length]),
      );
      sendJson(res, 200, {
        streams: counts,
        total: open.length,
        open: open.map((s) => ({ upstream: s.upstream, path: s.path })),
      });
    })
    .on('POST', '/admin/expire-history', (_req, res) => {
      ctx.store.expireHistory();
      sendJson(res, 200, {
        resourceVersion: ctx.store.resourceVersion,
        oldestResumableVersion: String(ctx.store.oldestResumableVersion),
      });
    });
}

function upstreamOf(name: string | undefined): Upstream {
  const upstream = UPSTREAMS.find((u) => u === name);
  if (upstream === undefined)
    throw AdminError.notFound(`unknown upstream "${name ?? ''}"; expected one of ${UPSTREAMS.join(', ')}`);
  return upstream;
}
