import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { SEEDED_ANNOTATION, type ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { Kinds } from '../../src/core/resource-kinds';
import { gitStore } from '../../src/git/git-store';
import { seedApps } from '../../src/platform/seed/seed-apps';
import { startSandbox, type Sandbox } from '../../src/sandbox';

const TEMPLATES = path.join(__dirname, '..', '..', '..', '..', 'deploy', 'templates', 'repos');

describe('seedApps with the app templates on the git server', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ templatesDir: TEMPLATES, gitOrganizations: ['payments'] });
  });
  afterAll(() => sandbox.stop());

  const show = async (repo: string, file: string): Promise<string> => {
    const bare = gitStore(sandbox.ctx).repos.pathOf('payments', repo);
    return (await promisify(execFile)('git', ['-C', bare, 'show', `main:${file}`])).stdout;
  };
  const application = (name: string): ApplicationObject =>
    sandbox.ctx.store.mustGet(Kinds.Application, 'argocd', name) as ApplicationObject;

  it("gives the first gitRepos apps their template's repositories, rendered as create-app renders them", async () => {
    await seedApps(sandbox.ctx, { apps: 3, teams: ['payments'], gitRepos: 2 });
    const { repos } = gitStore(sandbox.ctx);
    expect(
      ['app-00001', 'app-00001-manifests', 'app-00002', 'app-00002-manifests'].map((r) =>
        repos.exists('payments', r),
      ),
    ).toEqual([true, true, true, true]);
    expect(repos.exists('payments', 'app-00003')).toBe(false);
    expect((await repos.info('payments', 'app-00001'))?.private).toBe(true);

    // node-service, then go-service: names and the catalog's defaults filled in.
    expect(JSON.parse(await show('app-00001', 'package.json'))).toMatchObject({ name: 'app-00001' });
    expect(await show('app-00001', 'src/server.js')).toContain("'hello from app-00001\\n'");
    expect(await show('app-00002', 'main.go')).toContain('":8080"');
    // The image the seeded build pushed is the one the manifests deploy, in every environment.
    const dev = application('app-00001-dev');
    const image = dev.status?.summary?.images?.[0] ?? '';
    const tag = image.slice(image.lastIndexOf(':') + 1);
    expect(sandbox.ctx.registry.find(image)).toBeDefined();
    for (const file of ['values.yaml', 'values-dev.yaml', 'values-prod.yaml']) {
      expect(await show('app-00001-manifests', `chart/${file}`)).toContain(`tag: "${tag}"`);
    }
    expect(await show('app-00001-manifests', 'chart/values.yaml')).toContain(
      `repository: ${sandbox.ctx.config.registryHost}/payments/app-00001`,
    );

    // Their Applications are plain ones at the manifests commit; the rest stay seeded (no git).
    const head = (
      await promisify(execFile)('git', [
        '-C',
        repos.pathOf('payments', 'app-00001-manifests'),
        'rev-parse',
        'main',
      ])
    ).stdout.trim();
    expect(dev.metadata.annotations?.[SEEDED_ANNOTATION]).toBeUndefined();
    expect(dev.spec.source).toMatchObject({
      repoURL: `${sandbox.urls.git}/payments/app-00001-manifests.git`,
      targetRevision: 'main',
    });
    expect(dev.status?.sync?.revision).toBe(head);
    expect(application('app-00003-dev').metadata.annotations?.[SEEDED_ANNOTATION]).toBe('true');
    // As many pods as the environment's values ask for (values-dev.yaml: 1, values-prod.yaml: 3).
    expect(sandbox.ctx.store.mustGet(Kinds.Deployment, 'payments-dev', 'app-00001').spec).toMatchObject({
      replicas: 1,
    });
    expect(sandbox.ctx.store.mustGet(Kinds.Deployment, 'payments-prod', 'app-00001').spec).toMatchObject({
      replicas: 3,
    });
  });
});
