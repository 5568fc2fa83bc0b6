import type { SandboxContext } from '../../core/sandbox-context';
import type { ProjectRules } from './app-project';
import type { AppDestination, AppSource } from './app-types';
import { DestinationError, destinationCluster } from './destination-cluster';

/** An ApplicationCondition the checks of an app's spec produce. */
export interface SpecCondition {
  type: 'InvalidSpecError';
  message: string;
}

/** The spec fields the project checks read. */
export interface CheckedSpec {
  source?: Partial<AppSource>;
  sources?: Array<Partial<AppSource>>;
  destination?: AppDestination;
}

/**
 * `argo.ValidatePermissions` (argoproj/argo-cd `util/argo/argo.go`): the source is complete and
 * its repository permitted by the project, the destination names a known cluster, and cluster and
 * namespace are among the project's destinations. Each failure is an InvalidSpecError condition
 * with Argo CD's message; the API server refuses an app with any, the controller shows them.
 */
export function validatePermissions(
  ctx: SandboxContext,
  spec: CheckedSpec,
  rules: ProjectRules,
): SpecCondition[] {
  const conditions: SpecCondition[] = [];
  const invalid = (message: string) => conditions.push({ type: 'InvalidSpecError', message });
  const multiple = Array.isArray(spec.sources) && spec.sources.length > 0;
  for (const source of multiple ? (spec.sources ?? []) : [spec.source ?? {}]) {
    const problem = sourceProblem(source, multiple);
    if (problem !== undefined) {
      invalid(problem);
      return conditions;
    }
    const repoURL = source.repoURL ?? '';
    if (!rules.isSourcePermitted(repoURL)) {
      invalid(`application repo ${repoURL} is not permitted in project '${rules.name}'`);
    }
  }
  let cluster;
  try {
    cluster = destinationCluster(ctx, spec.destination);
  } catch (error) {
    if (!(error instanceof DestinationError)) throw error;
    invalid(error.message);
    return conditions;
  }
  const namespace = spec.destination?.namespace ?? '';
  if (!rules.isDestinationPermitted(cluster, namespace)) {
    const server = (spec.destination?.name ?? '') !== '' ? cluster.name : cluster.server;
    invalid(
      `application destination server '${server}' and namespace '${namespace}' do not match any of the allowed destinations in project '${rules.name}'`,
    );
  }
  return conditions;
}

/** `validateSourcePermissions`: what a source needs before its repository is even looked at. */
function sourceProblem(source: Partial<AppSource>, multiple: boolean): string | undefined {
  const has = (value: unknown) => typeof value === 'string' && value !== '';
  if (multiple) {
    if (!has(source.repoURL) || (!has(source.path) && !has(source.chart) && !has(source.ref))) {
      // Go prints the source struct with %s; the sandbox shows it as JSON.
      return `spec.source.repoURL and either source.path, source.chart, or source.ref are required for source ${JSON.stringify(source)}`;
    }
  } else if (!has(source.repoURL) || (!has(source.path) && !has(source.chart))) {
    return 'spec.source.repoURL and either spec.source.path or spec.source.chart are required';
  }
  if (has(source.chart) && !has(source.targetRevision)) {
    return 'spec.source.targetRevision is required if the manifest source is a helm chart';
  }
  return undefined;
}

/** `argo.FormatAppConditions`: `<type>: <message>` joined with `;`. */
export function formatConditions(conditions: ReadonlyArray<{ type: string; message: string }>): string {
  return conditions.map((c) => `${c.type}: ${c.message}`).join(';');
}
