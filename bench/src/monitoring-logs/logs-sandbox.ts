import { Kinds, seedApps, startSandbox } from '@platform/sandbox';
import type { LogCommand, LogPod } from './log-protocol';

/**
 * The sandbox of the logs benchmark in its own process: one app whose pods write lines at a steady
 * rate into the sandbox's pod logs (served by its Kubernetes API as a kubelet serves them), each
 * line numbered per pod and stamped with when it was written (`seq=<n> sentAt=<ms>`), so viewers
 * can tell lost, repeated and late lines. Other apps, without pods, for status streams.
 */
async function main(): Promise<void> {
  const podCount = Number(process.argv[2] ?? 50);
  const otherApps = Number(process.argv[3] ?? 0);
  const sandbox = await startSandbox({ speed: 1 });
  await seedApps(sandbox.ctx, { apps: 1, teams: ['logs'], podsPerApp: podCount, workflowsPerApp: 0 });
  const app = 'app-00001';
  const pods: LogPod[] = sandbox.ctx.store
    .list(Kinds.Pod, { namespace: 'logs-dev' })
    .items.filter((p) => (p.metadata.name ?? '').startsWith(`${app}-`))
    .map((p) => ({
      pod: p.metadata.name ?? '',
      container: (p.spec as { containers: Array<{ name: string }> }).containers[0]?.name ?? '',
    }));
  if (otherApps > 0)
    await seedApps(sandbox.ctx, { apps: otherApps, teams: 20, podsPerApp: 0, workflowsPerApp: 0 });
  const others = sandbox.ctx.store
    .list(Kinds.Application, { namespace: 'argocd' })
    .items.map((a) => a.metadata.name ?? '')
    .filter((name) => name !== app);

  const next = pods.map(() => 0);
  let writing: NodeJS.Timeout | undefined;
  // Lines due by the clock, written every 10 ms: a late tick writes what it owes, so the rate holds.
  const write = (perSecond: number): void => {
    clearInterval(writing);
    const started = performance.now();
    // The pods write in step: each is at the same seq when writing starts again.
    const written = Math.max(0, ...next);
    writing = setInterval(() => {
      const due = written + Math.floor(((performance.now() - started) / 1000) * perSecond);
      pods.forEach(({ pod, container }, i) => {
        for (; (next[i] ?? 0) < due; next[i] = (next[i] ?? 0) + 1)
          sandbox.ctx.logs.append(
            'logs-dev',
            pod,
            container,
            `seq=${next[i] ?? 0} sentAt=${Date.now()} GET /api/items 200`,
          );
      });
    }, 10);
  };

  process.on('message', (command: LogCommand) => {
    if (command.write !== undefined) write(command.write.perSecond);
    if (command.stopWriting === true) clearInterval(writing);
    if (command.mark === true) process.send?.({ marked: [...next] });
    if (command.follows === true) {
      const open = sandbox.ctx.faults.openStreams('kube');
      process.send?.({
        follows: open.filter((s) => s.path.includes('/log?') && s.path.includes('follow=true')).length,
      });
    }
  });

  process.send?.({
    port: Number(new URL(sandbox.urls.admin).port),
    urls: sandbox.urls,
    kubeconfigPath: sandbox.kubeconfigPath,
    caFile: sandbox.caFile,
    kubeToken: sandbox.kubeToken,
    argoToken: sandbox.ctx.config.argoToken,
    argocdUsername: sandbox.ctx.config.argocdUsername,
    argocdPassword: sandbox.ctx.config.argocdPassword,
    apps: [app, ...others],
    namespace: 'logs-dev',
    pods,
  });
}

void main();
