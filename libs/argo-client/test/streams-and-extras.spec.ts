import { Kinds } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { firstValueFrom, take, toArray } from 'rxjs';
import { FileToken } from '../src/http/token-provider';
import { eventually, startSandboxArgo, type SandboxArgo } from './sandbox-argo';

const NS = 'argo';
const run = promisify(execFile);
const git = (...args: string[]) => run('git', args);

describe('log and event streams, and the remaining calls', () => {
  let argo: SandboxArgo;

  beforeEach(async () => {
    argo = await startSandboxArgo();
  });
  afterEach(() => argo.close());

  function workflowWithPod(phase: string): void {
    argo.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'wf', namespace: NS },
      spec: {},
      status: {
        phase,
        nodes: { 'wf-1': { id: 'wf-1', name: 'wf', displayName: 'build', type: 'Pod', phase } },
      },
    });
    argo.ctx.store.create(Kinds.Pod, {
      metadata: { name: 'wf-build-1', namespace: NS, labels: { 'workflows.argoproj.io/workflow': 'wf' } },
      spec: { containers: [{ name: 'main', image: 'alpine' }] },
      status: { phase: 'Running' },
    });
  }

  it('follows workflow logs until the workflow completes', async () => {
    workflowWithPod('Running');
    argo.ctx.logs.append(NS, 'wf-build-1', 'main', 'cloning\ncloned');
    const lines: string[] = [];
    const done = new Promise<void>((resolve, reject) =>
      argo.workflows.logs(NS, 'wf', { follow: true }).subscribe({
        next: (entry) => lines.push(`${entry.podName}: ${entry.content}`),
        complete: resolve,
        error: reject,
      }),
    );
    await eventually(() => expect(lines).toHaveLength(2));
    argo.ctx.logs.append(NS, 'wf-build-1', 'main', 'built');
    argo.ctx.logs.end(NS, 'wf-build-1', 'main');
    argo.ctx.store.mutate(Kinds.Workflow, NS, 'wf', (w) => {
      w.status = { phase: 'Succeeded' };
      w.metadata.labels = { 'workflows.argoproj.io/completed': 'true' };
    });
    await done;
    expect(lines).toEqual(['wf-build-1: cloning', 'wf-build-1: cloned', 'wf-build-1: built']);
  });

  it("streams a workflow's events", async () => {
    workflowWithPod('Running');
    const wf = argo.ctx.store.mustGet(Kinds.Workflow, NS, 'wf');
    argo.ctx.events.record(wf, 'Normal', 'WorkflowRunning', 'Workflow Running', 'workflow-controller');
    const notices = firstValueFrom(argo.workflows.events(NS, 'wf').pipe(take(2), toArray()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    argo.ctx.events.record(wf, 'Normal', 'WorkflowSucceeded', 'Workflow completed', 'workflow-controller');
    expect((await notices).map((n) => (n.kind === 'event' ? n.event.reason : n.kind))).toEqual([
      'WorkflowRunning',
      'WorkflowSucceeded',
    ]);
  });

  it('upserts an application from a real repo, reads its events, resource tree and pod logs', async () => {
    const repo = path.join(argo.ctx.config.dataDir, 'chart');
    fs.mkdirSync(repo, { recursive: true });
    fs.writeFileSync(path.join(repo, 'values.yaml'), 'replicaCount: 1\n');
    await git('init', '-q', '-b', 'main', repo);
    await git('-C', repo, 'add', '.');
    await git(
      '-C',
      repo,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '-m',
      'init',
    );
    const app = {
      metadata: { name: 'shop', labels: { 'platform-api/team': 'payments' } },
      spec: {
        project: 'default',
        source: { repoURL: `file://${repo}`, path: '.', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
      },
    };
    const created = await argo.argocd.upsert(app);
    expect(created.metadata.name).toBe('shop');
    const again = await argo.argocd.upsert({
      ...app,
      metadata: { ...app.metadata, labels: { 'platform-api/team': 'web' } },
    });
    expect(again.metadata.labels).toEqual({ 'platform-api/team': 'web' });

    const stored = argo.ctx.store.mustGet(Kinds.Application, 'argocd', 'shop');
    argo.ctx.events.record(
      stored,
      'Normal',
      'ResourceUpdated',
      'Updated sync status',
      'argocd-application-controller',
    );
    expect((await argo.argocd.events('shop')).map((e) => e.reason)).toContain('ResourceUpdated');
    argo.ctx.store.create(Kinds.Pod, {
      // Argo CD v3 knows its objects by the tracking annotation (no instance label by default).
      metadata: {
        name: 'shop-abc',
        namespace: 'shop',
        annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/Pod:shop/shop-abc' },
      },
      spec: { containers: [{ name: 'main', image: 'registry.sandbox.local/payments/shop:1' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'main', ready: true, state: { running: {} } }],
      },
    });
    argo.ctx.logs.append('shop', 'shop-abc', 'main', 'listening on 8080');
    const tree = await argo.argocd.resourceTree('shop');
    expect(tree.nodes?.map((n) => `${n.kind}/${n.name}`)).toEqual(['Pod/shop-abc']);
    const logs = await firstValueFrom(argo.argocd.logs('shop', { tailLines: 10 }).pipe(toArray()));
    expect(logs.map((l) => [l.podName, l.content, l.last ?? false])).toEqual([
      ['shop-abc', 'listening on 8080', false],
      ['', '', true],
    ]);
  });

  it('re-reads a mounted token file after the kubelet rotates it', async () => {
    const file = path.join(argo.ctx.config.dataDir, 'token');
    fs.writeFileSync(file, 'first\n');
    const token = new FileToken(file);
    expect(await token.token()).toBe('first');
    fs.writeFileSync(file, 'second\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await token.token()).toBe('second');
  });
});
