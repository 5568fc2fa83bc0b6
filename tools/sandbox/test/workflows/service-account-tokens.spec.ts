import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import { TokenController } from '../../src/kubernetes/controllers/token-controller';
import { podName } from '../../src/argo-workflows/controller/naming';
import {
  completed,
  nodeByName,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A one-step workflow whose script prints what it finds at the token path. */
function readsToken(
  name: string,
  spec: Record<string, unknown> = {},
  template: Record<string, unknown> = {},
) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'main',
      ...spec,
      templates: [
        {
          name: 'main',
          script: {
            image: 'alpine:3.20',
            command: ['sh'],
            source: `ls ${TOKEN_DIR} && cat ${TOKEN_DIR}/namespace && echo && cut -d. -f2 ${TOKEN_DIR}/token`,
          },
          ...template,
        },
      ],
    },
  };
}

interface PodSpecView {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string; secret?: { secretName: string }; projected?: unknown }>;
  containers: Array<{ name: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
}

describe('service account tokens in workflow pods', () => {
  let sandbox: WorkflowSandbox;
  const tokens = (): TokenController => new TokenController(sandbox.ctx);
  let controller: TokenController;

  const account = (name: string, extra: Record<string, unknown> = {}): void => {
    sandbox.ctx.store.create(Kinds.ServiceAccount, { metadata: { name, namespace: NS }, ...extra });
  };
  const run = async (wf: ReturnType<typeof readsToken>) => {
    submit(sandbox.ctx, wf);
    const done = await waitForWorkflow(sandbox.ctx, wf.metadata.name, completed);
    const pod = sandbox.ctx.store.get(Kinds.Pod, NS, podName(wf.metadata.name, wf.metadata.name, 'main'));
    const log = sandbox.ctx.logs
      .lines(NS, podName(wf.metadata.name, wf.metadata.name, 'main'), 'main')
      .map((l) => l.text);
    return { done, pod: pod as (KubeObject & { spec: PodSpecView }) | undefined, log };
  };
  const mountsOf = (pod: { spec: PodSpecView } | undefined, container: string): string[] =>
    (pod?.spec.containers.find((c) => c.name === container)?.volumeMounts ?? []).map(
      (m) => `${m.name.replace(/^kube-api-access-[a-z0-9]{5}$/, 'kube-api-access-*')}:${m.mountPath}`,
    );

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    controller = tokens();
    controller.start();
    account('runner');
    account('quiet', { automountServiceAccountToken: false });
    account('executor', { automountServiceAccountToken: false });
    sandbox.ctx.store.create(Kinds.Secret, {
      metadata: {
        name: 'executor.service-account-token',
        namespace: NS,
        annotations: { 'kubernetes.io/service-account.name': 'executor' },
      },
      type: 'kubernetes.io/service-account-token',
    });
  });
  afterAll(async () => {
    controller.stop();
    await sandbox.close();
  });

  it("mounts the pod's account token into the step, as kubelet does by default", async () => {
    const { done, pod, log } = await run(readsToken('default-token', { serviceAccountName: 'runner' }));
    expect(done.status.phase).toBe('Succeeded');
    expect(log.slice(0, 4)).toEqual(['ca.crt', 'namespace', 'token', NS]);
    const claims = JSON.parse(Buffer.from(log[4] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims.sub).toBe(`system:serviceaccount:${NS}:runner`);
    expect(claims['kubernetes.io']).toMatchObject({ namespace: NS, pod: { name: pod?.metadata.name } });
    expect(mountsOf(pod, 'main')).toContain(`kube-api-access-*:${TOKEN_DIR}`);
    expect(mountsOf(pod, 'wait')).toContain(`kube-api-access-*:${TOKEN_DIR}`);
  });

  it('mounts nothing when the account says automountServiceAccountToken: false', async () => {
    const { done, log } = await run(readsToken('quiet-account', { serviceAccountName: 'quiet' }));
    expect(done.status.phase).toBe('Failed');
    expect(log).toEqual([`ls: ${TOKEN_DIR}: No such file or directory`]);
  });

  it("with automount off and an executor account, only Argo's wait container gets a token: the executor's", async () => {
    const { done, pod, log } = await run(
      readsToken('executor-only', {
        serviceAccountName: 'runner',
        automountServiceAccountToken: false,
        executor: { serviceAccountName: 'executor' },
      }),
    );
    expect(done.status.phase).toBe('Failed');
    expect(log).toEqual([`ls: ${TOKEN_DIR}: No such file or directory`]);
    expect(pod?.spec.automountServiceAccountToken).toBe(false);
    expect(mountsOf(pod, 'main')).toEqual(['var-run-argo:/var/run/argo']);
    expect(mountsOf(pod, 'wait')).toEqual(['var-run-argo:/var/run/argo', `exec-sa-token:${TOKEN_DIR}`]);
    expect(pod?.spec.volumes?.find((v) => v.name === 'exec-sa-token')?.secret).toEqual({
      secretName: 'executor.service-account-token',
    });
    // The token controller filled the executor's Secret in, as kube-controller-manager does.
    const secret = sandbox.ctx.store.get(Kinds.Secret, NS, 'executor.service-account-token');
    const data = secret?.data as Record<string, string>;
    const token = Buffer.from(data.token ?? '', 'base64').toString();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      sub?: string;
    };
    expect(claims.sub).toBe(`system:serviceaccount:${NS}:executor`);
    expect(Buffer.from(data.namespace ?? '', 'base64').toString()).toBe(NS);
  });

  it.each([
    [
      'no-executor',
      'automount off without an executor account',
      { serviceAccountName: 'runner', automountServiceAccountToken: false },
      'executor.serviceAccountName must not be empty if automountServiceAccountToken is false',
    ],
    [
      'ghost-executor',
      'an executor account that does not exist',
      { automountServiceAccountToken: false, executor: { serviceAccountName: 'ghost' } },
      'serviceaccounts "ghost" not found',
    ],
  ])("%s: refuses %s with Argo's message, before any pod", async (name, _case, spec, message) => {
    const { done, pod } = await run(readsToken(name, spec));
    // The workflow's one node errored: Argo ends the workflow in Error too.
    expect(done.status.phase).toBe('Error');
    expect(nodeByName(done, name)).toMatchObject({ phase: 'Error', message });
    expect(pod).toBeUndefined();
  });

  it("refuses a pod whose account does not exist with the API server's admission message", async () => {
    const { done, pod } = await run(readsToken('no-account', { serviceAccountName: 'nobody-here' }));
    const step = podName('no-account', 'no-account', 'main');
    expect(nodeByName(done, 'no-account')).toMatchObject({
      phase: 'Error',
      message: `pods "${step}" is forbidden: error looking up service account ${NS}/nobody-here: serviceaccount "nobody-here" not found`,
    });
    expect(pod).toBeUndefined();
  });

  it('keeps a pod from starting when its executor token Secret is missing, as kubelet fails the mount', async () => {
    account('tokenless', { automountServiceAccountToken: false });
    const { done } = await run(
      readsToken('tokenless-executor', {
        automountServiceAccountToken: false,
        executor: { serviceAccountName: 'tokenless' },
      }),
    );
    expect(nodeByName(done, 'tokenless-executor').message).toBe(
      'MountVolume.SetUp failed for volume "exec-sa-token" : secret "tokenless.service-account-token" not found',
    );
  });

  it('resolves workflow parameters in the Secret names of volumes, as Argo substitutes them', async () => {
    sandbox.ctx.store.create(Kinds.Secret, {
      metadata: { name: 'login-blue', namespace: NS },
      data: { user: Buffer.from('blue-robot').toString('base64') },
    });
    const secretVolume = { name: 'login', secret: { secretName: 'login-{{workflow.parameters.team}}' } };
    const wf = readsToken(
      'templated-secret',
      { arguments: { parameters: [{ name: 'team', value: 'blue' }] }, volumes: [secretVolume] },
      {
        script: {
          image: 'alpine:3.20',
          command: ['sh'],
          source: 'cat /login/user',
          volumeMounts: [{ name: 'login', mountPath: '/login' }],
        },
      },
    );
    const { done, log } = await run(wf);
    expect(done.status.phase).toBe('Succeeded');
    expect(log).toEqual(['blue-robot']);
  });
});
