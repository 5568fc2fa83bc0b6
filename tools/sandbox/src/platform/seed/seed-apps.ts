import { environmentNamespace, Labels } from '@platform/domain';
import type { KubeObject } from '../../core/kube-object';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { seedApp, SEED_GIT_URL } from './seed-app';
import { SeedRepoWriter } from './seed-repos';

/** What `POST /admin/seed` asks for. */
export interface SeedOptions {
  apps: number;
  /** Team names, or how many teams (`team-01`...); default 10. */
  teams?: string[] | number;
  /**
   * Prefix of the team namespaces the apps deploy to (default none): `<prefix><team>-<environment>`,
   * the platform's scheme (deploy/team) for the environments seeded apps are deployed to.
   */
  namespacePrefix?: string;
  /**
   * Every how many apps one is deployed to `prod` as well as `dev` (default 4: the 1st, 5th, 9th...
   * seeded app), so that the data holds apps of several environments; 0: `dev` only.
   */
  prodEvery?: number;
  podsPerApp?: number;
  workflowsPerApp?: number;
  /**
   * How many of the apps seeded (the first ones) get real repositories `<team>/<app>` and
   * `<team>/<app>-manifests` on the git server, rendered from their template as create-app
   * renders it, so they can be built and deployed (default {@link DEFAULT_GIT_REPOS}); their pods
   * are as many as each environment's values ask for. Only a sandbox whose git server holds the
   * app templates writes them; the rest stay store-only, cheap enough for benchmarks of tens of
   * thousands of apps. `npm start` gives its demo apps repositories.
   */
  gitRepos?: number;
}

export interface SeedResult {
  apps: number;
  objects: number;
  ms: number;
}

/** Templates of deploy/templates/catalog.yaml, which seeded apps take round-robin (a repo test checks). */
export const SEED_TEMPLATES: readonly string[] = ['node-service', 'go-service'];
/**
 * None unless asked for: an app with repositories costs a few git processes, and its pods are
 * as many as its values ask for, not `podsPerApp` (fixtures and benchmarks count on that).
 */
export const DEFAULT_GIT_REPOS = 0;
const DEFAULT_PROD_EVERY = 4;
/** Apps written between two yields to the event loop, so servers keep answering while seeding. */
const BATCH = 200;

/**
 * Writes `apps` ready-made apps straight into the store (no git, no controllers needed), named
 * `app-00001`... after the highest seeded name already there, spread over the teams round-robin,
 * each in `dev` and every `prodEvery`th also in `prod` (one Argo CD Application per app and
 * environment, `<app>-<environment>`). Each team is onboarded as the platform's team chart
 * (deploy/team) does it, unless it already is: its AppProject and its environments' namespaces.
 * See {@link seedApp} for what each app gets; the first `gitRepos` also get their repositories
 * (see {@link SeedRepoWriter}). The same options write the same apps.
 */
export async function seedApps(ctx: SandboxContext, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const teams = teamNames(options.teams);
  const prefix = options.namespacePrefix ?? '';
  const prodEvery = options.prodEvery ?? DEFAULT_PROD_EVERY;
  const environments = prodEvery > 0 ? ['dev', 'prod'] : ['dev'];
  let objects = 0;
  // Seeded objects are built fresh for the store, so it may keep them without copying.
  const create = (kind: ResourceKind, object: KubeObject): Readonly<KubeObject> => {
    const created = ctx.store.adopt(kind, object);
    objects += 1;
    return created;
  };
  for (const team of teams) {
    // The registry project each team's seeded images live in, as its onboarding created it.
    if (ctx.config.registryAuth === 'harbor') ctx.registry.accounts.ensureProject(team);
    const namespaces = environments.map((environment) => prefix + environmentNamespace(team, environment));
    for (const name of namespaces) {
      if (ctx.store.get(Kinds.Namespace, undefined, name) === undefined) {
        create(Kinds.Namespace, {
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name, [Labels.team]: team } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        });
      }
    }
    if (ctx.store.get(Kinds.AppProject, ctx.config.argocdNamespace, team) === undefined) {
      create(Kinds.AppProject, seededProject(ctx, team, namespaces));
    }
  }
  const writer = SeedRepoWriter.for(ctx);
  const gitRepos = writer === undefined ? 0 : (options.gitRepos ?? DEFAULT_GIT_REPOS);
  const now = Date.now();
  const span = 14 * 24 * 3600_000;
  let index = 0;
  for (let made = 0; made < options.apps;) {
    index += 1;
    const app = `app-${String(index).padStart(5, '0')}`;
    if (ctx.store.get(Kinds.Application, ctx.config.argocdNamespace, `${app}-dev`) !== undefined) continue;
    const team = teams[made % teams.length] ?? 'team';
    const template = SEED_TEMPLATES[made % SEED_TEMPLATES.length] ?? 'node-service';
    const since = new Date(now - span + Math.floor((span * made) / options.apps));
    const repos =
      writer !== undefined && made < gitRepos
        ? await writer.write({ app, team, template, since })
        : undefined;
    seedApp(
      ctx,
      {
        app,
        team,
        template,
        environments: (prodEvery > 0 && made % prodEvery === 0 ? ['dev', 'prod'] : ['dev']).map((name) => ({
          name,
          namespace: prefix + environmentNamespace(team, name),
        })),
        pods: options.podsPerApp ?? 2,
        workflows: options.workflowsPerApp ?? 2,
        since,
        repos,
      },
      create,
    );
    made += 1;
    if (made % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { apps: options.apps, objects, ms: Math.round(performance.now() - started) };
}

/** The team's AppProject as deploy/team renders it, for the namespaces seeded apps use. */
function seededProject(ctx: SandboxContext, team: string, namespaces: string[]): KubeObject {
  const gitBase = ctx.urls.git !== '' ? ctx.urls.git : SEED_GIT_URL;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: team, namespace: ctx.config.argocdNamespace, labels: { [Labels.team]: team } },
    spec: {
      description: `Apps of team ${team}, created by the Platform API`,
      sourceRepos: [`${gitBase}/${team}/*`],
      destinations: namespaces.map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })),
      clusterResourceWhitelist: [],
    },
  };
}

function teamNames(teams: SeedOptions['teams']): string[] {
  if (Array.isArray(teams) && teams.length > 0) return teams;
  const count = typeof teams === 'number' && teams > 0 ? teams : 10;
  return Array.from({ length: count }, (_, i) => `team-${String(i + 1).padStart(2, '0')}`);
}
