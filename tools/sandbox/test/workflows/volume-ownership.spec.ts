import { Kinds } from '../../src/core/resource-kinds';
import {
  completed,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const work = { name: 'work', mountPath: '/work' };

/** A workflow of one alpine script step with the given volumes and pod securityContext. */
function volumeStep(
  name: string,
  source: string,
  options: {
    securityContext?: Record<string, unknown>;
    volumes?: Array<Record<string, unknown>>;
    mounts?: Array<Record<string, unknown>>;
    claim?: boolean;
  } = {},
) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'step',
      ...(options.securityContext !== undefined ? { securityContext: options.securityContext } : {}),
      ...(options.claim !== false ? { volumeClaimTemplates: [{ metadata: { name: 'work' } }] } : {}),
      ...(options.volumes !== undefined ? { volumes: options.volumes } : {}),
      templates: [
        {
          name: 'step',
          script: { image: 'alpine', command: ['sh'], source, volumeMounts: options.mounts ?? [work] },
        },
      ],
    },
  };
}

describe('volumes are owned as kubelet leaves them', () => {
  let sandbox: WorkflowSandbox;
  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    sandbox.ctx.store.create(Kinds.Secret, {
      metadata: { name: 'registry', namespace: NS },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    });
  });
  afterAll(() => sandbox.close());

  const run = async (wf: { metadata: { name: string } }) => {
    submit(sandbox.ctx, wf);
    const done = await waitForWorkflow(sandbox.ctx, wf.metadata.name, completed);
    const logs = sandbox.ctx.logs.lines(NS, wf.metadata.name, 'main').map((l) => l.text);
    return { phase: done.status.phase as string, message: done.status.message as string | undefined, logs };
  };

  it('a fresh PVC is a new filesystem: root-owned 0755 with lost+found', async () => {
    const result = await run(volumeStep('fresh-pvc', 'stat -c "%a %u:%g" /work; ls -A /work'));
    expect(result.logs).toEqual(['755 0:0', 'lost+found']);
  });

  it("so a non-root user cannot write to it, failing with its shell's own message", async () => {
    const result = await run(
      volumeStep('pvc-denied', 'echo hi > /work/out', { securityContext: { runAsUser: 999 } }),
    );
    expect(result).toMatchObject({
      phase: 'Failed',
      message: "Error (exit code 1): /argo/staging/script: line 1: can't create /work/out: Permission denied",
    });
  });

  it('with fsGroup, kubelet gives the volume to the group: setgid, group-writable, new files inherit it', async () => {
    const result = await run(
      volumeStep(
        'pvc-fsgroup',
        'stat -c "%a %u:%g" /work; echo hi > /work/out; stat -c "%a %u:%g" /work/out; id -G',
        {
          securityContext: { runAsUser: 999, fsGroup: 2000 },
        },
      ),
    );
    expect(result).toMatchObject({
      phase: 'Succeeded',
      // uid 999 is no user of alpine's: primary group 0, the fsGroup supplementary.
      logs: ['2775 0:2000', '644 999:2000', '0 2000'],
    });
  });

  it('an emptyDir is created 0777, writable by any user', async () => {
    const result = await run(
      volumeStep('empty-dir', 'stat -c "%a %u:%g" /scratch; echo hi > /scratch/out && echo written', {
        claim: false,
        securityContext: { runAsUser: 1234 },
        volumes: [{ name: 'scratch', emptyDir: {} }],
        mounts: [{ name: 'scratch', mountPath: '/scratch' }],
      }),
    );
    expect(result.logs).toEqual(['777 0:0', 'written']);
  });

  it("Secret volumes: items pick keys and paths, modes default to 0644, fsGroup adds the group's read", async () => {
    const volume = (extra: Record<string, unknown>) => [
      { name: 'creds', secret: { secretName: 'registry', ...extra } },
    ];
    const mounts = [{ name: 'creds', mountPath: '/creds' }];
    const list = 'cd /creds; for f in $(ls -A); do echo "$f $(stat -c "%a %u:%g" "$f")"; done';
    expect(
      (await run(volumeStep('secret-default', list, { claim: false, volumes: volume({}), mounts }))).logs,
    ).toEqual(['.dockerconfigjson 644 0:0']);
    const items = volume({ items: [{ key: '.dockerconfigjson', path: 'config.json', mode: 0o400 }] });
    expect(
      (await run(volumeStep('secret-items', list, { claim: false, volumes: items, mounts }))).logs,
    ).toEqual(['config.json 400 0:0']);
    const grouped = await run(
      volumeStep('secret-fsgroup', list, {
        claim: false,
        volumes: items,
        mounts,
        securityContext: { fsGroup: 3000 },
      }),
    );
    expect(grouped.logs).toEqual(['config.json 440 0:3000']);
  });

  it("an item naming a key the Secret lacks fails the mount with kubelet's message", async () => {
    const result = await run(
      volumeStep('secret-missing-key', 'true', {
        claim: false,
        volumes: [
          { name: 'creds', secret: { secretName: 'registry', items: [{ key: 'token', path: 't' }] } },
        ],
        mounts: [{ name: 'creds', mountPath: '/creds' }],
      }),
    );
    expect(result).toMatchObject({
      phase: 'Failed',
      message: 'MountVolume.SetUp failed for volume "creds" : references non-existent secret key: token',
    });
  });
});
