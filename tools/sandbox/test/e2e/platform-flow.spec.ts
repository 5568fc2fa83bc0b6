import * as k8s from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LabelSelector } from '../../src/core/label-selector';
import { Kinds } from '../../src/core/resource-kinds';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { e2eTemplate } from './e2e-template';

// Asynchronous on purpose: the git server runs in this process, a sync clone would deadlock it.
const git = async (...args: string[]): Promise<string> => (await promisify(execFile)('git', args)).stdout;

interface WorkflowStatus {
  phase?: string;
  message?: string;
  progress?: string;
  outputs?: { parameters?: Array<{ name: string; value?: string }> };
  nodes?: Record<string, { displayName: string; phase: string; message?: string; type: string }>;
}

/** Through the sandbox's own wire APIs only: what a real client of a real cluster would do. */
describe('sandbox end to end: a create-app workflow over real git, a registry and Argo CD', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      templatesDir: path.join(__dirname, 'templates'),
      // The team's git organization, Argo CD's repo-creds, and Harbor set up by the platform
      // team: the nodes' pull robot, team e2e's project and robot.
      gitOrganizations: ['e2e'],
      argocdRepoCredsSecret: 'git-repos',
      registryPlatform: true,
      registryTeams: ['e2e'],
      speed: 20,
      applicationController: { syncDurationMs: 500 },
    });
    const res = await argo('POST', `/api/v1/workflow-templates/argo`, {
      template: e2eTemplate(
        sandbox.urls.git,
        `${sandbox.ctx.config.gitUsername}:${sandbox.ctx.config.gitPassword}`,
      ),
    });
    expect(res.status).toBe(200);
    // The team's Argo CD project, as a platform team applies it: its repositories, its namespace
    // (which Argo CD may create: Namespace whitelisted by name), nothing else cluster-scoped.
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    await kubeConfig.makeApiClient(k8s.CustomObjectsApi).createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'argocd',
      plural: 'appprojects',
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'e2e', namespace: 'argocd' },
        spec: {
          sourceRepos: [`${sandbox.urls.git}/e2e/*`],
          destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
          clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'shop' }],
        },
      },
    });
  });
  afterAll(() => sandbox.stop());

  function argo(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(sandbox.urls.argo + url, {
      method,
      headers: {
        authorization: `Bearer ${sandbox.ctx.config.argoToken}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function submit(app: string, template = 'hello-service'): Promise<string> {
    const res = await argo('POST', '/api/v1/workflows/argo/submit', {
      resourceKind: 'WorkflowTemplate',
      resourceName: 'e2e-create',
      submitOptions: {
        generateName: `create-${app}-`,
        parameters: [`app=${app}`, `template=${template}`],
        labels: `platform-api/app=${app}`,
      },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { metadata: { name: string } }).metadata.name;
  }

  async function finished(name: string): Promise<WorkflowStatus> {
    for (let i = 0; i < 600; i += 1) {
      const res = await argo('GET', `/api/v1/workflows/argo/${name}`);
      const wf = (await res.json()) as {
        status?: WorkflowStatus;
        metadata: { labels?: Record<string, string> };
      };
      if (wf.metadata.labels?.['workflows.argoproj.io/completed'] === 'true') return wf.status ?? {};
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`workflow ${name} did not finish`);
  }

  it('creates the repo with a real commit, pushes an image with a digest and ends with Healthy pods', async () => {
    const status = await finished(await submit('shop'));
    const failed = Object.values(status.nodes ?? {}).filter((n) => n.phase !== 'Succeeded');
    expect({ phase: status.phase, failed }).toEqual({ phase: 'Succeeded', failed: [] });
    expect(status.progress).toBe('4/4');

    // The new repository really exists on the git server, with the rendered template in it.
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-clone-'));
    const { gitUsername, gitPassword } = sandbox.ctx.config;
    const signed = sandbox.urls.git.replace('://', `://${gitUsername}:${gitPassword}@`);
    await git('clone', '-q', `${signed}/e2e/shop.git`, clone);
    expect(fs.readFileSync(path.join(clone, 'src', 'server.js'), 'utf8')).toContain('hello from shop');
    const log = await git('-C', clone, 'log', '--format=%s');
    expect(log.split('\n')[0]).toBe('Create shop from hello-service');
    const commit = (await git('-C', clone, 'rev-parse', '--short=12', 'HEAD')).trim();

    // The image was pushed under the commit tag with a digest, and that digest is the output.
    const pushed = sandbox.ctx.registry.find(`registry.sandbox.local/e2e/shop:${commit}`);
    expect(pushed?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(status.outputs?.parameters).toContainEqual({ name: 'digest', value: pushed?.digest });

    // Argo CD synced the app and its pods run that image, Healthy.
    const app = (await (
      await fetch(`${sandbox.urls.argocd}/api/v1/applications/shop`, { headers: await argocdAuth() })
    ).json()) as {
      status: { sync: { status: string }; health: { status: string }; summary: { images: string[] } };
    };
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.health.status).toBe('Healthy');
    expect(app.status.summary.images).toEqual([`registry.sandbox.local/e2e/shop:${commit}`]);
    // Found the way the platform finds them: by the platform labels the chart put on them.
    const byApp = { labelSelector: LabelSelector.parse('platform-api/app=shop') };
    const pods = sandbox.ctx.store.list(Kinds.Pod, byApp).items;
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => (p.status as { phase: string }).phase)).toEqual(['Running', 'Running']);
    for (const object of [...pods, ...sandbox.ctx.store.list(Kinds.Deployment, byApp).items]) {
      expect(object.metadata.namespace).toBe('shop');
      expect(object.metadata.labels).toMatchObject({
        'platform-api/team': 'e2e',
        'platform-api/template': 'hello-service',
      });
    }
  });

  it("ends Failed with the failing step and git's own message when the template repo does not exist", async () => {
    const status = await finished(await submit('blog', 'no-such-template'));
    expect(status.phase).toBe('Failed');
    const failed = Object.values(status.nodes ?? {}).find((n) => n.type === 'Pod' && n.phase === 'Failed');
    expect(failed?.displayName).toBe('push-source');
    expect(failed?.message).toMatch(/not found|does not exist|repository/i);
    expect(status.message).toBe(failed?.message);
  });

  async function argocdAuth(): Promise<Record<string, string>> {
    const res = await fetch(`${sandbox.urls.argocd}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'sandbox' }),
    });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  }
});
