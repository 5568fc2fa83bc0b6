import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gitAuthorization, Kinds, type Sandbox } from '@platform/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, repoUrl, runTemplate, startPlatformSandbox } from './platform-sandbox';

const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * What a team's own Dockerfile can do in a build: kaniko runs RUN in its own container, so a
 * command reads whatever the kaniko pod has mounted and prints it into the build log.
 */
const PRYING_DOCKERFILE = `FROM alpine:3.20
RUN cat /kaniko/.docker/config.json; echo; cat ${TOKEN_DIR}/token || true; ls ${TOKEN_DIR} || true
`;

interface PodView {
  metadata: { name?: string; labels?: Record<string, string> };
  spec: {
    automountServiceAccountToken?: boolean;
    volumes?: Array<{ name: string; secret?: { secretName: string }; projected?: unknown }>;
    containers: Array<{ name: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
  };
}

/** A private repository `<team>/<name>` holding `files`, as a developer would have pushed it. */
async function sourceRepo(sandbox: Sandbox, team: string, name: string, files: Record<string, string>) {
  const res = await fetch(`${sandbox.urls.git}/api/v1/orgs/${team}/repos`, {
    method: 'POST',
    headers: { authorization: gitAuthorization(sandbox), 'content-type': 'application/json' },
    body: JSON.stringify({ name, private: true, default_branch: 'main' }),
  });
  expect(res.status).toBe(201);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'isolation-'));
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(work, file), content);
  await git('-C', work, 'init', '-q', '-b', 'main');
  await git('-C', work, 'add', '-A');
  await git('-C', work, '-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'commit', '-qm', 'init');
  await git('-C', work, 'push', '-q', repoUrl(sandbox, `${team}/${name}`), 'HEAD:main');
}

/** deploy/argo's builds: each team's own registry robot, and no Kubernetes token in any step. */
describe('build isolation between teams', () => {
  let sandbox: Sandbox;
  const argo = (): string => sandbox.ctx.config.argoNamespace;
  const podsOf = (workflow: string): PodView[] =>
    sandbox.ctx.store
      .list(Kinds.Pod, { namespace: argo() })
      .items.filter(
        (p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === workflow,
      ) as unknown as PodView[];
  const logOf = (pod: PodView): string[] =>
    sandbox.ctx.logs.lines(argo(), pod.metadata.name ?? '', 'main').map((l) => l.text);
  const robotSecret = (team: string): string =>
    sandbox.ctx.registry.rememberedSecrets.get(`robot$${team}+ci`) ?? 'unknown';

  beforeAll(async () => {
    sandbox = await startPlatformSandbox();
    await sourceRepo(sandbox, 'payments', 'prying', { Dockerfile: PRYING_DOCKERFILE });
    await sourceRepo(sandbox, 'content', 'unboarded', { Dockerfile: 'FROM alpine:3.20\n' });
  });
  afterAll(() => sandbox.stop());

  it("a build's own Dockerfile prints only its team's robot, and finds no token", async () => {
    const ci = await runTemplate(sandbox, 'ci', { app: 'prying', team: 'payments', ref: 'main' });
    expect({ phase: ci.status?.phase, message: ci.status?.message }).toEqual({
      phase: 'Succeeded',
      message: undefined,
    });
    const build = podsOf(ci.metadata.name).find((p) => p.metadata.name?.includes('build-push'));
    const log = logOf(build ?? { metadata: {}, spec: { containers: [] } });
    const config = log.find((line) => line.startsWith('{"auths"'));
    expect(JSON.parse(config ?? '{}')).toEqual({
      auths: {
        [sandbox.ctx.config.registryHost]: {
          username: 'robot$payments+ci',
          password: robotSecret('payments'),
          auth: Buffer.from(`robot$payments+ci:${robotSecret('payments')}`).toString('base64'),
        },
      },
    });
    // busybox cat and ls, in alpine's words: nothing is mounted there.
    expect(log).toContain(`cat: can't open '${TOKEN_DIR}/token': No such file or directory`);
    expect(log).toContain(`ls: ${TOKEN_DIR}: No such file or directory`);
    const everything = log.join('\n');
    expect(everything).not.toContain(robotSecret('content'));
    expect(everything).not.toContain('robot$content');
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    // The platform-wide pushing robot is gone: only the teams' robots may push.
    expect(sandbox.ctx.store.get(Kinds.Secret, argo(), 'platform-registry')).toBeUndefined();
    expect(sandbox.ctx.registry.accounts.robot('robot$platform-ci')).toBeUndefined();
  });

  it("no step of ci mounts a token in its container; Argo's wait container has the executor's", async () => {
    const ci = await runTemplate(sandbox, 'ci', { app: 'prying', team: 'payments', ref: 'main' });
    const pods = podsOf(ci.metadata.name);
    expect(pods.map((p) => p.metadata.name?.replace(/-\d+$/, ''))).toEqual(
      expect.arrayContaining([expect.stringContaining('clone'), expect.stringContaining('build-push')]),
    );
    for (const pod of pods) {
      const mounts = (name: string): string[] =>
        (pod.spec.containers.find((c) => c.name === name)?.volumeMounts ?? [])
          .filter((m) => m.mountPath === TOKEN_DIR)
          .map((m) => m.name);
      expect({ pod: pod.metadata.name, main: mounts('main'), wait: mounts('wait') }).toEqual({
        pod: pod.metadata.name,
        main: [],
        wait: ['exec-sa-token'],
      });
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      expect(pod.spec.volumes?.find((v) => v.name === 'exec-sa-token')?.secret?.secretName).toBe(
        'platform-workflows-executor.service-account-token',
      );
      expect(pod.spec.volumes?.some((v) => v.name.startsWith('kube-api-access-'))).toBe(false);
    }
    const kaniko = pods.find((p) => p.metadata.name?.includes('build-push'));
    expect(
      kaniko?.spec.volumes?.filter((v) => v.secret !== undefined).map((v) => v.secret?.secretName),
    ).toEqual(['platform-registry-payments', 'platform-workflows-executor.service-account-token']);
  });

  it('a team without its registry Secret fails at the build naming it, and pushes nothing', async () => {
    sandbox.ctx.store.delete(Kinds.Secret, argo(), 'platform-registry-content');
    const ci = await runTemplate(sandbox, 'ci', { app: 'unboarded', team: 'content', ref: 'main' });
    expect(ci.status?.phase).toBe('Failed');
    expect(ci.status?.message).toBe(
      'MountVolume.SetUp failed for volume "registry-credentials" : secret "platform-registry-content" not found',
    );
    expect(
      sandbox.ctx.registry.find(`${sandbox.ctx.config.registryHost}/content/unboarded:latest`),
    ).toBeUndefined();
  });
});
