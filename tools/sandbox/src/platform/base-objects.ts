import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { KubeObject } from '../core/kube-object';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';

/** What a fresh cluster has: the namespaces Argo Workflows and Argo CD run in, and `default`. */
export function createBaseNamespaces(ctx: SandboxContext): void {
  for (const name of ['default', ctx.config.argoNamespace, ctx.config.argocdNamespace]) {
    if (ctx.store.get(Kinds.Namespace, undefined, name) === undefined) {
      // As the namespace registry strategy sets it on create.
      ctx.store.create(Kinds.Namespace, { metadata: { name }, status: { phase: 'Active' } });
    }
  }
}

/**
 * Applies every WorkflowTemplate (and Secret/ConfigMap/ServiceAccount) found in the YAML files of
 * `dir` to the Argo namespace, as `kubectl apply -f dir` would. Returns the names applied.
 */
export function applyManifests(ctx: SandboxContext, dir: string): string[] {
  const applied: string[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    // merge: kubectl (go-yaml) honours `<<` merge keys, which YAML 1.2 parsers do not by default.
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'), {
      merge: true,
    })) {
      const object = doc.toJS() as KubeObject | null;
      if (object === null || typeof object !== 'object') continue;
      const kind = Object.values(Kinds).find((k) => k.kind === object.kind);
      if (kind === undefined) continue;
      object.metadata = {
        ...object.metadata,
        namespace: object.metadata.namespace ?? ctx.config.argoNamespace,
      };
      const existing = ctx.store.get(kind, object.metadata.namespace, object.metadata.name ?? '');
      if (existing === undefined) ctx.store.create(kind, object);
      else
        ctx.store.update(kind, { ...object, metadata: { ...object.metadata, resourceVersion: undefined } });
      applied.push(`${object.kind}/${object.metadata.name ?? ''}`);
    }
  }
  return applied;
}

/** A Secret in the Argo namespace, where workflows read it (e.g. `username` and `password`). */
export function createCredentialsSecret(
  ctx: SandboxContext,
  name: string,
  values: Record<string, string>,
): void {
  ctx.store.create(Kinds.Secret, {
    metadata: { name, namespace: ctx.config.argoNamespace },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  });
}

/**
 * An Argo CD credential template (Secret labelled `argocd.argoproj.io/secret-type: repo-creds`
 * in the Argo CD namespace): its `url` is a prefix, and every repository under it that has no
 * credentials of its own is read with `username` and `password`.
 */
export function createRepoCredsSecret(
  ctx: SandboxContext,
  name: string,
  values: { url: string; username: string; password: string },
): void {
  const data = { type: 'git', ...values };
  const existing = ctx.store.get(Kinds.Secret, ctx.config.argocdNamespace, name);
  const object = {
    metadata: {
      name,
      namespace: ctx.config.argocdNamespace,
      labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' },
    },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  };
  if (existing === undefined) ctx.store.create(Kinds.Secret, object);
  else ctx.store.update(Kinds.Secret, object);
}
