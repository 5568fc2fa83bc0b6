import http from 'node:http';

/** One readiness probe: its status, or the connection error when there was no answer. */
export type Probe = { at: number; status: number } | { at: number; error: string };

/**
 * Probes `<url>/healthz/ready` every `everyMs` on a fresh connection, as the kubelet does, until
 * the listener refuses connections or once more after `until` resolves; returns every probe in order.
 */
export async function watchReadiness(
  url: string,
  everyMs: number,
  until: Promise<unknown>,
): Promise<Probe[]> {
  const probes: Probe[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const agent = new http.Agent({ keepAlive: false });
  for (;;) {
    // One more probe after `until` (the process's exit): a listener that closed between two
    // probes is then seen refusing, instead of the watch ending on its last 503.
    const last = done;
    const probe = await probeOnce(`${url}/healthz/ready`, agent);
    probes.push(probe);
    if (last || ('error' in probe && probe.error === 'ECONNREFUSED')) break;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return probes;
}

function probeOnce(url: string, agent: http.Agent): Promise<Probe> {
  const at = Date.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ at, status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('ETIMEDOUT')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ at, error: error.code ?? error.message }));
  });
}
