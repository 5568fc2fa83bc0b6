import { digString, type Application } from './argocd-api';

/**
 * `Application.QualifiedName()` (pkg/apis/application/v1alpha1/types.go): `<namespace>/<name>`
 * whenever the app has a namespace, which every app the API returns has, so apps in Argo CD's own
 * namespace come out as `argocd/<name>` too.
 */
export function qualifiedName(app: Application): string {
  const name = digString(app, 'metadata', 'name');
  const namespace = digString(app, 'metadata', 'namespace');
  return namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * `argo.ParseFromQualifiedName` (util/argo/argo.go): split at the first `/` into namespace and
 * name; a name without one gets `defaultNamespace` (the `-N` flag, "" meaning the server's own).
 */
export function parseQualifiedName(
  qualified: string,
  defaultNamespace: string,
): { name: string; namespace: string } {
  const slash = qualified.indexOf('/');
  return slash < 0
    ? { name: qualified, namespace: defaultNamespace }
    : { name: qualified.slice(slash + 1), namespace: qualified.slice(0, slash) };
}
