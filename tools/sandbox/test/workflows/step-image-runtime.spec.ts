import { Kinds } from '../../src/core/resource-kinds';
import {
  completed,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

/** One script step of `image`, with optional pod and container securityContexts. */
function scriptStep(
  name: string,
  image: string,
  source: string,
  extra: { securityContext?: Record<string, unknown>; container?: Record<string, unknown> } = {},
) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'step',
      templates: [
        {
          name: 'step',
          ...(extra.securityContext !== undefined ? { securityContext: extra.securityContext } : {}),
          script: { image, command: ['sh'], source, ...extra.container },
        },
      ],
    },
  };
}

/** One container step with an exact command. */
function commandStep(name: string, image: string, command: string[], args: string[] = []) {
  return {
    metadata: { name },
    spec: { entrypoint: 'step', templates: [{ name: 'step', container: { image, command, args } }] },
  };
}

describe('a step runs as its image would', () => {
  let sandbox: WorkflowSandbox;
  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
  });
  afterAll(() => sandbox.close());

  const run = async (wf: { metadata: { name: string } }) => {
    submit(sandbox.ctx, wf);
    const done = await waitForWorkflow(sandbox.ctx, wf.metadata.name, completed);
    const logs = sandbox.ctx.logs.lines(NS, wf.metadata.name, 'main').map((l) => l.text);
    return { phase: done.status.phase as string, message: done.status.message as string | undefined, logs };
  };

  it("alpine's /bin/sh is busybox ash: a missing tool is reported as ash reports it", async () => {
    const result = await run(commandStep('ash-missing', 'alpine:3.20', ['sh', '-c', 'jq .']));
    // Argo's emissary runs the command by the path LookPath found, so ash's $0 is /bin/sh.
    expect(result).toMatchObject({
      phase: 'Failed',
      message: 'Error (exit code 127): /bin/sh: jq: not found',
    });
  });

  it("debian's /bin/sh is dash, which names its line", async () => {
    const result = await run(commandStep('dash-missing', 'debian:bookworm', ['sh', '-c', 'true; jq .']));
    // Merged /usr: PATH finds /usr/bin/sh before /bin/sh.
    expect(result).toMatchObject({
      phase: 'Failed',
      message: 'Error (exit code 127): /usr/bin/sh: 1: jq: not found',
    });
  });

  it("the PATH holds only the image's programs: alpine has no git or curl, alpine/git has git", async () => {
    const probe = 'for p in git curl node sed; do command -v "$p" || echo "no $p"; done';
    expect((await run(scriptStep('alpine-tools', 'alpine', probe))).logs).toEqual([
      'no git',
      'no curl',
      'no node',
      '/bin/sed',
    ]);
    expect((await run(scriptStep('git-tools', 'alpine/git:2.45.2', probe))).logs).toEqual([
      '/usr/bin/git',
      'no curl',
      'no node',
      '/bin/sed',
    ]);
    expect((await run(scriptStep('curl-tools', 'curlimages/curl:8.11.0', probe))).logs).toEqual([
      'no git',
      '/usr/bin/curl',
      'no node',
      '/bin/sed',
    ]);
  });

  it('a container without a command makes Argo look its entrypoint up in a registry: no pod, the node errs', async () => {
    submit(sandbox.ctx, {
      metadata: { name: 'no-command' },
      spec: {
        entrypoint: 'build',
        templates: [
          {
            name: 'build',
            container: { image: 'ghcr.io/osscontainertools/kaniko:v1.28.3', args: ['--no-push'] },
          },
        ],
      },
    });
    const wf = await waitForWorkflow(sandbox.ctx, 'no-command', completed);
    expect(wf.status).toMatchObject({
      phase: 'Error',
      message:
        'failed to look-up entrypoint/cmd for image "ghcr.io/osscontainertools/kaniko:v1.28.3", you must either ' +
        "explicitly specify the command, or list the image's command in the index: " +
        'https://argo-workflows.readthedocs.io/en/latest/workflow-executors/#emissary-emissary: ' +
        'Get "https://ghcr.io/v2/": the sandbox\'s controller reaches no image registry',
    });
    expect(sandbox.ctx.store.get(Kinds.Pod, NS, 'no-command')).toBeUndefined();
  });

  it("a command the image lacks fails as Argo's emissary fails, exit code 64", async () => {
    const result = await run(commandStep('no-such-program', 'alpine', ['jq'], ['.']));
    expect(result).toMatchObject({
      phase: 'Failed',
      message:
        'Error (exit code 64): failed to find name in PATH: exec: "jq": executable file not found in $PATH',
    });
    const kaniko = await run(
      commandStep('no-shell', 'gcr.io/kaniko-project/executor:v1.23.2', ['sh', '-c', 'ls']),
    );
    expect(kaniko.message).toBe(
      'Error (exit code 64): failed to find name in PATH: exec: "sh": executable file not found in $PATH',
    );
  });

  it("runs as the image's user: curlimages/curl as uid 100, argocd as 999, alpine as root", async () => {
    const ids = 'echo "$(id -u):$(id -g):$(id -G) $HOME $(pwd)"';
    expect((await run(scriptStep('curl-user', 'curlimages/curl:8.11.0', ids))).logs).toEqual([
      '100:101:101 /home/curl_user /home/curl_user',
    ]);
    expect((await run(scriptStep('argocd-user', 'quay.io/argoproj/argocd:v3.5.1', ids))).logs).toEqual([
      '999:999:999 /home/argocd /home/argocd',
    ]);
    expect((await run(scriptStep('root-user', 'alpine', ids))).logs).toEqual(['0:0:0 /root /']);
  });

  it('runAsUser and runAsGroup replace the image user; a uid the image does not know has HOME /', async () => {
    const ids = 'echo "$(id -u):$(id -g) $HOME"; touch /tmp/mine && stat -c %u:%g /tmp/mine';
    const result = await run(
      scriptStep('override-user', 'alpine', ids, { securityContext: { runAsUser: 4242, runAsGroup: 4343 } }),
    );
    expect(result.logs).toEqual(['4242:4343 /', '4242:4343']);
    const container = await run(
      scriptStep('container-user', 'node:20-alpine', 'id -u; id -g; echo $HOME', {
        securityContext: { runAsUser: 4242 },
        container: { securityContext: { runAsUser: 1000 } },
      }),
    );
    // The container's field wins; uid 1000 is `node` in the image: its group and home.
    expect(container.logs).toEqual(['1000', '1000', '/home/node']);
  });

  it('runAsNonRoot refuses an image that runs as root or names its user, as kubelet does', async () => {
    const root = await run(
      scriptStep('nonroot-root', 'alpine', 'true', { securityContext: { runAsNonRoot: true } }),
    );
    const uid = sandbox.ctx.store.mustGet(Kinds.Pod, NS, 'nonroot-root').metadata.uid ?? '';
    expect(root).toMatchObject({
      phase: 'Failed',
      message: `container has runAsNonRoot and image will run as root (pod: "nonroot-root_argo(${uid})", container: main)`,
    });
    const named = await run(
      scriptStep('nonroot-named', 'curlimages/curl:8.11.0', 'true', {
        securityContext: { runAsNonRoot: true },
      }),
    );
    expect(named.message).toMatch(
      /^container has runAsNonRoot and image has non-numeric user \(curl_user\), cannot verify user is non-root \(pod: "nonroot-named_argo\(.+\)", container: main\)$/,
    );
    const numeric = await run(
      scriptStep('nonroot-ok', 'curlimages/curl:8.11.0', 'id -u', {
        securityContext: { runAsNonRoot: true, runAsUser: 100 },
      }),
    );
    expect(numeric).toMatchObject({ phase: 'Succeeded', logs: ['100'] });
  });

  it("/tmp is the container's own, 1777 as in the image, so its non-root user may write there", async () => {
    const result = await run(
      scriptStep('tmp-mode', 'curlimages/curl:8.11.0', 'stat -c %a /tmp; echo x > /tmp/x && cat /tmp/x'),
    );
    expect(result.logs).toEqual(['1777', 'x']);
    const other = await run(scriptStep('tmp-other-pod', 'alpine', 'cat /tmp/x'));
    expect(other.message).toBe("Error (exit code 1): cat: can't open '/tmp/x': No such file or directory");
  });
});
