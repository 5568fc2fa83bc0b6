import { stringify } from 'yaml';
import { dig, digString, type Application } from './argocd-api';
import { tabulate } from './tab-writer';

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** The block `argocd app get <name>` prints. */
export function describeApplication(app: Application, server: string): string {
  const name = digString(app, 'metadata', 'name');
  const namespace = digString(app, 'metadata', 'namespace') || 'argocd';
  const source = (dig(app, 'spec', 'source') ?? {}) as Record<string, unknown>;
  const revision = digString(app, 'status', 'sync', 'revision');
  const syncStatus = digString(app, 'status', 'sync', 'status') || 'Unknown';
  const target =
    typeof source.targetRevision === 'string' && source.targetRevision !== ''
      ? source.targetRevision
      : 'HEAD';
  const automated = dig(app, 'spec', 'syncPolicy', 'automated') !== undefined;
  const lines = [
    ['Name:', `${namespace}/${name}`],
    ['Project:', digString(app, 'spec', 'project') || 'default'],
    [
      'Server:',
      digString(app, 'spec', 'destination', 'server') || digString(app, 'spec', 'destination', 'name'),
    ],
    ['Namespace:', digString(app, 'spec', 'destination', 'namespace')],
    ['URL:', `${server}/applications/${name}`],
    ['Source:', ''],
    ['- Repo:', str(source.repoURL)],
    ['  Target:', target],
    ['  Path:', str(source.path)],
    ['SyncWindow:', 'Sync Allowed'],
    ['Sync Policy:', automated ? 'Automated' : 'Manual'],
    ['Sync Status:', `${syncStatus} to ${target}${revision !== '' ? ` (${revision.slice(0, 7)})` : ''}`],
    ['Health Status:', digString(app, 'status', 'health', 'status') || 'Unknown'],
  ];
  return `${lines.map(([k, v]) => `${(k ?? '').padEnd(20)}${v ?? ''}`.trimEnd()).join('\n')}\n`;
}

/** The operation block `argocd app sync` prints after the resources table. */
export function describeOperation(app: Application): string {
  const state = (dig(app, 'status', 'operationState') ?? {}) as Record<string, unknown>;
  const started = str(state.startedAt);
  const finished = str(state.finishedAt);
  const seconds =
    started !== '' && finished !== '' ? Math.round((Date.parse(finished) - Date.parse(started)) / 1000) : 0;
  const lines = [
    ['Operation:', 'Sync'],
    ['Sync Revision:', digString(state, 'syncResult', 'revision')],
    ['Phase:', str(state.phase)],
    ['Start:', started],
    ['Finished:', finished],
    ['Duration:', `${seconds}s`],
    ['Message:', str(state.message)],
  ];
  return `${lines.map(([k, v]) => `${(k ?? '').padEnd(20)}${v ?? ''}`.trimEnd()).join('\n')}\n`;
}

/**
 * The resources table of `argocd app sync` / `app wait`, through the CLI's tabwriter (argo-cd's
 * cmd/argocd/commands/app.go, printAppResources: cells tab-separated, each line ending in a
 * newline, so its last cell is not padded, and an empty cell before it still is).
 */
export function resourcesTable(app: Application): string {
  const results = (dig(app, 'status', 'operationState', 'syncResult', 'resources') ?? []) as Array<
    Record<string, unknown>
  >;
  const health = (dig(app, 'status', 'resources') ?? []) as Array<Record<string, unknown>>;
  const header = ['TIMESTAMP', 'GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', 'HOOK', 'MESSAGE'];
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const rows = results.map((r) => {
    const live = health.find((h) => h.kind === r.kind && h.name === r.name);
    return [
      now,
      str(r.group),
      str(r.kind),
      str(r.namespace),
      str(r.name),
      str(live?.status ?? r.status),
      str(dig(live, 'health', 'status')),
      str(r.hookType),
      str(r.message),
    ];
  });
  return tabulate([header, ...rows]);
}

/** `-o json` / `-o yaml` output. */
export function formatApplication(app: Application, format: string): string {
  return format === 'yaml' ? stringify(app) : `${JSON.stringify(app, null, 2)}\n`;
}
