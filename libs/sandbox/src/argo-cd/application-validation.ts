import type { KubeObject } from '../core/kube-object';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { GrpcCode, GrpcError } from '../grpc-gateway';
import { lsRemote } from './git-remote';
import { repoCredentialsFor, sameUrl } from './repo-credentials';

interface SourceLike {
  repoURL?: unknown;
  path?: unknown;
  chart?: unknown;
  ref?: unknown;
}

/**
 * `validateAndNormalizeApp`: the project defaults to `default`; with `validate` the source must be
 * complete and its repository readable with the credentials Argo CD has for it (repository and
 * repo-creds Secrets, see {@link repoCredentialsFor}), else InvalidArgument `application spec for
 * <name> is invalid: InvalidSpecError: repository not accessible: ...` with the repo-server's
 * error chain (argoproj/argo-cd `util/argo/argo.go` validateRepo and TestRepoWithKnownType,
 * `reposerver/repository/repository.go` TestRepository, `util/git/git.go` TestRepo).
 */
export async function validateAndNormalize(
  ctx: SandboxContext,
  app: KubeObject,
  validate: boolean,
): Promise<void> {
  const name = app.metadata.name ?? '';
  if (name === '') throw new GrpcError(GrpcCode.InvalidArgument, 'resource name may not be empty');
  const spec = (app.spec ?? {}) as Record<string, unknown>;
  if (typeof spec.project !== 'string' || spec.project === '') spec.project = 'default';
  app.spec = spec;
  if (!validate) return;
  const sources = Array.isArray(spec.sources)
    ? (spec.sources as SourceLike[])
    : [(spec.source ?? {}) as SourceLike];
  for (const source of sources) {
    const repoURL = typeof source.repoURL === 'string' ? source.repoURL : '';
    if (
      repoURL === '' ||
      (source.path === undefined && source.chart === undefined && source.ref === undefined)
    ) {
      throw invalidSpec(
        name,
        'spec.source.repoURL and either spec.source.path, spec.source.chart, or spec.source.ref are required',
      );
    }
    try {
      await lsRemote(repoURL, repoCredentialsFor(ctx, repoURL, spec.project as string));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalidSpec(
        name,
        `repository not accessible: repositories not accessible: ${repositoryForLogging(ctx, repoURL)}: ` +
          `repo client error while testing repository: rpc error: code = Unknown desc = ` +
          `error testing repository connectivity: unable to ls-remote HEAD on repository: failed to list refs: ${reason}`,
      );
    }
  }
  const destination = (spec.destination ?? {}) as { server?: unknown; name?: unknown };
  if (!destination.server && !destination.name) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      `application destination spec for ${name} is invalid: either destination server or name is required`,
    );
  }
}

/** `Repository.StringForLogging()` of what db.GetRepository returns for the URL. */
function repositoryForLogging(ctx: SandboxContext, repoURL: string): string {
  const secret = ctx.store
    .list(Kinds.Secret, { namespace: ctx.config.argocdNamespace })
    .items.find(
      (s) =>
        s.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository' &&
        sameUrl(decoded(s, 'url'), repoURL),
    );
  const [type, repoName, project] = ['type', 'name', 'project'].map((k) =>
    secret === undefined ? '' : decoded(secret, k),
  );
  const quote = (v: string | undefined) => JSON.stringify(v ?? '');
  return `&Repository{Repo: ${quote(repoURL)}, Type: ${quote(type)}, Name: ${quote(repoName)}, Project: ${quote(project)}}`;
}

function decoded(secret: KubeObject, key: string): string {
  const data = (secret as { data?: Record<string, string> }).data?.[key];
  return data === undefined ? '' : Buffer.from(data, 'base64').toString('utf8');
}

function invalidSpec(name: string, message: string): GrpcError {
  // Create wraps the status error; gRPC keeps its code and reports the whole text.
  return new GrpcError(
    GrpcCode.InvalidArgument,
    `error while validating and normalizing app: application spec for ${name} is invalid: InvalidSpecError: ${message}`,
  );
}
