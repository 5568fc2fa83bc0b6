import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import type { ProjectRules } from '../shared/app-project';
import { DEFAULT_PROJECT, projectNameOf, serverAppProject } from '../shared/app-projects';
import type { AppDestination } from '../shared/app-types';
import type { ApplicationAccess } from './application-access';
import { formatConditions, validatePermissions, type SpecCondition } from '../shared/application-permissions';
import { DestinationError, destinationCluster } from '../shared/destination-cluster';
import { lsRemote } from '../shared/git-remote';
import type { RbacClaims } from './rbac-enforcer';
import { repoCredentialsFor, sameUrl } from '../shared/repo-credentials';

/** What the API server checks an Application it is asked to create or update against. */
export interface ValidationRequest {
  app: KubeObject;
  /** The project the server resolved: the new app's on create, the stored app's on update. */
  project: ProjectRules;
  /** `validate` of the request (default true): test that the repositories can be read. */
  validate: boolean;
  claims: RbacClaims | undefined;
  access: ApplicationAccess;
  /** How the caller wraps the errors: Create and Update word it differently. */
  wrap: 'error while validating and normalizing app' | 'error validating and normalizing app';
}

/**
 * `validateAndNormalizeApp` (argoproj/argo-cd `server/application/application.go`): a name; when
 * an app of that name exists in another project, the caller may create in the new project and
 * update in the old one; the destination names a known cluster; with `validate`, every
 * repository can be read with the credentials Argo CD has for it (repository and repo-creds
 * Secrets, see {@link repoCredentialsFor}; `util/argo/argo.go` ValidateRepo); then the project's
 * rules (`ValidatePermissions`, {@link validatePermissions}). Errors carry the caller's wrap, as
 * gRPC keeps a wrapped status's code with the whole text. The project defaults to `default`.
 */
export async function validateAndNormalize(ctx: SandboxContext, request: ValidationRequest): Promise<void> {
  const { app, validate, claims, access, wrap } = request;
  const fail = (code: GrpcCode, message: string) => new GrpcError(code, `${wrap}: ${message}`);
  const name = app.metadata.name ?? '';
  if (name === '') throw fail(GrpcCode.Unknown, 'resource name may not be empty');
  let project = request.project;
  const current = ctx.store.get(
    Kinds.Application,
    app.metadata.namespace || ctx.config.argocdNamespace,
    name,
  );
  if (current !== undefined && projectNameOf(current) !== projectNameOf(app)) {
    // Moving an app between projects: create rights in the new one, update rights in the old one.
    try {
      access.require(claims, 'applications', 'create', app);
      access.require(claims, 'applications', 'update', current);
      project = serverAppProject(ctx, app);
    } catch (error) {
      if (error instanceof GrpcError) throw fail(error.code, error.message);
      throw error;
    }
  }
  const spec = (app.spec ?? {}) as Record<string, unknown>;
  try {
    destinationCluster(ctx, spec.destination as AppDestination | undefined);
  } catch (error) {
    if (!(error instanceof DestinationError)) throw error;
    throw fail(
      GrpcCode.InvalidArgument,
      `application destination spec for ${name} is invalid: ${error.message}`,
    );
  }
  const invalid = (conditions: SpecCondition[]) =>
    fail(
      GrpcCode.InvalidArgument,
      `application spec for ${name} is invalid: ${formatConditions(conditions)}`,
    );
  if (validate) {
    const unreadable = await unreadableRepository(ctx, spec, project.name);
    if (unreadable !== undefined) throw invalid([unreadable]);
  }
  const conditions = validatePermissions(ctx, spec, project);
  if (conditions.length > 0) throw invalid(conditions);
  if (typeof spec.project !== 'string' || spec.project === '') spec.project = DEFAULT_PROJECT;
  app.spec = spec;
}

/** `validateRepo`: the first source whose repository cannot be listed, as a condition. */
async function unreadableRepository(
  ctx: SandboxContext,
  spec: Record<string, unknown>,
  project: string,
): Promise<SpecCondition | undefined> {
  const sources = Array.isArray(spec.sources)
    ? (spec.sources as Array<{ repoURL?: unknown }>)
    : [(spec.source ?? {}) as { repoURL?: unknown }];
  for (const source of sources) {
    const repoURL = typeof source.repoURL === 'string' ? source.repoURL : '';
    // An incomplete source is ValidatePermissions' to report.
    if (repoURL === '') continue;
    try {
      await lsRemote(repoURL, repoCredentialsFor(ctx, repoURL, project));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        type: 'InvalidSpecError',
        message:
          `repository not accessible: repositories not accessible: ${repositoryForLogging(ctx, repoURL)}: ` +
          `repo client error while testing repository: rpc error: code = Unknown desc = ` +
          `error testing repository connectivity: unable to ls-remote HEAD on repository: failed to list refs: ${reason}`,
      };
    }
  }
  return undefined;
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
