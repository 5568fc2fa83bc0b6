import path from 'node:path';
import { BENCH_MONITORING_LIMITS_ENV } from '../lib/bench-limits';
import { heapGuardFlags, processMemory, resetPeak, watchPeak } from '../lib/pod-memory';
import { forkServer, type ForkedServer } from './forked-server';
import { freePort, signHs256 } from './local-auth';
import type { SandboxHello } from './sandbox-hello';

const BENCH_SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const MAIN_JS = path.resolve(__dirname, '..', '..', '..', 'apps', 'monitoring', 'dist', 'main.js');

export interface MonitoringUnderTest {
  server: ForkedServer<{ port: number }>;
  base: string;
  /** An admin token, so one caller may open every stream. */
  token: string;
  /** Its peak RSS until it was ready: loading modules and Nest's start. */
  startupPeakBytes: number;
  /** Its peak RSS since it was ready (the kernel's high-water mark, reset then), until stopped. */
  peak: { peakBytes(): number; stop(): number };
}

/**
 * The built monitoring service in a forked process, against the benchmark's sandbox, run as in
 * its pod: production's entrypoint (deploy/image/node-heap-guard.sh) sizes V8's heap from the
 * container's memory limit, so the heap is held to the same bounds here (deploy/base's limit,
 * rendered), and a figure that fits only with a bigger heap is not reported as fitting the pod.
 */
export async function startMonitoring(sandbox: SandboxHello, graceMs: number): Promise<MonitoringUnderTest> {
  const heapArgs = heapGuardFlags('monitoring', 'base');
  const port = await freePort();
  const server = await forkServer<{ port: number }>(
    path.join(__dirname, 'service-launcher.js'),
    [MAIN_JS],
    (m) => m.port !== undefined,
    {
      execArgv: heapArgs,
      env: {
        ...process.env,
        ...BENCH_MONITORING_LIMITS_ENV,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // The development secret is refused unless the process runs as development.
        NODE_ENV: 'development',
        AUTH_JWT_SECRET: BENCH_SECRET,
        ARGO_SERVER_URL: sandbox.urls.argo,
        ARGO_TOKEN: sandbox.argoToken,
        ARGOCD_SERVER_URL: sandbox.urls.argocd,
        ARGOCD_USERNAME: sandbox.argocdUsername,
        ARGOCD_PASSWORD: sandbox.argocdPassword,
        KUBECONFIG: sandbox.kubeconfigPath,
        STREAM_GRACE_MS: String(graceMs),
      },
    },
  );
  const token = signHs256(BENCH_SECRET, {
    sub: 'bench',
    teams: [],
    groups: ['platform-admins'],
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  const pid = server.child.pid ?? 0;
  const startupPeakBytes = processMemory(pid).peakRssBytes;
  resetPeak(pid);
  return { server, base: `http://127.0.0.1:${port}`, token, startupPeakBytes, peak: watchPeak(pid) };
}
