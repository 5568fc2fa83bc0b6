import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';

/** The login Argo CD reads a repository with. */
export interface RepoCredentials {
  username: string;
  password: string;
}

const SECRET_TYPE = 'argocd.argoproj.io/secret-type';

/**
 * The credentials Argo CD uses for a repository URL (argoproj/argo-cd `util/db/repository.go`
 * GetRepository + enrichCredsToRepo, `util/db/repository_secrets.go`): a Secret in the Argo CD
 * namespace labelled `argocd.argoproj.io/secret-type: repository` whose `url` is the same
 * repository (`git.SameURL`: lower-cased, `.git` dropped) and whose `project` is the app's project
 * or empty; when that Secret has no credentials of its own (or there is none), the
 * `repo-creds` Secret with the LONGEST `url` that prefixes the normalized repository URL. Nothing
 * else: without such a Secret a private repository cannot be read.
 */
export function repoCredentialsFor(
  ctx: SandboxContext,
  repoURL: string,
  project = '',
): RepoCredentials | undefined {
  const secrets = ctx.store.list(Kinds.Secret, { namespace: ctx.config.argocdNamespace }).items;
  const typed = (type: string) => secrets.filter((s) => s.metadata.labels?.[SECRET_TYPE] === type);
  const repositories = typed('repository').filter((s) => sameUrl(field(s, 'url'), repoURL));
  const repository =
    repositories.find((s) => field(s, 'project') === project) ??
    repositories.find((s) => field(s, 'project') === '');
  const own = repository === undefined ? undefined : credentialsOf(repository);
  if (own !== undefined) return own;
  const wanted = normalizeGitUrl(repoURL);
  let best: { length: number; secret: KubeObject } | undefined;
  for (const secret of typed('repo-creds')) {
    const prefix = normalizeGitUrl(field(secret, 'url'));
    if (prefix !== '' && wanted.startsWith(prefix) && prefix.length > (best?.length ?? 0)) {
      best = { length: prefix.length, secret };
    }
  }
  return best === undefined ? undefined : credentialsOf(best.secret);
}

/**
 * `git.NormalizeGitURL`: trimmed, lower-cased, without a trailing `.git`; an scp-like SSH URL
 * (`git@host:org/repo`) as `git@host/org/repo`, an `ssh://` one without its scheme.
 */
export function normalizeGitUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  const ssh = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/.test(repo);
  if (ssh && !repo.startsWith('ssh://')) repo = `ssh://${repo.replace(':', '/')}`;
  if (repo.endsWith('.git')) repo = repo.slice(0, -'.git'.length);
  return repo.startsWith('ssh://') ? repo.slice('ssh://'.length) : repo;
}

export function sameUrl(left: string, right: string): boolean {
  const a = normalizeGitUrl(left);
  return a !== '' && a === normalizeGitUrl(right);
}

function credentialsOf(secret: KubeObject): RepoCredentials | undefined {
  const username = field(secret, 'username');
  const password = field(secret, 'password');
  return username === '' && password === '' ? undefined : { username, password };
}

/** A Secret's value: `data` is base64; `stringData` as written (the sandbox keeps it). */
function field(secret: KubeObject, key: string): string {
  const s = secret as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  const plain = s.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = s.data?.[key];
  return encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
}
