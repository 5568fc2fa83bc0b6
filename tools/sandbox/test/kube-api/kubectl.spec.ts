// The real kubectl 1.33 against the sandbox's Kubernetes API, with nothing but the kubeconfig the
// sandbox writes: HTTPS verified against the sandbox CA, the bearer token, discovery, Tables,
// describe's event search, logs, watches, client-side apply and rollout status.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kinds } from '../../src/core/resource-kinds';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { eventually } from '../../src/testing/eventually';
import { loadOrCreateCa } from '../../src/tls/sandbox-ca';
import { realTool } from '../../src/tools/real-tools';

const run = promisify(execFile);
const NS = 'kubectl-test';

describe('the real kubectl against the sandbox', () => {
  let sandbox: Sandbox;
  let kubectlPath: string;
  let image: string;

  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(kubectlPath, args, {
      env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath, HOME: sandbox.ctx.config.dataDir },
    });
    return stdout;
  };
  /** Runs kubectl until `stop()`; its stdout so far is `output()`. */
  const follow = (...args: string[]): { output: () => string; stop: () => void; child: ChildProcess } => {
    const child = spawn(kubectlPath, args, {
      env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath, HOME: sandbox.ctx.config.dataDir },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return { output: () => out, stop: () => child.kill(), child };
  };
  const manifest = (name: string, text: string): string => {
    const file = path.join(sandbox.ctx.config.dataDir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const deployment = (name: string, greeting: string): string =>
    manifest(
      `${name}.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 8080 }]
          env: [{ name: GREETING, value: ${greeting} }]
`,
    );
  const podsOf = (app: string): string[] =>
    sandbox.ctx.store
      .list(Kinds.Pod, { namespace: NS })
      .items.filter((p) => p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined)
      .map((p) => p.metadata.name ?? '');

  beforeAll(async () => {
    kubectlPath = await realTool('kubectl');
    // The nodes' pull credential and the team's private project, as a platform team sets Harbor up.
    sandbox = await startSandbox({ speed: 20, registryPlatform: true, registryTeams: ['demo'] });
    image = `${sandbox.ctx.config.registryHost}/demo/web:v1`;
    sandbox.ctx.registry.push(`${sandbox.ctx.config.registryHost}/demo/web`, 'v1', 'web');
    await kubectl(
      'apply',
      '-f',
      manifest('namespace.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`),
    );
    await kubectl('apply', '-f', deployment('web', 'hello'));
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s');
  }, 60_000);
  afterAll(() => sandbox.stop());

  it('verifies the server against the CA in the kubeconfig, never skipping verification', async () => {
    const kubeconfig = fs.readFileSync(sandbox.kubeconfigPath, 'utf8');
    expect(kubeconfig).toMatch(/^ {4}certificate-authority-data: "[A-Za-z0-9+/=]+"$/m);
    expect(kubeconfig).not.toContain('insecure-skip-tls-verify');
    expect(sandbox.urls.kube).toMatch(/^https:\/\//);
    // The same kubeconfig with another CA: kubectl refuses the server's certificate.
    const other = fs.mkdtempSync(path.join(sandbox.ctx.config.dataDir, 'other-ca-'));
    const foreign = await loadOrCreateCa(other);
    const wrongCa = manifest(
      'wrong-ca-kubeconfig',
      kubeconfig.replace(
        /certificate-authority-data: "[^"]+"/,
        `certificate-authority-data: "${Buffer.from(foreign.caPem).toString('base64')}"`,
      ),
    );
    await expect(
      run(kubectlPath, ['get', 'pods', '-A'], { env: { ...process.env, KUBECONFIG: wrongCa } }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('x509: certificate signed by unknown authority'),
    });
  });

  it('get pods -A prints the server-side Table: namespace, name, ready, status, restarts, age', async () => {
    const out = await kubectl('get', 'pods', '-A');
    const [header, ...rows] = out.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    for (const pod of podsOf('web')) {
      expect(rows).toContainEqual(
        expect.stringMatching(new RegExp(`^${NS} +${pod} +1/1 +Running +0 +\\d+s$`)),
      );
    }
  });

  it('get pods -n <ns> -o json answers the pods as a List', async () => {
    const list = JSON.parse(await kubectl('get', 'pods', '-n', NS, '-o', 'json')) as {
      kind: string;
      items: Array<{ kind: string; metadata: { name: string } }>;
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((p) => p.metadata.name).sort()).toEqual(podsOf('web').sort());
    expect(list.items.every((p) => p.kind === 'Pod')).toBe(true);
  });

  it("describe pod shows the pod and its events (found by describe's field selector)", async () => {
    const [pod = ''] = podsOf('web');
    const object = sandbox.ctx.store.mustGet(Kinds.Pod, NS, pod);
    sandbox.ctx.events.record(object, 'Warning', 'BackOff', 'Back-off pulling image "nope"', 'kubelet');
    const out = await kubectl('describe', 'pod', pod, '-n', NS);
    expect(out).toMatch(new RegExp(`^Name: +${pod}$`, 'm'));
    expect(out).toMatch(/^Namespace: +kubectl-test$/m);
    expect(out).toMatch(/^ +Warning +BackOff +\S+ +kubelet +Back-off pulling image "nope"$/m);
  });

  it('logs prints the container log; logs -f keeps printing lines appended later', async () => {
    const [pod = ''] = podsOf('web');
    sandbox.ctx.logs.append(NS, pod, 'web', 'first line\n');
    expect(await kubectl('logs', pod, '-n', NS)).toContain('first line\n');
    const tail = follow('logs', '-f', pod, '-n', NS);
    try {
      await eventually(() => expect(tail.output()).toContain('first line\n'), 10_000);
      sandbox.ctx.logs.append(NS, pod, 'web', 'appended later\n');
      await eventually(() => expect(tail.output()).toContain('appended later\n'), 10_000);
    } finally {
      tail.stop();
    }
  });

  it('get pods -w prints a row for a change after the first listing', async () => {
    const [pod = ''] = podsOf('web');
    const watch = follow('get', 'pods', '-n', NS, '-w');
    try {
      await eventually(() => expect(watch.output()).toContain(pod), 10_000);
      const before = watch.output().split('\n').length;
      await kubectl('label', 'pod', pod, '-n', NS, 'watched=yes');
      await eventually(() => {
        const later = watch
          .output()
          .split('\n')
          .slice(before - 1);
        expect(later).toContainEqual(expect.stringMatching(new RegExp(`^${pod} +1/1 +Running +0 +`)));
      }, 10_000);
    } finally {
      watch.stop();
    }
  });

  it('apply -f creates, then updates with a strategic merge patch that keeps what it does not name', async () => {
    const configMap = (greeting: string): string =>
      manifest(
        'config.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\n  namespace: ${NS}\ndata:\n  greeting: ${greeting}\n`,
      );
    expect(await kubectl('apply', '-f', configMap('hello'))).toBe('configmap/greeting created\n');
    // Someone else adds a key: client-side apply's three-way patch leaves it alone.
    await kubectl(
      'patch',
      'configmap',
      'greeting',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"data":{"other":"kept"}}',
    );
    expect(await kubectl('apply', '-f', configMap('bonjour'))).toBe('configmap/greeting configured\n');
    const stored = JSON.parse(await kubectl('get', 'configmap', 'greeting', '-n', NS, '-o', 'json')) as {
      data: Record<string, string>;
      metadata: { annotations: Record<string, string> };
    };
    expect(stored.data).toEqual({ greeting: 'bonjour', other: 'kept' });
    const lastApplied = stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] ?? '';
    expect(JSON.parse(lastApplied)).toMatchObject({ data: { greeting: 'bonjour' } });
  });

  it('a watch from resourceVersion=1 is 410 Expired: the history starts when the sandbox does', async () => {
    const oldest = sandbox.ctx.store.oldestResumableVersion;
    expect(oldest).toBeGreaterThan(1);
    const out = await kubectl('get', '--raw', '/api/v1/namespaces?watch=1&resourceVersion=1');
    expect(JSON.parse(out)).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: 1 (${oldest})`,
        reason: 'Expired',
        code: 410,
      },
    });
  });

  it('rollout status follows the deployment simulator through a rolling update', async () => {
    expect(await kubectl('apply', '-f', deployment('web', 'bonjour'))).toBe(
      'deployment.apps/web configured\n',
    );
    const out = await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=60s');
    expect(out.trim().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    const stored = sandbox.ctx.store.mustGet(Kinds.Deployment, NS, 'web') as {
      spec?: { template?: { spec?: { containers?: unknown[] } } };
    };
    // The merge by container name changed the env and kept the port.
    expect(stored.spec?.template?.spec?.containers).toEqual([
      {
        name: 'web',
        image,
        ports: [{ containerPort: 8080 }],
        env: [{ name: 'GREETING', value: 'bonjour' }],
      },
    ]);
  }, 70_000);
});
