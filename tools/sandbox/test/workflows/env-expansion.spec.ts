import { Kinds } from '../../src/core/resource-kinds';
import { expandReferences } from '../../src/argo-workflows/controller/pods/pod-env';
import {
  completed,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

describe(expandReferences.name, () => {
  const env = { VAR_A: 'A', VAR_B: 'B', EMPTY: '' };
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$(EMPTY)x', 'x'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$VAR_A', '$VAR_A'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$()', '$()'],
    ['$(VAR A)', '$(VAR A)'],
  ])('%s → %s', (input, output) => {
    expect(expandReferences(input, env)).toBe(output);
  });
});

describe('$(VAR) in a pod spec, as kubelet expands it', () => {
  let sandbox: WorkflowSandbox;
  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    sandbox.ctx.store.create(Kinds.Secret, {
      metadata: { name: 'git', namespace: NS },
      data: { token: Buffer.from('s3cret').toString('base64') },
    });
  });
  afterAll(() => sandbox.close());

  const token = { name: 'GIT_TOKEN', valueFrom: { secretKeyRef: { name: 'git', key: 'token' } } };

  const printed = async (name: string, env: Array<Record<string, unknown>>, args: string[]) => {
    submit(sandbox.ctx, {
      metadata: { name },
      spec: {
        entrypoint: 'step',
        templates: [{ name: 'step', container: { image: 'alpine', command: ['echo'], args, env } }],
      },
    });
    const wf = await waitForWorkflow(sandbox.ctx, name, completed);
    expect(wf.status.phase).toBe('Succeeded');
    return sandbox.ctx.logs.lines(NS, name, 'main').map((l) => l.text);
  };

  it('a value listed after a secret can pull the secret in; listed before, it cannot', async () => {
    const user = { name: 'VALUES', value: 'GREETING=$(GIT_TOKEN)' };
    expect(await printed('secret-after', [token, user], ['$(VALUES)'])).toEqual(['GREETING=s3cret']);
    expect(await printed('secret-before', [user, token], ['$(VALUES)'])).toEqual(['GREETING=$(GIT_TOKEN)']);
  });

  it('command and args see every variable of the container, and $$ escapes', async () => {
    expect(await printed('args', [token], ['$(GIT_TOKEN)', '$$(GIT_TOKEN)', '$(NOPE)'])).toEqual([
      's3cret $(GIT_TOKEN) $(NOPE)',
    ]);
  });
});
