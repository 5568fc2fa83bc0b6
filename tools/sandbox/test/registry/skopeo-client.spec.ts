import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildImage } from '../../src/registry/image-content';
import type { RobotAccount } from '../../src/registry/harbor-accounts';
import { startRegistry, type RegistryUnderTest } from './registry-test-kit';

const run = promisify(execFile);

function skopeoBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v skopeo'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : undefined;
}

const skopeo = skopeoBinary();
if (skopeo === undefined)
  console.log('skopeo client suite: skipped: skopeo not found (apt-get install -y skopeo)');

/**
 * A registry client nobody here wrote (skopeo, containers/image) against the sandbox registry with
 * Harbor auth: it follows the challenge to the token service with a robot's login, pushes into
 * the robot's project, and is refused in another team's.
 */
(skopeo === undefined ? describe.skip : describe)('skopeo against the sandbox registry (Harbor auth)', () => {
  let registry: RegistryUnderTest;
  let payments: RobotAccount;
  let content: RobotAccount;
  let layout: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    const { accounts } = registry.ctx.registry;
    accounts.createProject('payments');
    accounts.createProject('content');
    payments = accounts.createRobot({ name: 'ci', project: 'payments', actions: ['pull', 'push'] });
    content = accounts.createRobot({ name: 'ci', project: 'content', actions: ['pull', 'push'] });
    // A `dir:` image layout: the manifest, each blob under its hex digest, and the version file.
    layout = mkdtempSync(path.join(os.tmpdir(), 'skopeo-image-'));
    const image = buildImage({
      format: 'docker',
      files: { 'app/main.js': 'console.log(1)\n' },
      created: new Date(0),
    });
    writeFileSync(path.join(layout, 'version'), 'Directory Transport Version: 1.1\n');
    writeFileSync(path.join(layout, 'manifest.json'), image.manifest.bytes);
    for (const blob of [image.config, ...image.layers]) {
      writeFileSync(path.join(layout, blob.digest.slice('sha256:'.length)), blob.bytes);
    }
    digest = image.manifest.digest;
  });
  afterAll(async () => {
    await registry.close();
    rmSync(layout, { recursive: true, force: true });
  });

  const target = (repo: string): string => `docker://${new URL(registry.url).host}/${repo}`;
  const creds = (robot: RobotAccount): string => `${robot.name}:${robot.secret}`;

  it("pushes with the robot's login into its project, and inspects what it pushed", async () => {
    await run(skopeo ?? 'skopeo', [
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      creds(payments),
      `dir:${layout}`,
      target('payments/shop:v1'),
    ]);
    expect(registry.ctx.registry.find('registry.sandbox.local/payments/shop:v1')?.digest).toBe(digest);
    const { stdout } = await run(skopeo ?? 'skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      creds(payments),
      target('payments/shop:v1'),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
  });

  it("is refused in another team's project (at its first call, the HEAD of a blob)", async () => {
    await expect(
      run(skopeo ?? 'skopeo', [
        'copy',
        '--dest-tls-verify=false',
        '--dest-creds',
        creds(content),
        `dir:${layout}`,
        target('payments/stolen:v1'),
      ]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(
        /exists in 127\.0\.0\.1:\d+\/payments\/stolen: unauthorized: authentication required/,
      ),
    });
    expect(registry.ctx.registry.find('registry.sandbox.local/payments/stolen:v1')).toBeUndefined();
  });

  it('cannot read a private project anonymously', async () => {
    await expect(
      run(skopeo ?? 'skopeo', ['inspect', '--raw', '--tls-verify=false', target('payments/shop:v1')]),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/unauthorized|authentication required/i) });
  });
});
