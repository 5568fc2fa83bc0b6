import { Kinds, seedApps, startSandbox } from '@platform/sandbox';

interface Command {
  emit?: { perSecond: number; seconds: number; apps: string[] };
  streams?: boolean;
}

/**
 * The sandbox of the fan-out benchmark in its own process: seeded apps, and on command Kubernetes
 * Events of those apps at a steady rate, each carrying its creation time (`sentAt=<ms>`) so the
 * clients can measure delivery latency end to end.
 */
async function main(): Promise<void> {
  const apps = Number(process.argv[2] ?? 200);
  const teams = Math.max(1, Math.min(apps, Number(process.argv[3] ?? 20)));
  const sandbox = await startSandbox({ speed: 1 });
  await seedApps(sandbox.ctx, { apps, teams, podsPerApp: 0, workflowsPerApp: 0 });
  const placements = sandbox.ctx.store.list(Kinds.Application, { namespace: 'argocd' }).items.map((a) => ({
    app: a.metadata.name ?? '',
    namespace: (a.spec as { destination?: { namespace?: string } }).destination?.namespace ?? '',
  }));
  process.on('message', (command: Command) => {
    if (command.streams === true) {
      const open = sandbox.ctx.faults.openStreams();
      process.send?.({
        streams: {
          argocd: open.filter((s) => s.upstream === 'argocd').length,
          kubeWatches: open.filter((s) => s.upstream === 'kube' && !s.path.includes('/log')).length,
        },
      });
    }
    if (command.emit !== undefined) void emit(command.emit.perSecond, command.emit.seconds);
  });

  let serial = 0;
  async function emit(perSecond: number, seconds: number): Promise<void> {
    const tickMs = 10;
    const started = performance.now();
    let emitted = 0;
    while (performance.now() - started < seconds * 1000) {
      // Catch up with the clock, so a late timer does not lower the rate.
      const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
      for (; emitted < due;) {
        const target = placements[emitted % placements.length];
        if (target === undefined) break;
        const now = new Date();
        sandbox.ctx.store.create(Kinds.Event, {
          metadata: { name: `${target.app}.bench${serial}`, namespace: target.namespace },
          involvedObject: { kind: 'Pod', name: `${target.app}-bench`, namespace: target.namespace },
          reason: 'Bench',
          message: `sentAt=${Date.now()}`,
          type: 'Normal',
          count: 1,
          firstTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
          lastTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
          source: { component: 'bench' },
        });
        emitted += 1;
        serial += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    process.send?.({ emitted, ms: performance.now() - started });
  }

  process.send?.({
    port: Number(new URL(sandbox.urls.admin).port),
    urls: sandbox.urls,
    kubeconfigPath: sandbox.kubeconfigPath,
    caFile: sandbox.caFile,
    kubeToken: sandbox.kubeToken,
    argoToken: sandbox.ctx.config.argoToken,
    argocdUsername: sandbox.ctx.config.argocdUsername,
    argocdPassword: sandbox.ctx.config.argocdPassword,
    apps: placements.map((p) => p.app),
  });
}

void main();
