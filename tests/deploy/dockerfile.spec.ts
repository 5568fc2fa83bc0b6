import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asObject, asString } from './json';
import {
  argsOf,
  execForm,
  parseCopy,
  parseDockerfile,
  readJson,
  workspaceDependencies,
  workspaces,
  type Stage,
} from './dockerfile';
import { Deployment } from './models';
import { find, renderDir, REPO_ROOT } from './rendered';
import { envDefaults, SERVICES } from './services';

const NODE_IMAGE = 'node:20-bookworm-slim';
const HEAP_GUARD = '/usr/local/bin/node-heap-guard.sh';
const RUNTIME_WORKSPACES = 'deploy/image/runtime-workspaces.sh';
/** The images built besides the services': docker-compose's local gateway and control plane. */
const TOOLS = ['gateway', 'sandbox'];
const ROOT_TURBO = asString(
  asObject(readJson(path.join(REPO_ROOT, 'package.json')).devDependencies, 'devDependencies').turbo,
  'turbo',
);

const dockerfile = parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stage = (name: string): Stage | undefined => dockerfile.stages.find((s) => s.name === name);
const [pruner, builder, runtime] = dockerfile.stages;

/** The workspace folder of package @platform/<name>, wherever the root's workspaces put it. */
function workspaceOf(name: string): string {
  const folder = workspaces(REPO_ROOT).get(`@platform/${name}`);
  if (folder === undefined) throw new Error(`no workspace @platform/${name}`);
  return folder;
}

describe('the Dockerfile every image is built from', () => {
  it(`prunes, builds and installs for production on ${NODE_IMAGE}, then picks the stage SERVICE names`, () => {
    expect([pruner, builder, runtime].map((s) => [s?.name, s?.image])).toEqual([
      ['pruner', NODE_IMAGE],
      ['builder', NODE_IMAGE],
      ['runtime', NODE_IMAGE],
    ]);
    expect(dockerfile.args).toEqual(['SERVICE']);
    expect(dockerfile.stages.at(-1)?.image).toBe('${SERVICE}');
    for (const name of [...SERVICES.map((s) => s.name), ...TOOLS]) {
      expect(stage(name)?.image).toBe('runtime');
    }
  });

  it("prunes the monorepo to @platform/$SERVICE with the root's turbo version", () => {
    expect(argsOf(pruner, 'ARG')).toContain('SERVICE');
    const prune = argsOf(pruner, 'RUN')
      .map((run) => /\bturbo@(\S+) prune (\S+) --docker\b/.exec(run))
      .find((match) => match !== null);
    expect(prune?.[1]).toBe(ROOT_TURBO);
    expect(prune?.[2]).toBe('@platform/${SERVICE}');
  });

  it('installs from the pruned manifests and lockfile, then builds the package with turbo', () => {
    expect(argsOf(builder, 'ARG')).toContain('SERVICE');
    const copies = argsOf(builder, 'COPY').map(parseCopy);
    const sources = copies.filter((copy) => copy.from === pruner?.name).flatMap((copy) => copy.sources);
    expect(sources).toEqual(
      expect.arrayContaining(['/app/out/json/', '/app/out/package-lock.json', '/app/out/full/']),
    );
    expect(argsOf(builder, 'RUN')).toEqual(
      expect.arrayContaining(['npm ci', 'npx turbo run build --filter=@platform/${SERVICE}']),
    );
  });

  it.each([...SERVICES.map((s) => s.name), ...TOOLS])(
    'copies the root files the workspaces of %s extend, which turbo prune leaves out',
    (name) => {
      const copied = argsOf(builder, 'COPY').flatMap((args) =>
        parseCopy(args).sources.map((source) => path.basename(source)),
      );
      const dir = workspaceOf(name);
      for (const workspace of [dir, ...workspaceDependencies(REPO_ROOT, dir)]) {
        const extended = readJson(path.join(REPO_ROOT, workspace, 'tsconfig.build.json')).extends;
        const target = path.resolve(REPO_ROOT, workspace, asString(extended, `${workspace} extends`));
        if (path.dirname(target) === REPO_ROOT) expect(copied).toContain(path.basename(target));
      }
    },
  );

  it('gathers the dist of the package and of the workspaces it needs as npm resolves them, no list by hand', () => {
    expect(argsOf(builder, 'COPY').map(parseCopy)).toContainEqual({
      from: undefined,
      sources: [RUNTIME_WORKSPACES],
      destination: '/usr/local/bin/runtime-workspaces.sh',
    });
    expect(
      argsOf(builder, 'RUN').some((run) => run.includes('runtime-workspaces.sh @platform/${SERVICE}')),
    ).toBe(true);
    // Nothing names a workspace's dist: the builder gathers them, the runtime copies what it gathered.
    const all = dockerfile.stages.flatMap((s) => argsOf(s, 'COPY'));
    expect(all.filter((copy) => /\b(apps|libs)\/[^/\s]+\/dist\b/.test(copy))).toEqual([]);
    expect(argsOf(runtime, 'COPY').map(parseCopy)).toContainEqual({
      from: builder?.name,
      sources: ['/dists/'],
      destination: './',
    });
    expect(argsOf(runtime, 'RUN').some((run) => /\bnpm ci --omit=dev\b/.test(run))).toBe(true);
  });

  it.each([...SERVICES.map((s) => s.name), ...TOOLS])(
    `${RUNTIME_WORKSPACES} names %s's folder and every workspace library it uses at run time`,
    (name) => {
      const dir = workspaceOf(name);
      const listed = execFileSync(path.join(REPO_ROOT, RUNTIME_WORKSPACES), [`@platform/${name}`], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(listed.trim().split('\n')).toEqual([dir, ...workspaceDependencies(REPO_ROOT, dir)].sort());
    },
    30_000,
  );

  it('runs everything under tini, with NODE_ENV=production and the heap guard from deploy/image', () => {
    expect(execForm(argsOf(runtime, 'ENTRYPOINT').at(-1))).toEqual(['/usr/bin/tini', '--']);
    expect(argsOf(runtime, 'ENV')).toContain('NODE_ENV=production');
    expect(argsOf(runtime, 'COPY').map(parseCopy)).toContainEqual({
      from: undefined,
      sources: ['deploy/image/node-heap-guard.sh'],
      destination: HEAP_GUARD,
    });
  });
});

describe.each(SERVICES)('the $name image', (service) => {
  const image = stage(service.name);

  it('runs as the non-root uid of its Deployment', () => {
    const user = argsOf(image, 'USER').at(-1)?.split(':')[0];
    const runAsUser = find(renderDir('base'), Deployment, service.name).spec?.template.spec?.securityContext
      ?.runAsUser;
    expect(user).toBe(String(runAsUser));
    expect(['0', 'root']).not.toContain(user);
    // Its entrypoint is the runtime's: tini.
    expect(argsOf(image, 'ENTRYPOINT')).toEqual([]);
  });

  it("exposes the app's port and starts its dist/main.js through the heap guard", () => {
    expect(argsOf(image, 'EXPOSE')).toEqual([String(envDefaults(service).PORT)]);
    expect(execForm(argsOf(image, 'CMD').at(-1))).toEqual([HEAP_GUARD, `apps/${service.name}/dist/main.js`]);
  });
});

describe.each(TOOLS)('the %s image', (name) => {
  const image = stage(name);

  it('runs as the non-root uid 10001, its program through its workspace link under tini', () => {
    expect(argsOf(image, 'USER').at(-1)).toBe('10001:10001');
    const entrypoint = execForm(argsOf(image, 'ENTRYPOINT').at(-1));
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node', `node_modules/@platform/${name}/dist/cli.js`]);
    expect(existsSync(path.join(REPO_ROOT, workspaceOf(name), 'src', 'cli.ts'))).toBe(true);
  });
});

it('.dockerignore keeps installs, build output, caches and git out of the build context', () => {
  const entries = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/^\*\*\//, ''))
    .filter((line) => line && !line.startsWith('#'));
  expect(entries).toEqual(expect.arrayContaining(['node_modules', 'dist', '.turbo', '.git', 'coverage']));
});
