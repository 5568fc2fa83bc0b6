import { stringify } from 'yaml';
import { dig, digString, type Application, type ArgoCdApi } from './argocd-api';
import { qualifiedName } from './argocd-app-names';
import { ArgoCdCliError } from './argocd-client';
import type { ParsedFlags } from './cli-flags';
import type { CommandIo } from './command-io';
import { tabulate } from './tab-writer';

/**
 * `argocd app list` (cmd/argocd/commands/app.go, NewApplicationListCommand): one
 * `ApplicationService.List` with the selector and app namespace (the server leaves out what the
 * caller may not get, so nothing is ever refused for RBAC), then the project, repo, cluster and
 * path filters on the client. Nothing matching prints nothing (`-o name`), the bare table header
 * (`wide`), or `[]` (`json`, `yaml`).
 */
export async function appList(api: ArgoCdApi, flags: ParsedFlags, io: CommandIo): Promise<number> {
  const projects = flags.all('project');
  const repo = flags.get('repo') ?? '';
  const cluster = flags.get('cluster') ?? '';
  const path = flags.get('path') ?? '';
  const apps = (await api.listApplications(flags.get('selector') ?? '', flags.get('app-namespace') ?? ''))
    .filter((app) => projects.length === 0 || projects.includes(projectOf(app)))
    .filter((app) => repo === '' || sourceOf(app).repoURL === repo)
    .filter(
      (app) =>
        cluster === '' ||
        digString(app, 'spec', 'destination', 'server') === cluster ||
        digString(app, 'spec', 'destination', 'name') === cluster,
    )
    .filter((app) => path === '' || sourceOf(app).path === path);
  const output = flags.get('output') ?? 'wide';
  switch (output) {
    case 'json':
    case 'yaml':
      io.out(printResourceList(apps, output));
      return 0;
    case 'name':
      // printApplicationNames
      io.out(apps.map((app) => `${qualifiedName(app)}\n`).join(''));
      return 0;
    case 'wide':
    case '':
      io.out(applicationTable(apps, output === 'wide'));
      return 0;
    default:
      throw new ArgoCdCliError(`unknown output format: ${output}`);
  }
}

/** `PrintResourceList` (cmd/argocd/commands/common.go): an empty list is `[]`, never `null`. */
function printResourceList(apps: Application[], output: 'json' | 'yaml'): string {
  // sigs.k8s.io/yaml: keys sorted, sequences not indented under their key.
  return output === 'json'
    ? `${JSON.stringify(apps, null, 2)}\n`
    : stringify(apps, { sortMapEntries: true, indentSeq: false });
}

/** `printApplicationTable`: the default `-o wide` adds REPO, PATH and TARGET; `-o ""` does not. */
export function applicationTable(apps: Application[], wide: boolean): string {
  const header = ['NAME', 'CLUSTER', 'NAMESPACE', 'PROJECT', 'STATUS', 'HEALTH', 'SYNCPOLICY', 'CONDITIONS'];
  const rows = apps.map((app) => {
    const source = sourceOf(app);
    const row = [
      qualifiedName(app),
      digString(app, 'spec', 'destination', 'server') || digString(app, 'spec', 'destination', 'name'),
      digString(app, 'spec', 'destination', 'namespace'),
      projectOf(app),
      digString(app, 'status', 'sync', 'status'),
      digString(app, 'status', 'health', 'status'),
      syncPolicy(app),
      conditionsSummary(app),
    ];
    return wide ? [...row, source.repoURL, source.path, source.targetRevision] : row;
  });
  return tabulate([wide ? [...header, 'REPO', 'PATH', 'TARGET'] : header, ...rows]);
}

/** `ApplicationSpec.GetProject`. */
function projectOf(app: Application): string {
  return digString(app, 'spec', 'project') || 'default';
}

/** `ApplicationSpec.GetSource`: the hydrator's sync source, else the first of `sources`, else `source`. */
function sourceOf(app: Application): { repoURL: string; path: string; targetRevision: string } {
  const hydrator = dig(app, 'spec', 'sourceHydrator');
  if (hydrator !== undefined && hydrator !== null) {
    return {
      repoURL: digString(hydrator, 'syncSource', 'repoURL') || digString(hydrator, 'drySource', 'repoURL'),
      path: digString(hydrator, 'syncSource', 'path'),
      targetRevision: digString(hydrator, 'syncSource', 'targetBranch'),
    };
  }
  const sources = dig(app, 'spec', 'sources');
  const source: unknown =
    Array.isArray(sources) && sources.length > 0 ? (sources as unknown[])[0] : dig(app, 'spec', 'source');
  return {
    repoURL: digString(source, 'repoURL'),
    path: digString(source, 'path'),
    targetRevision: digString(source, 'targetRevision'),
  };
}

/** `formatSyncPolicy`: Manual, Auto or Auto-Prune (`automated.enabled: false` is Manual). */
function syncPolicy(app: Application): string {
  const automated = dig(app, 'spec', 'syncPolicy', 'automated');
  if (automated === undefined || automated === null || dig(automated, 'enabled') === false) return 'Manual';
  return dig(automated, 'prune') === true ? 'Auto-Prune' : 'Auto';
}

/** `formatConditionsSummary`: condition types sorted, `Type(n)` when repeated, or `<none>`. */
function conditionsSummary(app: Application): string {
  const conditions = dig(app, 'status', 'conditions');
  const counts = new Map<string, number>();
  for (const condition of Array.isArray(conditions) ? (conditions as unknown[]) : []) {
    const type = digString(condition, 'type');
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const items = [...counts].map(([type, n]) => (n > 1 ? `${type}(${n})` : type)).sort();
  return items.length === 0 ? '<none>' : items.join(',');
}
