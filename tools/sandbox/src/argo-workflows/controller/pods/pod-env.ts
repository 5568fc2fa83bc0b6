import type { SandboxContext } from '../../../core/sandbox-context';
import { Kinds } from '../../../core/resource-kinds';
import type { EnvVar } from '../../workflow-types';
import { decodeData } from './projected-volume';
import { PodSetupError } from './pod-setup-error';

/**
 * A container's `env` as the kubelet resolves it: literal values (with `$(VAR)` references to
 * earlier variables), `secretKeyRef` (base64 `data` or `stringData` of a Secret in the pod's
 * namespace), `configMapKeyRef` and the common `fieldRef`s. A missing secret or key fails the pod
 * with the kubelet's CreateContainerConfigError message.
 */
export function resolveEnv(
  ctx: SandboxContext,
  namespace: string,
  podName: string,
  env: EnvVar[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of env ?? []) {
    if (v.valueFrom === undefined) {
      out[v.name] = expandReferences(String(v.value ?? ''), out);
      continue;
    }
    const { secretKeyRef, configMapKeyRef, fieldRef } = v.valueFrom;
    if (secretKeyRef !== undefined) {
      const secret = ctx.store.get(Kinds.Secret, namespace, secretKeyRef.name);
      const values = { ...decodeData(secret?.data, true), ...decodeData(secret?.stringData, false) };
      const value = values[secretKeyRef.key];
      if (value !== undefined) out[v.name] = value;
      else if (secretKeyRef.optional !== true) {
        throw new PodSetupError(
          'CreateContainerConfigError',
          secret === undefined
            ? `secret "${secretKeyRef.name}" not found`
            : `couldn't find key ${secretKeyRef.key} in Secret ${namespace}/${secretKeyRef.name}`,
        );
      }
    } else if (configMapKeyRef !== undefined) {
      const map = ctx.store.get(Kinds.ConfigMap, namespace, configMapKeyRef.name);
      const value = decodeData(map?.data, false)[configMapKeyRef.key];
      if (value !== undefined) out[v.name] = value;
      else if (configMapKeyRef.optional !== true) {
        throw new PodSetupError(
          'CreateContainerConfigError',
          map === undefined
            ? `configmap "${configMapKeyRef.name}" not found`
            : `couldn't find key ${configMapKeyRef.key} in ConfigMap ${namespace}/${configMapKeyRef.name}`,
        );
      }
    } else if (fieldRef !== undefined) {
      out[v.name] = fieldValue(fieldRef.fieldPath, namespace, podName);
    }
  }
  return out;
}

function fieldValue(fieldPath: string, namespace: string, podName: string): string {
  switch (fieldPath) {
    case 'metadata.name':
      return podName;
    case 'metadata.namespace':
      return namespace;
    case 'status.podIP':
    case 'status.hostIP':
      return '127.0.0.1';
    case 'spec.nodeName':
      return SANDBOX_NODE;
    default:
      return '';
  }
}

/** The one "node" every sandbox pod is scheduled on. */
export const SANDBOX_NODE = 'sandbox-node';

/**
 * Kubernetes' `$(VAR)` expansion in env values, command and args, as kubelet does it
 * (k8s.io/kubernetes third_party/forked/golang/expansion/expand.go): `$(NAME)` — NAME being
 * everything up to the next `)` — becomes the variable's value when it is defined, and stays as
 * written otherwise; `$$` is one `$`; a `$` before anything else is kept with that character; an
 * unclosed `$(` is kept and scanning goes on after it. In an env value only variables listed
 * EARLIER in the container's env are defined (secret ones included), so a user's value listed
 * after a secret could pull the secret in.
 */
export function expandReferences(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text.charAt(i + 1);
    if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
      } else {
        const name = text.slice(i + 2, close);
        const value = Object.hasOwn(env, name) ? env[name] : undefined;
        out += value ?? `$(${name})`;
        i = close;
        continue;
      }
    } else {
      out += next === '$' ? '$' : `$${next}`;
    }
    i += 1;
  }
  return out;
}
