// The newcomer path, end to end: `npm start` as a child process, the demo flow through its
// gateway, then SIGINT — and nothing of it may be left running. Each platform runs on its own
// port block and run directory, so it never meets another `npm start` (a developer's, a test's).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { realTool } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  answeringPorts,
  destroyPlatform,
  leftRunning,
  PORTS,
  run,
  startPlatform,
  STARTUP_MS,
  type Platform,
} from './platform';

const SERVICES = [
  'sandbox/dist/cli.js',
  'gateway/dist/cli.js',
  'task/dist/main.js',
  'monitoring/dist/main.js',
  'summary/dist/main.js',
];

describe('npm start, the demo, then Ctrl-C', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform();
  }, STARTUP_MS + 30_000);
  afterAll(() => destroyPlatform(platform));

  it('serves everything on its own port block and prints what to try', async () => {
    expect(platform.gateway).toBe(`http://127.0.0.1:${platform.base}`);
    expect(await answeringPorts(platform)).toEqual(Array(PORTS).fill(true));
    const commands = platform.npm.stdout.split('\n').filter((line) => line.trim().startsWith('curl '));
    expect(commands).toHaveLength(3);
    for (const command of commands) expect(command).toContain(platform.gateway);
    // The seeded demo apps reach the app list the first command asks for (the summary service's
    // collector folds them in once it holds the lease, a moment after the service is ready).
    const demoApps = async (): Promise<string[]> => {
      const res = await fetch(`${platform.gateway}/summary/v1/apps`, {
        headers: { authorization: `Bearer ${platform.token}` },
      });
      const page = (await res.json()) as { items: Array<{ app: string; team: string }> };
      return page.items.filter((a) => a.team === 'demo').map((a) => a.app);
    };
    let listed = await demoApps();
    for (let i = 0; i < 100 && listed.length < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = await demoApps();
    }
    expect(listed).toEqual(expect.arrayContaining(['app-00001', 'app-00002', 'app-00003']));
  });

  it("prints the sandbox's kubeconfig, with which the real kubectl lists the pods (kubectl get pods -A)", async () => {
    const [, shown = ''] =
      /^ {2}kubeconfig (\S+) +try: KUBECONFIG=\1 kubectl get pods -A$/m.exec(platform.npm.stdout) ?? [];
    expect(shown).toBe(path.join(platform.runDir, 'sandbox', 'kubeconfig'));
    expect(platform.npm.stdout).toMatch(/^ {2}kube {7}https:\/\/127\.0\.0\.1:\d+$/m);
    const { stdout } = await promisify(execFile)(await realTool('kubectl'), ['get', 'pods', '-A'], {
      env: { ...process.env, KUBECONFIG: shown, HOME: platform.runDir },
    });
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    // The seeded demo apps' pods, in the namespace of team demo.
    expect(rows.some((row) => /^\S+ +app-00001-\S+ +\d+\/\d+ +\S+/.test(row))).toBe(true);
  });

  it('says so when started again while it runs', async () => {
    const { code, out } = await run('npm', ['start'], platform.env);
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/already running \(pid \d+\)/);
  });

  it('npm run demo creates, builds, deploys and promotes (approved by another identity) an app, and lists it', async () => {
    const app = `demo-${platform.base}`;
    const env = { ...platform.env, TOKEN: platform.token };
    const { code, out } = await run(
      'npm',
      ['run', 'demo', '--', '--url', platform.gateway, '--name', app],
      env,
    );
    expect({ code, stderr: out.stderr }).toEqual({ code: 0, stderr: '' });
    for (const task of ['create', 'build', 'deploy', 'promote']) {
      expect(out.stdout).toMatch(new RegExp(`^${task} +\\[#{30}\\] (\\d+)/\\1 Succeeded$`, 'm'));
    }
    expect(out.stdout).toMatch(/^build +✔ build-push Succeeded$/m);
    // prod is protected, as in deploy/: the promotion waited for the release manager's approval.
    expect(out.stdout).toMatch(/^ {2}approved by release-manager$/m);
    expect(out.stdout).toMatch(/^ {2}prod: \S+ by digest sha256:[0-9a-f]{64}, health Healthy$/m);
    // Its row in the summary service's table: built and deployed, synced and healthy.
    expect(out.stdout).toMatch(
      new RegExp(`^${app} +demo +node-service +Succeeded +Succeeded +Synced +Healthy `, 'm'),
    );
    // Not a terminal: no cursor movement or colour codes.
    expect(out.stdout).not.toContain('\x1b[');
  }, 120_000);

  it('npm run demo fails loudly with the failing step and its message (token from the sandbox sign-in)', async () => {
    const { code, out } = await run('npm', ['run', 'demo', '--', '--ref', 'no-such-branch'], platform.env);
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/demo failed: build task \S+ Failed at step clone: .*no-such-branch/);
  }, 120_000);

  it('Ctrl-C (SIGINT to its process group) stops npm start and every process it started', async () => {
    const started = platform.processes.map((p) => p.args).join('\n');
    for (const part of SERVICES) expect(started).toContain(part);
    process.kill(-(platform.npm.child.pid ?? 0), 'SIGINT');
    // npm ends the way its script did: start.mjs exits 0 once its children are gone, and npm
    // then re-raises the SIGINT it got on itself.
    expect([
      { code: 0, signal: null },
      { code: null, signal: 'SIGINT' },
    ]).toContainEqual(await platform.npm.exited());
    expect(await leftRunning(platform, 10_000)).toEqual([]);
    expect(await answeringPorts(platform)).toEqual(Array(PORTS).fill(false));
  }, 30_000);
});

describe('npm start stopped by SIGINT to its own process alone (kill from another terminal)', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ PLATFORM_DEMO_APPS: '0' });
  }, STARTUP_MS + 30_000);
  afterAll(() => destroyPlatform(platform));

  it('stops every process it started', async () => {
    // node itself, not the `sh -c` npm runs it through.
    const start = platform.processes.find((p) => /^\S*node \S*scripts\/start\.mjs/.test(p.args));
    expect(start).toBeDefined();
    process.kill(start?.pid ?? 0, 'SIGINT');
    expect(await leftRunning(platform, 15_000)).toEqual([]);
    expect(await answeringPorts(platform)).toEqual(Array(PORTS).fill(false));
    expect(platform.npm.stdout).toContain('Demo apps seeded: none.');
  }, 30_000);
});
