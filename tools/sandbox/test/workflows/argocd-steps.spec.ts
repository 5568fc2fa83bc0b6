import { statSync } from 'node:fs';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import { argoCdHandler } from '../../src/argo-cd/server/argo-cd.server';
import { Kinds } from '../../src/core/resource-kinds';
import { setUpPlatformRegistry } from '../../src/platform/registry-onboarding';
import { seedPlatformArgoCdAccounts } from '../../src/platform/platform-argocd-accounts';
import { serve } from '../../src/testing/serve';
import { workflowDir } from '../../src/argo-workflows/controller/pods/pod-layout';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import { createRepoCredsSecret } from '../../src/platform/base-objects';
import { chartFiles } from '../argo-cd-controller/chart-repo';
import { gitClient } from '../git/git-test-kit';
import {
  completed,
  createRepo,
  signedRepoUrl,
  NS,
  startWorkflowSandbox,
  submit,
  waitForWorkflow,
  type WorkflowSandbox,
} from './workflow-test-kit';

const ARGOCD_IMAGE = 'quay.io/argoproj/argocd:v3.5.1';
const SERVER = 'argocd-server.argocd.svc';
/** A logrus JSON line of the CLI at `level` (v3 logs JSON by default). */
const logLine = (level: string, msg: string): RegExp =>
  new RegExp(
    `^\\{"level":"${level}","msg":${escape(JSON.stringify(msg))},"time":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\}$`,
  );
/** The same line inside a step's failure message (`Error (exit code 20): <line>`). */
const logLineIn = (level: string, msg: string): RegExp =>
  new RegExp(`"level":"${level}","msg":${escape(JSON.stringify(msg))},"time":`);
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Env = Array<Record<string, unknown>>;

function argocdWorkflow(name: string, source: string, env: Env = []) {
  return {
    metadata: { name },
    spec: {
      entrypoint: 'deploy',
      templates: [
        {
          name: 'deploy',
          script: { image: ARGOCD_IMAGE, command: ['sh'], env, source },
          outputs: { parameters: [{ name: 'app', valueFrom: { path: '/tmp/app.json', default: '{}' } }] },
        },
      ],
    },
  };
}

const secretEnv = (name: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: 'argocd-credentials', key } },
});

describe('argocd CLI steps against the sandbox Argo CD', () => {
  let sandbox: WorkflowSandbox;
  let argocd: { url: string; close(): Promise<void> };
  let apps: ApplicationController;
  let deployments: DeploymentController;
  let repoUrl: string;

  beforeAll(async () => {
    sandbox = await startWorkflowSandbox();
    const { ctx } = sandbox;
    argocd = await serve(argoCdHandler(ctx));
    ctx.urls.argocd = argocd.url;
    seedPlatformArgoCdAccounts(ctx);
    apps = new ApplicationController(ctx, { reconcileIntervalMs: 3_600_000, syncDurationMs: 200 });
    deployments = new DeploymentController(ctx);
    apps.start();
    deployments.start();

    await createRepo(ctx, 'payments-manifests');
    repoUrl = `${ctx.urls.git}/payments/payments-manifests.git`;
    const client = gitClient();
    await client.git(['clone', '-q', signedRepoUrl(ctx, 'payments/payments-manifests'), 'm']);
    const work = path.join(client.home, 'm');
    // A real chart (the sandbox renders it with the real helm): a Deployment and a Service.
    for (const [file, text] of Object.entries(
      chartFiles('registry.sandbox.local/team-a/payments', '1.0.0'),
    )) {
      mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      writeFileSync(path.join(work, file), text);
    }
    await client.git(['add', '.'], work);
    await client.git(['commit', '-q', '-m', 'chart'], work);
    await client.git(['push', '-q', 'origin', 'HEAD:main'], work);
    ctx.registry.push('registry.sandbox.local/team-a/payments', '1.0.0', 'payments 1.0.0');
    // The team's private project, and the nodes' pull credential of the platform setup.
    ctx.registry.accounts.ensureProject('team-a');
    setUpPlatformRegistry(ctx);
    // The teams' projects, as a platform team creates them; the workflows' account may not act in
    // `default`. team-a may create its destination namespace (Namespace whitelisted by name).
    for (const [team, namespace] of [
      ['team-a', 'payments-dev'],
      ['team-b', 'team-b-dev'],
    ] as const) {
      ctx.store.create(Kinds.AppProject, {
        metadata: { name: team, namespace: 'argocd' },
        spec: {
          sourceRepos: [`${ctx.urls.git}/payments/*`],
          destinations: [{ server: 'https://kubernetes.default.svc', namespace }],
          clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: namespace }],
        },
      });
    }
    const { argocdWorkflows, argocdServices } = ctx.config;
    ctx.store.create(Kinds.Secret, {
      metadata: { name: 'argocd-credentials', namespace: NS },
      type: 'Opaque',
      stringData: {
        username: argocdWorkflows.username,
        password: argocdWorkflows.password,
        'reader-username': argocdServices.username,
        'reader-password': argocdServices.password,
      },
    });
    // Argo CD reads the private manifests repository only with a credential Secret of its own.
    createRepoCredsSecret(ctx, 'git-repo-creds', {
      url: `${ctx.urls.git}/`,
      username: ctx.config.gitUsername,
      password: ctx.config.gitPassword,
    });
  });
  afterAll(async () => {
    apps.stop();
    deployments.stop();
    await argocd.close();
    await sandbox.close();
  });

  const run = async (name: string, source: string, env: Env = []) => {
    submit(sandbox.ctx, argocdWorkflow(name, source, env));
    const wf = await waitForWorkflow(sandbox.ctx, name, completed);
    const logs = sandbox.ctx.logs.lines(NS, name, 'main').map((l) => l.text);
    return { wf, logs, phase: wf.status.phase, message: wf.status.message as string | undefined };
  };
  const login = (flags: string, user = 'username', password = 'password') =>
    `argocd login ${SERVER} --username "$${user.toUpperCase().replace(/-/g, '_')}" --password "$${password.toUpperCase().replace(/-/g, '_')}" ${flags}`;
  /** `argocd app create $APP` of the chart in $REPO into team-a's `namespace`, with `extra` flags. */
  const createApp = (namespace: string, extra = '') =>
    'argocd app create "$APP" --repo "$REPO" --path chart --revision main --values values-dev.yaml ' +
    `--dest-server https://kubernetes.default.svc --dest-namespace ${namespace} --project team-a ${extra}`;
  const labelled =
    '--sync-option CreateNamespace=true --label "platform-api/app=$APP" --label platform-api/team=team-a';
  const credentials: Env = [
    secretEnv('USERNAME', 'username'),
    secretEnv('PASSWORD', 'password'),
    secretEnv('READER_USERNAME', 'reader-username'),
    secretEnv('READER_PASSWORD', 'reader-password'),
  ];

  it("logs in with the workflows' account, writes the CLI config in the pod's HOME, creates, syncs, waits and saves the app", async () => {
    const { ctx } = sandbox;
    const script = [
      'set -e',
      login('--plaintext --grpc-web'),
      createApp('"${APP}-dev"', labelled),
      // The templates' timeout: at the sandbox's 20x a 60 s one is 3 s of real time, which a busy
      // CI machine rendering the chart with the real helm has overrun.
      'argocd app sync "$APP" --timeout 300',
      'argocd app wait "$APP" --health --sync --timeout 300',
      'argocd app get "$APP" -o json > /tmp/app.json',
    ].join('\n');
    const { wf, logs, phase, message } = await run('cd-1', script, [
      { name: 'APP', value: 'payments' },
      { name: 'REPO', value: repoUrl },
      ...credentials,
    ]);
    expect({ phase, message }).toEqual({ phase: 'Succeeded', message: undefined });
    expect(logs.slice(0, 3)).toEqual([
      "'platform-workflows:login' logged in successfully",
      `Context '${SERVER}' updated`,
      "application 'payments' created",
    ]);
    expect(logs).toContainEqual(expect.stringMatching(/^Phase:\s+Succeeded$/));
    expect(logs).toContainEqual(expect.stringMatching(/^Health Status:\s+Healthy$/));
    expect(ctx.store.mustGet(Kinds.Application, 'argocd', 'payments').operation).toBeUndefined();
    const events = ctx.store
      .list(Kinds.Event, { namespace: 'argocd' })
      .items.map((e) => (e as { message?: string }).message);
    expect(events).toContain('platform-workflows created application');

    const config = path.join(
      workflowDir(ctx, 'cd-1'),
      'pods',
      'cd-1',
      'root',
      'home',
      'argocd',
      '.config',
      'argocd',
      'config',
    );
    // Written as the image's user (argocd, 999:999), as the CLI in the pod writes it.
    for (const file of [config, path.dirname(config), path.dirname(path.dirname(config))])
      expect([statSync(file).uid, statSync(file).gid]).toEqual([999, 999]);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(config)).mode & 0o777).toBe(0o755);
    const output = JSON.parse(
      (wf.status.nodes as Record<string, { outputs?: { parameters?: Array<{ value: string }> } }>)['cd-1']
        ?.outputs?.parameters?.[0]?.value ?? '{}',
    ) as { status: { sync: { status: string }; health: { status: string } } };
    expect([output.status.sync.status, output.status.health.status]).toEqual(['Synced', 'Healthy']);
  });

  // cmd/argocd/commands/app.go, waitOnApplicationStatus: when the timeout fires it prints the app's
  // final status, then returns the error the command turns into a fatal line (exit 20).
  it('app wait gives up at its --timeout with the real error, after printing what the app was waiting on', async () => {
    const script = [
      'set -e',
      login('--plaintext --grpc-web'),
      createApp('payments-dev'),
      // Never synced, so never Synced and Healthy, however slow the machine.
      'argocd app wait "$APP" --health --sync --timeout 1',
      'echo not reached',
    ].join('\n');
    const { logs, phase, message } = await run('wait-timeout', script, [
      { name: 'APP', value: 'unsynced' },
      { name: 'REPO', value: repoUrl },
      ...credentials,
    ]);
    expect(phase).toBe('Failed');
    expect(message).toMatch(
      logLineIn('fatal', 'timed out (1s) waiting for app "unsynced" match desired state'),
    );
    expect(message).toMatch(/^Error \(exit code 20\): /);
    // The app's state between the two notices; Unknown or OutOfSync, depending on whether the
    // controller got to it yet.
    const notice = logs.indexOf('This is the state of the app after `wait` timed out:');
    expect(notice).toBeGreaterThan(0);
    expect(logs.indexOf('The command timed out waiting for the conditions to be met.')).toBeGreaterThan(
      notice,
    );
    expect(logs).toContainEqual('Name:               argocd/unsynced');
    expect(logs).toContainEqual(expect.stringMatching(/^Sync Status:\s+(Unknown|OutOfSync) to main$/));
    expect(logs).not.toContain('not reached');
  });

  // waitOnApplicationStatus again: with --health, a resource it saw Progressing that turns Degraded
  // (here the rollout's progress deadline passing while the image cannot be pulled) ends the wait.
  it('app wait --health fails as soon as a resource turns Degraded, naming the transition', async () => {
    const script = [
      'set -e',
      createApp(
        'payments-dev',
        `${labelled} --helm-set image.tag=never-pushed --helm-set progressDeadlineSeconds=240`,
      ),
      'argocd app sync "$APP" --timeout 300 > /dev/null',
      'argocd app wait "$APP" --health --timeout 600',
      'echo not reached',
    ];
    const { logs, phase, message } = await run(
      'wait-degraded',
      [login('--plaintext --grpc-web'), ...script].join('\n'),
      [{ name: 'APP', value: 'unpullable' }, { name: 'REPO', value: repoUrl }, ...credentials],
    );
    expect(phase).toBe('Failed');
    expect(message).toMatch(
      logLineIn(
        'fatal',
        "application 'unpullable' health state has transitioned from Progressing to Degraded",
      ),
    );
    expect(logs).toContainEqual(expect.stringMatching(/^Health Status:\s+Degraded$/));
    expect(logs).not.toContain('not reached');
  }, 60_000);

  // cmd/argocd/commands/app.go, NewApplicationDeleteCommand (v3.5.1): it prompts only when stdout
  // is a terminal (a pod's is not), and with --wait prints "application '<name>' deleted" once the
  // app's DELETED event came (checkForDeleteEvent), its resources pruned by the cascade first.
  it('app delete --cascade --wait in a pod asks nothing and returns once the app and its resources are gone', async () => {
    const { ctx } = sandbox;
    const script = [
      'set -e',
      login('--plaintext --grpc-web'),
      createApp('payments-dev', labelled),
      'argocd app sync "$APP" --timeout 300 > /dev/null',
      // The sync deployed a Deployment for the cascade to remove.
      `argocd app get "$APP" -o json | grep -c '"kind": "Deployment"'`,
      'argocd app delete "$APP" --cascade --yes --wait',
      'echo deleted',
    ].join('\n');
    const { logs, phase, message } = await run('delete-1', script, [
      { name: 'APP', value: 'gone' },
      { name: 'REPO', value: repoUrl },
      ...credentials,
    ]);
    expect({ phase, message }).toEqual({ phase: 'Succeeded', message: undefined });
    // The created line, the count of Deployment mentions, the delete's line (after the wait), ours.
    expect([logs.at(-4), Number(logs.at(-3)) > 0, logs.at(-2), logs.at(-1)]).toEqual([
      "application 'gone' created",
      true,
      "application 'gone' deleted",
      'deleted',
    ]);
    expect(ctx.store.get(Kinds.Application, 'argocd', 'gone')).toBeUndefined();
    // Nothing Argo CD tracked as the app's is left (argocd.argoproj.io/tracking-id "gone:…").
    const tracked = ctx.store
      .list(Kinds.Deployment, { namespace: 'payments-dev' })
      .items.filter((d) => d.metadata.annotations?.['argocd.argoproj.io/tracking-id']?.startsWith('gone:'));
    expect(tracked).toEqual([]);
  });

  // NewApplicationListCommand + printApplicationNames: `-o name` prints Application.QualifiedName(),
  // `<namespace>/<name>` (so `argocd/<name>` in Argo CD's own namespace), one a line, sorted by
  // name by the server, which leaves out apps the caller may not get; the delete command splits
  // such a name at the first `/` (argo.ParseFromQualifiedName) and echoes it as given.
  it('app list -l ... -o name prints argocd/<name> lines that app delete accepts; nothing once they are gone', async () => {
    const { ctx } = sandbox;
    const app = (name: string, project: string, label: string) => ({
      metadata: { name, namespace: 'argocd', labels: { 'platform-api/app': label } },
      spec: {
        project,
        source: { repoURL: repoUrl, path: 'chart', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' },
      },
    });
    ctx.store.create(Kinds.Application, app('multi-b', 'team-a', 'multi'));
    ctx.store.create(Kinds.Application, app('multi-a', 'team-a', 'multi'));
    ctx.store.create(Kinds.Application, app('multi-other', 'team-a', 'other'));
    // The workflows' account may not get apps of `default`: the list leaves it out, no error.
    ctx.store.create(Kinds.Application, app('multi-hidden', 'default', 'multi'));
    const script = [
      'set -e',
      login('--plaintext --grpc-web'),
      'argocd app list -l "platform-api/app=$APP" -o name',
      'echo ---',
      'for name in $(argocd app list -l "platform-api/app=$APP" -o name); do',
      '  argocd app delete "$name" --cascade --yes --wait',
      'done',
      'echo ---',
      'argocd app list -l "platform-api/app=$APP" -o name',
      'argocd app list -l "platform-api/app=$APP" -o json',
      'argocd app list -l "platform-api/app=$APP"',
      'echo end',
    ].join('\n');
    const { logs, phase, message } = await run('list-delete', script, [
      { name: 'APP', value: 'multi' },
      ...credentials,
    ]);
    expect({ phase, message }).toEqual({ phase: 'Succeeded', message: undefined });
    expect(logs.slice(2)).toEqual([
      'argocd/multi-a',
      'argocd/multi-b',
      '---',
      "application 'argocd/multi-a' deleted",
      "application 'argocd/multi-b' deleted",
      '---',
      '[]',
      'NAME  CLUSTER  NAMESPACE  PROJECT  STATUS  HEALTH  SYNCPOLICY  CONDITIONS  REPO  PATH  TARGET',
      'end',
    ]);
    expect(ctx.store.get(Kinds.Application, 'argocd', 'multi-a')).toBeUndefined();
    expect(ctx.store.get(Kinds.Application, 'argocd', 'multi-b')).toBeUndefined();
    expect(ctx.store.get(Kinds.Application, 'argocd', 'multi-other')).toBeDefined();
    expect(ctx.store.get(Kinds.Application, 'argocd', 'multi-hidden')).toBeDefined();
  });

  it('app list refuses an unknown -o; app delete -l fails when no app matches', async () => {
    const output = await run(
      'list-bad-output',
      [login('--plaintext --grpc-web'), 'argocd app list -o table'].join(' && '),
      credentials,
    );
    expect(output.message).toMatch(/^Error \(exit code 20\): /);
    expect(output.message).toMatch(logLineIn('fatal', 'unknown output format: table'));
    const none = await run(
      'delete-no-match',
      [login('--plaintext --grpc-web'), 'argocd app delete -l platform-api/app=none --yes'].join(' && '),
      credentials,
    );
    expect(none.message).toMatch(logLineIn('fatal', 'no apps match selector platform-api/app=none'));
  });

  it('stops at the TLS prompt of a login without --plaintext to a server without TLS: no stdin, fatal EOF', async () => {
    const { logs, phase, message } = await run('login-prompt', login('--grpc-web'), credentials);
    expect(phase).toBe('Failed');
    expect(message).toBe('Error (exit code 20): WARNING: server is not configured with TLS. Proceed (y/n)? ');
    expect(logs[0]).toMatch(logLine('fatal', 'EOF'));
  });

  it('asks for a password that was not given, and dies on EOF the same way', async () => {
    const { logs, message } = await run(
      'login-no-password',
      `argocd login ${SERVER} --username admin --plaintext`,
    );
    expect(message).toBe('Error (exit code 20): Password: ');
    expect(logs).toContainEqual(expect.stringMatching(logLine('fatal', 'EOF')));
  });

  it('refuses a wrong password with the server’s message', async () => {
    const { message } = await run(
      'login-wrong',
      `argocd login ${SERVER} --username "$USERNAME" --password wrong --plaintext --grpc-web`,
      credentials,
    );
    expect(message).toMatch(
      /^Error \(exit code 20\): \{"level":"fatal","msg":"rpc error: code = Unauthenticated desc = Invalid username or password","time":"[^"]+"\}$/,
    );
  });

  it("gives the services' read-only account the real permission-denied text on sync", async () => {
    const { message } = await run(
      'sync-readonly',
      [
        'set -e',
        login('--plaintext --grpc-web', 'reader-username', 'reader-password'),
        'argocd app sync payments --timeout 60',
      ].join('\n'),
      credentials,
    );
    expect(message).toMatch(
      /"msg":"rpc error: code = PermissionDenied desc = permission denied: applications, sync, team-a\/payments, sub: platform-api, iat: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/,
    );
  });

  it('works without login from ARGOCD_SERVER and ARGOCD_AUTH_TOKEN, flags from ARGOCD_OPTS', async () => {
    const { ctx } = sandbox;
    const res = await fetch(`${ctx.urls.argocd}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ctx.config.argocdServices),
    });
    const { token } = (await res.json()) as { token: string };
    const env = [
      { name: 'ARGOCD_SERVER', value: SERVER },
      { name: 'ARGOCD_AUTH_TOKEN', value: token },
    ];
    const ok = await run('token-get', 'argocd app get payments -o json > /tmp/app.json', [
      ...env,
      { name: 'ARGOCD_OPTS', value: '--grpc-web --plaintext' },
    ]);
    expect({ phase: ok.phase, message: ok.message }).toEqual({ phase: 'Succeeded', message: undefined });

    // Without --grpc-web the CLI tries native gRPC first, which an HTTP/1 server cannot answer.
    const native = await run('token-native', 'argocd app get payments -o json > /tmp/app.json', [
      ...env,
      { name: 'ARGOCD_OPTS', value: '--plaintext' },
    ]);
    expect(native.phase).toBe('Succeeded');
    expect(native.logs[0]).toMatch(
      logLine(
        'warning',
        'Failed to invoke grpc call. Use flag --grpc-web in grpc calls. To avoid this warning message, use flag --grpc-web.',
      ),
    );

    // TLS (the default) to a server without TLS.
    const tls = await run('token-tls', 'argocd app get payments --grpc-web', env);
    expect(tls.message).toContain(
      `"msg":"rpc error: code = Unknown desc = Post \\"https://${SERVER}/application.ApplicationService/Get\\": http: server gave HTTP response to HTTPS client"`,
    );
  });

  it("fails app create with Argo CD's message when the project does not permit the destination", async () => {
    const { phase, message } = await run(
      'create-elsewhere',
      [
        'set -e',
        login('--plaintext --grpc-web'),
        'argocd app create other --repo "$REPO" --path chart --revision main --project team-a \\',
        '  --dest-server https://kubernetes.default.svc --dest-namespace kube-system',
      ].join('\n'),
      [{ name: 'REPO', value: repoUrl }, ...credentials],
    );
    expect(phase).toBe('Failed');
    expect(message).toMatch(
      logLineIn(
        'fatal',
        "rpc error: code = InvalidArgument desc = error while validating and normalizing app: application spec for other is invalid: InvalidSpecError: application destination server 'https://kubernetes.default.svc' and namespace 'kube-system' do not match any of the allowed destinations in project 'team-a'",
      ),
    );
    expect(sandbox.ctx.store.get(Kinds.Application, 'argocd', 'other')).toBeUndefined();
  });

  it('cannot take over an app of another project without --upsert, nor with it: nothing is overwritten', async () => {
    const before = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'payments');
    for (const upsert of ['', ' --upsert']) {
      const { phase, message } = await run(
        `take-over${upsert === '' ? '' : '-upsert'}`,
        [
          'set -e',
          login('--plaintext --grpc-web'),
          'argocd app create payments --repo "$REPO" --path chart --revision main --project team-b \\',
          `  --dest-server https://kubernetes.default.svc --dest-namespace team-b-dev${upsert}`,
        ].join('\n'),
        [{ name: 'REPO', value: repoUrl }, ...credentials],
      );
      expect(phase).toBe('Failed');
      // Moving an app between projects needs update rights in the old one, which the workflows lack.
      expect(message).toMatch(
        /"msg":"rpc error: code = PermissionDenied desc = error while validating and normalizing app: permission denied: applications, update, team-a\/payments, sub: platform-workflows, iat: [^"]+"/,
      );
    }
    const after = sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', 'payments');
    expect(after.spec).toEqual(before.spec);
  });

  it("writes its config as the step's user: a HOME the user may not write fails the login as Go's mkdir does", async () => {
    const { phase, message } = await run('login-home-root', login('--plaintext --grpc-web'), [
      { name: 'HOME', value: '/' },
      ...credentials,
    ]);
    expect(phase).toBe('Failed');
    expect(message).toMatch(
      /^Error \(exit code 20\): \{"level":"fatal","msg":"mkdir \/\.config: permission denied","time":"[^"]+"\}$/,
    );
  });

  it('keeps the login in its own container: another step has no config and no server', async () => {
    const { message } = await run('no-login', 'argocd app get payments --grpc-web');
    expect(message).toMatch(/"msg":"Argo CD server address unspecified"/);
  });

  it("fails the step with the CLI's fatal error when the API refuses", async () => {
    const { phase, message } = await run(
      'cd-ghost',
      [login('--plaintext --grpc-web'), 'argocd app sync ghost --timeout 5'].join(' && '),
      credentials,
    );
    expect(phase).toBe('Failed');
    expect(message).toMatch(
      /^Error \(exit code 20\): \{"level":"fatal","msg":"rpc error: code = PermissionDenied desc = permission denied","time":"[^"]+"\}$/,
    );
  });

  it("runs the image's own dash: a tool the argocd image lacks is not found, as dash says it", async () => {
    const { phase, message } = await run('cd-jq', 'set -e\nargocd version --client | jq -r .client');
    expect(phase).toBe('Failed');
    // The image is Ubuntu's with no jq; its /bin/sh is dash, which names the script and the line.
    expect(message).toBe('Error (exit code 127): /argo/staging/script: 2: jq: not found');
  });
});
