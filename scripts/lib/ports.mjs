// @ts-check
// The local platform's ports, shared by `npm start` and `npm run demo`. Unset PLATFORM_PORT_BASE
// keeps the documented layout (gateway 8080, services 3001-3003, sandbox 7100-7105); a base N
// packs everything into N..N+9 (gateway N, task/monitoring/summary N+1..N+3, sandbox N+4..N+9),
// so a second copy (a test, another checkout) runs beside it without colliding.

/** @param {NodeJS.ProcessEnv} env */
export function platformPorts(env = process.env) {
  const raw = env.PLATFORM_PORT_BASE;
  if (raw === undefined || raw === '') {
    return { gateway: 8080, task: 3001, monitoring: 3002, summary: 3003, sandboxBase: 7100 };
  }
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    throw new Error(`PLATFORM_PORT_BASE must be a port number from 1024 to 65000, got "${raw}"`);
  }
  return { gateway: base, task: base + 1, monitoring: base + 2, summary: base + 3, sandboxBase: base + 4 };
}

/** The sandbox servers in the order of their ports (its CLI's --port-base). */
export const SANDBOX_SERVERS = ['kube', 'argo', 'argocd', 'git', 'admin', 'registry'];
