import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import YAML from 'yaml';
import type { KubeObject } from '../../core/kube-object';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { parseAccounts, type ArgoCdAccount } from './argocd-accounts';
import { RbacEnforcer } from './rbac-enforcer';
import { parsePolicy, PolicyError } from './rbac-policy';

export const ARGOCD_CM = 'argocd-cm';
export const ARGOCD_SECRET = 'argocd-secret';
export const ARGOCD_RBAC_CM = 'argocd-rbac-cm';

/**
 * Argo CD's settings as its server reads them from its namespace: accounts from `argocd-cm` and
 * `argocd-secret`, the token signing key `server.secretkey`, and the RBAC policy of
 * `argocd-rbac-cm` (`policy.csv` plus any `policy.<name>.csv`, `policy.default`, `scopes`,
 * `policy.matchMode`). Everything is read from the sandbox's Kubernetes store on use, so a test or
 * a platform team changes Argo CD by changing those objects; derived values are cached per
 * object version.
 */
export class ArgoCdSettings {
  private enforcerCache: { version: string; value: RbacEnforcer | PolicyError } | undefined;

  constructor(private readonly ctx: SandboxContext) {}

  account(name: string): ArgoCdAccount | undefined {
    return this.accounts().get(name);
  }

  accounts(): Map<string, ArgoCdAccount> {
    return parseAccounts(this.data(ARGOCD_CM, Kinds.ConfigMap), this.data(ARGOCD_SECRET, Kinds.Secret));
  }

  /** `server.secretkey`, the HS256 key of every token the server signs. */
  signingKey(): Uint8Array {
    const key = this.data(ARGOCD_SECRET, Kinds.Secret)['server.secretkey'];
    if (key === undefined || key === '') {
      throw new GrpcError(GrpcCode.Internal, 'server.secretkey is missing');
    }
    return new Uint8Array(Buffer.from(key));
  }

  /** The enforcer of the current RBAC ConfigMap (a policy that does not load fails every check). */
  rbac(): RbacEnforcer {
    const cm = this.object(ARGOCD_RBAC_CM, Kinds.ConfigMap);
    const version = cm?.metadata.resourceVersion ?? '';
    if (this.enforcerCache?.version !== version || this.enforcerCache === undefined) {
      this.enforcerCache = { version, value: buildEnforcer(decodeData(cm?.data, false)) };
    }
    const { value } = this.enforcerCache;
    if (value instanceof PolicyError) {
      throw new GrpcError(
        GrpcCode.Internal,
        `error creating casbin enforcer: error loading policy line: ${value.message}`,
      );
    }
    return value;
  }

  private object(name: string, kind: ResourceKind): KubeObject | undefined {
    return this.ctx.store.get(kind, this.ctx.config.argocdNamespace, name);
  }

  private data(name: string, kind: ResourceKind): Record<string, string> {
    const object = this.object(name, kind);
    if (object === undefined) {
      const resource = kind === Kinds.Secret ? 'secrets' : 'configmaps';
      throw new GrpcError(GrpcCode.Unknown, `${resource} "${name}" not found`);
    }
    return kind === Kinds.Secret
      ? { ...decodeData(object.data, true), ...decodeData(object.stringData, false) }
      : decodeData(object.data, false);
  }
}

function buildEnforcer(data: Record<string, string>): RbacEnforcer | PolicyError {
  // `policy.csv` first, then every `policy.<overlay>.csv` in key order (rbac.PolicyCSV).
  const overlays = Object.keys(data)
    .filter((k) => k.startsWith('policy.') && k.endsWith('.csv') && k !== 'policy.csv')
    .sort()
    .map((k) => data[k] ?? '');
  try {
    return new RbacEnforcer({
      policy: parsePolicy([data['policy.csv'] ?? '', ...overlays].join('\n')),
      defaultRole: data['policy.default'] ?? '',
      scopes: scopesOf(data.scopes),
      matchMode: data['policy.matchMode'] === 'regex' ? 'regex' : 'glob',
    });
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
}

/** `scopes: '[groups, email]'` (YAML); unset means `[groups]`. */
function scopesOf(text: string | undefined): string[] {
  if (text === undefined || text === '') return ['groups'];
  try {
    const parsed = YAML.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : ['groups'];
  } catch {
    return ['groups'];
  }
}

/**
 * What Argo CD's install manifests and its server's first start leave in its namespace: empty
 * `argocd-cm` and `argocd-rbac-cm`, and `argocd-secret` with a random `server.secretkey` and the
 * admin password (the sandbox's configured one, where a real install generates one into
 * `argocd-initial-admin-secret`). Objects that exist are left alone.
 */
export function ensureArgoCdSettings(ctx: SandboxContext): void {
  const namespace = ctx.config.argocdNamespace;
  const labels = { 'app.kubernetes.io/part-of': 'argocd' };
  for (const name of [ARGOCD_CM, ARGOCD_RBAC_CM]) {
    if (ctx.store.get(Kinds.ConfigMap, namespace, name) === undefined) {
      ctx.store.create(Kinds.ConfigMap, {
        metadata: { name, namespace, labels: { ...labels, 'app.kubernetes.io/name': name } },
      });
    }
  }
  if (ctx.store.get(Kinds.Secret, namespace, ARGOCD_SECRET) === undefined) {
    ctx.store.create(Kinds.Secret, {
      metadata: {
        name: ARGOCD_SECRET,
        namespace,
        labels: { ...labels, 'app.kubernetes.io/name': ARGOCD_SECRET },
      },
      type: 'Opaque',
      data: base64Values({
        'server.secretkey': randomBytes(32).toString('base64'),
        'admin.password': bcryptHash(ctx.config.argocdPassword),
        'admin.passwordMtime': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }),
    });
  }
}

export function base64Values(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
}

const hashes = new Map<string, string>();

/**
 * `argocd account bcrypt`: a bcrypt hash of cost 10 with Go's `$2a$` prefix. Hashing costs ~80 ms,
 * so hashes are reused within the process (sandboxes started by one test file share passwords).
 */
export function bcryptHash(password: string): string {
  let hash = hashes.get(password);
  if (hash === undefined) {
    hash = bcrypt.hashSync(password, 10).replace(/^\$2b\$/, '$2a$');
    hashes.set(password, hash);
  }
  return hash;
}

/** Values of a Secret's `data` (base64) or a ConfigMap's `data` / a Secret's `stringData` (plain). */
function decodeData(data: unknown, base64: boolean): Record<string, string> {
  if (typeof data !== 'object' || data === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = base64 ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  return out;
}
