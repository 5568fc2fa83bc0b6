import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { AppProjectSpec } from '../shared/app-project';

/**
 * The parts of `AppProject.ValidateProject` (argoproj/argo-cd
 * `pkg/apis/application/v1alpha1/app_project_types.go`) that concern what the sandbox enforces:
 * no `!*` destination or source repository, no destination, source namespace or repository twice.
 * Roles, sync windows and destination service accounts are not emulated and not validated.
 */
export function validateProject(spec: AppProjectSpec): void {
  const invalid = (message: string) => new GrpcError(GrpcCode.InvalidArgument, message);
  const destinations = new Set<string>();
  for (const dest of spec.destinations ?? []) {
    for (const field of ['name', 'server', 'namespace'] as const) {
      if (dest[field] === '!*') throw invalid(`${field} has an invalid format, '!*'`);
    }
    const server = dest.server ?? '';
    const key =
      server === '' && (dest.name ?? '') !== ''
        ? `${dest.name}/${dest.namespace ?? ''}`
        : `${server}/${dest.namespace ?? ''}`;
    if (destinations.has(key)) throw invalid(`destination '${key}' already added`);
    destinations.add(key);
  }
  const namespaces = new Set<string>();
  for (const namespace of spec.sourceNamespaces ?? []) {
    if (namespaces.has(namespace)) throw invalid(`source namespace '${namespace}' already added`);
    namespaces.add(namespace);
  }
  const repos = new Set<string>();
  for (const repo of spec.sourceRepos ?? []) {
    if (repo === '!*') throw invalid("source repository has an invalid format, '!*'");
    if (repos.has(repo)) throw invalid(`source repository '${repo}' already added`);
    repos.add(repo);
  }
}
