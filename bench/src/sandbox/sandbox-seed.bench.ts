import { seedFigures } from '@platform/sandbox';
import path from 'node:path';
import { startChildServer } from '../lib/child-server';
import { printTable } from '../lib/table';

const APPS = 10_000;

/**
 * Seeding 10,000 apps (Application, Deployment, pods, finished workflows, events) into a running
 * sandbox through its admin API, against the baseline of the same seed into a bare store in this
 * process (no servers, no controllers). Targets: under 30 s, sandbox RSS under 1 GiB.
 */
export async function sandboxSeedBench(): Promise<void> {
  const server = await startChildServer(path.join(__dirname, 'sandbox-process.js'), []);
  try {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${server.port}/admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps: APPS }),
    });
    const seeded = (await res.json()) as { apps: number; objects: number; ms: number };
    const wallMs = performance.now() - started;
    // Let the controllers look at everything once before measuring memory.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    server.child.send({ rss: true });
    const { rssBytes } = await server.next<{ rssBytes?: number }>((m) => m.rssBytes !== undefined);
    const baseline = await seedFigures(APPS, false);
    printTable(`Sandbox seed: ${APPS} apps (targets: < 30 s, RSS < 1 GiB)`, [
      {
        run: 'running sandbox, admin API',
        objects: seeded.objects,
        seconds: (wallMs / 1000).toFixed(1),
        'RSS MiB': Math.round((rssBytes ?? 0) / 2 ** 20),
      },
      {
        run: 'baseline: bare store, in process',
        objects: baseline.objects,
        seconds: (baseline.ms / 1000).toFixed(1),
        'RSS MiB': baseline.rssMiB,
      },
    ]);
  } finally {
    await server.stop();
  }
}
