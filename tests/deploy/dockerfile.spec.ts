import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asObject, asString } from './json';
import { argsOf, execForm, parseCopy, parseDockerfile, readJson, workspaceDependencies } from './dockerfile';
import { Deployment } from './models';
import { find, renderDir, REPO_ROOT } from './rendered';
import { envDefaults, SERVICES } from './services';

const NODE_IMAGE = 'node:20-bookworm-slim';
const HEAP_GUARD = '/usr/local/bin/node-heap-guard.sh';
const ROOT_TURBO = asString(
  asObject(readJson(path.join(REPO_ROOT, 'package.json')).devDependencies, 'devDependencies').turbo,
  'turbo',
);

describe.each(SERVICES)('apps/$name/Dockerfile', (service) => {
  const appDir = `apps/${service.name}`;
  const stages = parseDockerfile(readFileSync(path.join(REPO_ROOT, appDir, 'Dockerfile'), 'utf8'));
  const [pruner, builder, runner] = stages;

  it(`has three ${NODE_IMAGE} stages: prune, build, production`, () => {
    expect(stages.map((stage) => stage.image)).toEqual([NODE_IMAGE, NODE_IMAGE, NODE_IMAGE]);
  });

  it(`prunes the monorepo to @platform/${service.name} with the root's turbo version`, () => {
    const prune = argsOf(pruner, 'RUN')
      .map((run) => /\bturbo@(\S+) prune (\S+) --docker\b/.exec(run))
      .find((match) => match !== null);
    expect(prune?.[1]).toBe(ROOT_TURBO);
    expect(prune?.[2]).toBe(`@platform/${service.name}`);
  });

  it('installs from the pruned manifests and lockfile, then builds the app with turbo', () => {
    const copies = argsOf(builder, 'COPY').map(parseCopy);
    const sources = copies.filter((copy) => copy.from === pruner?.name).flatMap((copy) => copy.sources);
    expect(sources).toEqual(
      expect.arrayContaining(['/app/out/json/', '/app/out/package-lock.json', '/app/out/full/']),
    );
    expect(argsOf(builder, 'RUN')).toEqual(
      expect.arrayContaining(['npm ci', `npx turbo run build --filter=@platform/${service.name}`]),
    );
  });

  it('copies the root files the workspaces extend, which turbo prune leaves out', () => {
    const copied = argsOf(builder, 'COPY').flatMap((args) =>
      parseCopy(args).sources.map((source) => path.basename(source)),
    );
    for (const dir of [appDir, ...workspaceDependencies(REPO_ROOT, appDir)]) {
      const extended = readJson(path.join(REPO_ROOT, dir, 'tsconfig.build.json')).extends;
      const target = path.resolve(REPO_ROOT, dir, asString(extended, `${dir} extends`));
      if (path.dirname(target) === REPO_ROOT) expect(copied).toContain(path.basename(target));
    }
  });

  it('ships a production-only install plus the dist of the app and of every workspace library it uses', () => {
    expect(argsOf(runner, 'RUN').some((run) => /\bnpm ci --omit=dev\b/.test(run))).toBe(true);
    const fromBuilder = argsOf(runner, 'COPY')
      .map(parseCopy)
      .filter((copy) => copy.from === builder?.name);
    const libraries = workspaceDependencies(REPO_ROOT, appDir);
    expect(libraries).toContain('libs/service-runtime');
    for (const dir of [appDir, ...libraries]) {
      expect(fromBuilder).toContainEqual({
        from: builder?.name,
        sources: [`/app/${dir}/dist`],
        destination: `./${dir}/dist`,
      });
    }
  });

  it('runs as the non-root uid of the Deployments, under an init, with NODE_ENV=production', () => {
    const user = argsOf(runner, 'USER').at(-1)?.split(':')[0];
    const runAsUser = find(renderDir('base'), Deployment, service.name).spec?.template.spec?.securityContext
      ?.runAsUser;
    expect(user).toBe(String(runAsUser));
    expect(['0', 'root']).not.toContain(user);
    const entrypoint = execForm(argsOf(runner, 'ENTRYPOINT').at(-1));
    expect(['tini', 'dumb-init']).toContain(path.basename(entrypoint[0] ?? ''));
    expect(argsOf(runner, 'ENV')).toContain('NODE_ENV=production');
  });

  it("exposes the app's port and starts its dist/main.js", () => {
    expect(argsOf(runner, 'EXPOSE')).toEqual([String(envDefaults(service).PORT)]);
    expect(execForm(argsOf(runner, 'CMD').at(-1))).toEqual([HEAP_GUARD, `${appDir}/dist/main.js`]);
  });

  it('starts node through the heap guard, copied from deploy/image', () => {
    const copies = argsOf(runner, 'COPY').map(parseCopy);
    expect(copies).toContainEqual({
      from: undefined,
      sources: ['deploy/image/node-heap-guard.sh'],
      destination: HEAP_GUARD,
    });
  });
});

it('.dockerignore keeps installs, build output, caches and git out of the build context', () => {
  const entries = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/^\*\*\//, ''))
    .filter((line) => line && !line.startsWith('#'));
  expect(entries).toEqual(expect.arrayContaining(['node_modules', 'dist', '.turbo', '.git', 'coverage']));
});
