import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { SandboxContext } from '../../core/sandbox-context';
import { commitFiles } from '../../git/git-commit';
import { readBranchFiles } from '../../git/git-read-files';
import { gitStore } from '../../git/git-store';
import { createTeamOrganization } from '../team-organization';

/** What an app's real repositories hold: the commits its seeded history names. */
export interface SeededRepos {
  sourceCommit: string;
  /** The image tag the manifests deploy (create-app: the source commit, here its short form). */
  imageTag: string;
  manifestsCommit: string;
  /** `replicaCount` as each environment's values render it, so the seeded pods match the chart. */
  replicas: (environment: string) => number;
}

/** The catalog's parameters, as far as rendering needs them (deploy/templates/catalog.yaml). */
interface CatalogEntry {
  name: string;
  sourceRepo?: string;
  manifestsRepo?: string;
  parameters?: Array<{ name: string; default?: string }>;
}

type Files = Record<string, string>;
const SHORT_TAG = 7;
const AUTHOR = { name: 'platform-api', email: 'platform-api@localhost' };

/**
 * Writes seeded apps' repositories `<team>/<app>` and `<team>/<app>-manifests` on the sandbox's
 * git server as deploy/argo/create-app.yaml leaves them: the template repositories of the
 * templates organization rendered (`__APP__`, `__TEAM__`, `__REGISTRY__`, `__IMAGE_TAG__` in the
 * manifests, and each catalog parameter's default), one commit each on `main`, private in the
 * team's organization. Each template is read from git once per writer; an app costs two
 * repositories and a handful of git processes, which is why the seed gives only its first apps
 * real repositories. Commits are dated with the app's history, so the same seed writes the same
 * commits.
 */
export class SeedRepoWriter {
  private readonly templates = new Map<string, Promise<Files>>();
  private readonly catalog: Map<string, CatalogEntry>;

  private constructor(private readonly ctx: SandboxContext) {
    this.catalog = readCatalog(ctx.config.templatesDir);
  }

  /** A writer when the git server holds the app templates (a platform sandbox), else undefined. */
  static for(ctx: SandboxContext): SeedRepoWriter | undefined {
    if (ctx.config.templatesDir === undefined || ctx.urls.git === '') return undefined;
    return new SeedRepoWriter(ctx);
  }

  async write(seed: { app: string; team: string; template: string; since: Date }): Promise<SeededRepos> {
    const { app, team, template } = seed;
    const entry = this.catalog.get(template);
    const values: Record<string, string> = {
      APP: app,
      TEAM: team,
      REGISTRY: this.ctx.config.registryHost,
    };
    for (const parameter of entry?.parameters ?? []) {
      values[parameter.name.toUpperCase().replace(/-/g, '_')] = parameter.default ?? '';
    }
    createTeamOrganization(this.ctx, team);
    const sourceCommit = await this.push(
      team,
      app,
      render(await this.template(entry?.sourceRepo ?? template), values, template),
      `Create ${app} from template ${template}`,
      seed.since,
    );
    const imageTag = sourceCommit.slice(0, SHORT_TAG);
    const manifestsTemplate = entry?.manifestsRepo ?? `${template}-manifests`;
    const manifests = render(
      await this.template(manifestsTemplate),
      { ...values, IMAGE_TAG: imageTag },
      manifestsTemplate,
    );
    const manifestsCommit = await this.push(
      team,
      `${app}-manifests`,
      manifests,
      `Create ${app} from template ${manifestsTemplate}`,
      seed.since,
    );
    const base = replicaCount(manifests['chart/values.yaml']) ?? 1;
    return {
      sourceCommit,
      imageTag,
      manifestsCommit,
      replicas: (environment) => replicaCount(manifests[`chart/values-${environment}.yaml`]) ?? base,
    };
  }

  private template(name: string): Promise<Files> {
    let files = this.templates.get(name);
    if (files === undefined) {
      const { repos } = gitStore(this.ctx);
      files = readBranchFiles(repos.pathOf(this.ctx.config.gitTemplatesOrg, name), 'main');
      this.templates.set(name, files);
    }
    return files;
  }

  /** The repository as create-app's create-repos step makes it, then its one rendered commit. */
  private async push(team: string, name: string, files: Files, message: string, date: Date): Promise<string> {
    const { repos, accounts } = gitStore(this.ctx);
    if (!repos.exists(team, name)) {
      await repos.create({
        owner: team,
        name,
        private: true,
        defaultBranch: 'main',
        // The platform's git user creates them through the API without owning the organization.
        collaborators: { [accounts.user.login]: 'admin' },
      });
    }
    return commitFiles(repos.pathOf(team, name), 'main', files, { ...AUTHOR, message, date });
  }
}

/** create-app's placeholder replacement; a placeholder left fails as its push step does. */
function render(files: Files, values: Record<string, string>, template: string): Files {
  const rendered: Files = {};
  for (const [file, text] of Object.entries(files)) {
    const filled = text.replace(/__([A-Z][A-Z0-9_]*)__/g, (whole, key: string) => values[key] ?? whole);
    const left = /__[A-Z][A-Z0-9_]*__/.exec(filled);
    if (left !== null) throw new Error(`template ${template} needs a value for ${left[0]} (${file})`);
    rendered[file] = filled;
  }
  return rendered;
}

function replicaCount(values: string | undefined): number | undefined {
  if (values === undefined) return undefined;
  const parsed = YAML.parse(values) as { replicaCount?: unknown } | null;
  return typeof parsed?.replicaCount === 'number' ? parsed.replicaCount : undefined;
}

/**
 * The catalog beside the template repositories (deploy/templates/catalog.yaml next to
 * deploy/templates/repos), for its parameters' defaults; none when it is not there.
 */
function readCatalog(templatesDir: string | undefined): Map<string, CatalogEntry> {
  const file = templatesDir === undefined ? '' : path.join(templatesDir, '..', 'catalog.yaml');
  if (file === '' || !existsSync(file)) return new Map();
  const catalog = YAML.parse(readFileSync(file, 'utf8')) as { templates?: CatalogEntry[] } | null;
  return new Map((catalog?.templates ?? []).map((entry) => [entry.name, entry]));
}
