import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SandboxContext } from '../../core/sandbox-context';

/** Where kubelet mounts a pod's service account token, CA and namespace (and Argo its executor's). */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The issuer and audience of the API server's bound tokens (`--service-account-issuer`). */
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** kube-apiserver's projected token lifetime: 3607 s (an hour plus jitter, warnings past an hour). */
const PROJECTED_SECONDS = 3607;

/** Who a token speaks for. */
export interface TokenSubject {
  namespace: string;
  serviceAccount: string;
  serviceAccountUid: string;
}

const keys = new WeakMap<SandboxContext, Buffer>();

/**
 * A bound service account token as kubelet writes it into `kube-api-access-*` (the TokenRequest
 * API: audience, an hour's expiry, the pod it is bound to, `sub` system:serviceaccount:<ns>:<sa>).
 * Signed HS256 with a key of this sandbox (the API server signs RS256/ES256; clients treat it as opaque).
 */
export function boundToken(
  ctx: SandboxContext,
  subject: TokenSubject,
  pod: { name: string; uid: string },
): string {
  const now = Math.floor(Date.now() / 1000);
  return sign(ctx, {
    aud: [ISSUER],
    exp: now + PROJECTED_SECONDS,
    iat: now,
    iss: ISSUER,
    'kubernetes.io': {
      namespace: subject.namespace,
      pod: pod,
      serviceaccount: { name: subject.serviceAccount, uid: subject.serviceAccountUid },
    },
    nbf: now,
    sub: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`,
  });
}

/**
 * A legacy, non-expiring token as the token controller writes it into a Secret of type
 * `kubernetes.io/service-account-token` (pkg/serviceaccount/legacy.go claims).
 */
export function legacyToken(ctx: SandboxContext, subject: TokenSubject, secretName: string): string {
  return sign(ctx, {
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': subject.namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': subject.serviceAccount,
    'kubernetes.io/serviceaccount/service-account.uid': subject.serviceAccountUid,
    sub: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`,
  });
}

/** The cluster CA a token volume carries as `ca.crt` (the kube-root-ca.crt ConfigMap's). */
export function clusterCa(ctx: SandboxContext): string {
  const file = path.join(ctx.config.dataDir, 'tls', 'ca.crt');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function sign(ctx: SandboxContext, claims: object): string {
  let key = keys.get(ctx);
  if (key === undefined) {
    key = randomBytes(32);
    keys.set(ctx, key);
  }
  const header = {
    alg: 'HS256',
    kid: createHmac('sha256', key).update('kid').digest('base64url').slice(0, 43),
  };
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
