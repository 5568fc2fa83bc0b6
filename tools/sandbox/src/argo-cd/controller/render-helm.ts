import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../core/kube-object';
import type { AppSource } from '../shared/app-types';
import type { ClusterInfo } from './cluster-info';
import { parseGenericVersion } from './cluster-info';
import type { HelmCommand } from './helm-command';
import { envsubst, templateArgs, type TemplateOpts } from './helm-template-args';
import { splitManifests } from './render-manifests';

/** One manifest generation of a Helm source, as the repo server is asked for it. */
export interface HelmRenderRequest {
  /** The Application's name: Helm's release name unless `helm.releaseName` says otherwise. */
  appName: string;
  /** The destination namespace (`--namespace`, unless `helm.namespace` says otherwise). */
  namespace: string;
  project: string;
  source: AppSource;
  revision: string;
  /** The repository checked out at `revision`, and the source's path inside it. */
  repoRoot: string;
  appPath: string;
  cluster: ClusterInfo;
}

/** `helm.valuesFileSchemes`' default: value files may be fetched over http(s). */
const VALUES_FILE_SCHEMES = ['https', 'http'];

/**
 * argo-cd `reposerver/repository/repository.go` helmTemplate: `helm template . --name-template
 * <release> --namespace <ns> --kube-version <cluster> --set... --values <each value file, in
 * order> --values <inline values> --api-versions <cluster>... --include-crds` run by the real
 * Helm in the chart's directory, its output split into objects. Errors keep the repo server's
 * wording, Helm's own message included.
 */
export async function helmTemplate(helm: HelmCommand, request: HelmRenderRequest): Promise<KubeObject[]> {
  const { source, cluster } = request;
  const env = buildEnv(request);
  const wanted = nonEmpty(source.helm?.kubeVersion) ?? cluster.serverVersion;
  const kubeVersion = wanted === '' ? '' : parseGenericVersion(wanted);
  if (kubeVersion === undefined) {
    throw new Error(`could not parse kubernetes version ${wanted}: could not parse "${wanted}" as version`);
  }
  const helmSource = source.helm ?? {};
  const opts: TemplateOpts = {
    name: nonEmpty(helmSource.releaseName) ?? request.appName,
    namespace: nonEmpty(helmSource.namespace) ?? request.namespace,
    kubeVersion,
    apiVersions:
      helmSource.apiVersions !== undefined && helmSource.apiVersions.length > 0
        ? helmSource.apiVersions
        : cluster.apiVersions,
    set: new Map(),
    setString: new Map(),
    setFile: new Map(),
    values: [],
    skipCrds: helmSource.skipCrds === true,
    skipSchemaValidation: helmSource.skipSchemaValidation === true,
    skipTests: helmSource.skipTests === true,
  };
  try {
    opts.values = valueFiles(request, env);
  } catch (error) {
    throw new Error(`error resolving helm value files: ${(error as Error).message}`, { cause: error });
  }
  for (const parameter of helmSource.parameters ?? []) {
    const target = parameter.forceString === true ? opts.setString : opts.set;
    target.set(parameter.name, envsubst(parameter.value, env));
  }
  for (const parameter of helmSource.fileParameters ?? []) {
    try {
      opts.setFile.set(
        parameter.name,
        resolveInRepo(request.appPath, request.repoRoot, envsubst(parameter.path, env)),
      );
    } catch (error) {
      throw new Error(`error resolving helm value file path: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!['', 'v3', 'v4'].includes(helmSource.version ?? '')) {
    throw new Error(
      `error initializing helm app object: helm version '${helmSource.version ?? ''}' is not supported`,
    );
  }
  const inline = inlineValues(helmSource);
  if (inline !== '') opts.extraValues = path.join(os.tmpdir(), randomUUID());
  try {
    if (opts.extraValues !== undefined) await writeFile(opts.extraValues, inline, { mode: 0o644 });
    const out = await helm.run(templateArgs('.', opts), request.appPath).catch((error: unknown) => {
      const message = (error as Error).message.replace(
        /(--api-versions [^ ]+ )+/g,
        '<api versions removed> ',
      );
      throw new Error(`failed to execute helm template command: ${message}`, { cause: error });
    });
    return splitManifests(out);
  } finally {
    if (opts.extraValues !== undefined) await rm(opts.extraValues, { force: true });
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** The build environment value files and parameters are expanded with (`newEnv`). */
function buildEnv(request: HelmRenderRequest): Record<string, string> {
  const { revision, source } = request;
  return {
    ARGOCD_APP_NAME: request.appName,
    ARGOCD_APP_NAMESPACE: request.namespace,
    ARGOCD_APP_PROJECT_NAME: request.project,
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL,
    ARGOCD_APP_SOURCE_PATH: source.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision ?? '',
  };
}

/**
 * `getResolvedValueFiles`: each value file resolved against the chart (an absolute one against
 * the repository root), never outside the repository; a missing one is dropped only with
 * `ignoreMissingValueFiles`, otherwise Helm itself reports it. Repeated files count once.
 */
function valueFiles(request: HelmRenderRequest, env: Record<string, string>): string[] {
  const resolved: string[] = [];
  for (const raw of request.source.helm?.valueFiles ?? []) {
    const expanded = envsubst(raw, env);
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(expanded)?.[1];
    if (scheme !== undefined) {
      if (!VALUES_FILE_SCHEMES.includes(scheme.toLowerCase())) {
        throw new Error(`error resolving value file path: the URL scheme '${scheme}' is not allowed`);
      }
      if (!resolved.includes(expanded)) resolved.push(expanded);
      continue;
    }
    let file: string;
    try {
      file = resolveInRepo(request.appPath, request.repoRoot, expanded);
    } catch (error) {
      throw new Error(`error resolving value file path: ${(error as Error).message}`, { cause: error });
    }
    if (!existsSync(file) && request.source.helm?.ignoreMissingValueFiles === true) continue;
    if (!resolved.includes(file)) resolved.push(file);
  }
  return resolved;
}

/** `resolveFileOrDirectory`: a path inside the repository, or the repo server's refusal. */
function resolveInRepo(appPath: string, repoRoot: string, file: string): string {
  const resolved = path.isAbsolute(file) ? path.join(repoRoot, file) : path.join(appPath, file);
  const root = repoRoot.endsWith(path.sep) ? repoRoot : `${repoRoot}${path.sep}`;
  if (`${resolved}${path.sep}` === root) {
    throw new Error('internal error: failed to resolve path. Check logs for more details');
  }
  if (!resolved.startsWith(root)) throw new Error(`file '${file}' resolved to outside repository root`);
  return resolved;
}

/** `ValuesYAML`: `valuesObject` when set (as YAML), else the `values` string. */
function inlineValues(helm: NonNullable<AppSource['helm']>): string {
  if (helm.valuesObject !== undefined && helm.valuesObject !== null) return stringify(helm.valuesObject);
  return helm.values ?? '';
}
