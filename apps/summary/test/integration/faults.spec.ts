import { startSandbox, type Sandbox } from '@platform/sandbox';
import {
  openSse,
  signTestToken,
  spawnService,
  freePort,
  waitForStatus,
  TEST_REDIS_URL,
  type ServiceProcess,
} from '@platform/service-runtime/testing';
import path from 'node:path';
import type { SummaryStats as Stats } from '@platform/domain';
import { ChangeLog } from '../support/change-log';
import { essentials, sandboxTruth, servedApps } from '../support/sandbox-truth';
import { deletePrefix, getJson, sandboxEnv, testPrefix, until } from '../support/summary-harness';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'main.js');

/**
 * Two replicas as real processes over one sandbox: upstream streams dropped, 410s forced, the
 * leader killed. After each fault stops, every summary equals the sandbox's truth within 5 s, and
 * the change log shows the writers' epochs only ever moving forward (no two leaders wrote at once).
 */
describe('summary under faults: dropped streams, 410s, a killed leader (two replicas)', () => {
  const prefix = testPrefix();
  let sandbox: Sandbox;
  let log: ChangeLog;
  let admin: string;
  const replicas = new Map<string, { proc: ServiceProcess; base: string }>();

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 10 });
    const seeded = await fetch(`${sandbox.urls.admin}/admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps: 30, teams: 3, podsPerApp: 1 }),
    });
    expect(seeded.status).toBe(200);
    log = await ChangeLog.open(TEST_REDIS_URL, prefix);
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
    for (const identity of ['replica-a', 'replica-b']) {
      const port = await freePort();
      const proc = spawnService(MAIN, {
        ...sandboxEnv(sandbox, { SUMMARY_KEY_PREFIX: prefix, POD_NAME: identity, SHUTDOWN_DRAIN_MS: '0' }),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
      const base = `http://127.0.0.1:${port}`;
      await waitForStatus(`${base}/healthz/ready`, 200);
      replicas.set(identity, { proc, base });
    }
  }, 60_000);
  afterAll(async () => {
    for (const { proc } of replicas.values()) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    log.close();
    await sandbox.stop();
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  const anyBase = (): string => [...replicas.values()][0]?.base ?? '';

  /** Every replica serves exactly the sandbox's truth within `ms`. */
  async function converged(ms = 5000): Promise<void> {
    await until(async () => {
      const truth = sandboxTruth(sandbox);
      for (const { base } of replicas.values()) {
        const served = (await servedApps(base, admin)).map(essentials);
        expect(served).toEqual(truth);
      }
    }, ms);
  }

  async function leader(): Promise<string> {
    return until(async () => {
      const { body } = await getJson<Stats>(`${anyBase()}/summary/v1/stats`, admin);
      expect(body.collector.freshAt).not.toBeNull();
      // Taking the lead includes listing every source, then writing: never shorter than the write.
      expect(body.collector.freshAfterMs).toBeGreaterThanOrEqual(body.collector.resyncMs ?? Infinity);
      return body.collector.leader ?? '';
    });
  }

  const crash = (app: string, team: string, on = true): Promise<Response> =>
    fetch(`${sandbox.urls.admin}/admin/apps/${team}-dev/${app}/crash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crash: on }),
    });

  it('one replica leads and resyncs fully; both serve the seeded apps', async () => {
    expect(['replica-a', 'replica-b']).toContain(await leader());
    expect(sandboxTruth(sandbox)).toHaveLength(30);
    await converged(15_000);
  }, 30_000);

  it('catches up after every upstream stream was dropped while apps changed, and every replica streams it', async () => {
    // Changes reach SSE clients of every replica (Redis pub/sub), not only the leader's.
    const streams = await Promise.all(
      [...replicas.values()].map(({ base }) => openSse(`${base}/summary/v1/stream?access_token=${admin}`)),
    );
    for (const upstream of ['kube', 'argo', 'argocd']) {
      const res = await fetch(`${sandbox.urls.admin}/admin/faults/${upstream}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dropStreamsEverySec: 0.3 }),
      });
      expect(res.status).toBe(200);
    }
    expect((await crash('app-00001', 'team-01')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await fetch(`${sandbox.urls.admin}/admin/faults`, { method: 'DELETE' });
    await converged();
    const served = (await servedApps(anyBase(), admin)).find((a) => a.app === 'app-00001');
    expect(served?.health.status).not.toBe('Healthy');
    for (const stream of streams) {
      await stream.waitFor((text) => /event: app\nid: [^\n]+\ndata: \{"app":"app-00001"/.test(text), 5000);
      stream.close();
    }
  }, 30_000);

  it('relists after forced 410s and still converges', async () => {
    for (const upstream of ['kube', 'argo', 'argocd']) {
      await fetch(`${sandbox.urls.admin}/admin/faults/${upstream}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ force410: true }),
      });
      await fetch(`${sandbox.urls.admin}/admin/faults/${upstream}/drop-streams`, { method: 'POST' });
    }
    await fetch(`${sandbox.urls.admin}/admin/expire-history`, { method: 'POST' });
    expect((await crash('app-00001', 'team-01', false)).status).toBe(200);
    expect((await crash('app-00002', 'team-02')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await fetch(`${sandbox.urls.admin}/admin/faults`, { method: 'DELETE' });
    await converged();
  }, 30_000);

  it('hands over to the other replica when the leader is killed', async () => {
    const first = await leader();
    const victim = replicas.get(first);
    victim?.proc.child.kill('SIGKILL');
    await victim?.proc.exited;
    replicas.delete(first);
    expect((await crash('app-00003', 'team-03')).status).toBe(200);
    // The lease (2 s) must expire before the survivor may take over; then it resyncs.
    await until(async () => expect(await leader()).not.toBe(first), 10_000);
    await converged();
    expect(log.writers.length).toBeGreaterThanOrEqual(2);
  }, 40_000);

  it('never had two writers at once: the epochs of published changes only go forward', () => {
    const writers = log.writers;
    expect(writers).toEqual([...writers].sort((a, b) => a - b));
    expect(new Set(writers).size).toBe(writers.length);
  });
});
