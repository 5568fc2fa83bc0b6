import type { KubeObject } from '../core/kube-object';
import type { SandboxContext } from '../core/sandbox-context';
import { GrpcCode, GrpcError } from '../grpc-gateway';
import { lsRemote, type RemoteCredentials } from './git-remote';

interface SourceLike {
  repoURL?: unknown;
  path?: unknown;
  chart?: unknown;
  ref?: unknown;
}

/**
 * `validateAndNormalizeApp`: the project defaults to `default`; with `validate` the source must be
 * complete and its repository reachable (the sandbox asks its git server with `git ls-remote`),
 * else InvalidArgument `application spec for <name> is invalid: InvalidSpecError: ...`.
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
      await lsRemote(repoURL, gitCredentials(ctx));
    } catch (error) {
      throw invalidSpec(
        name,
        `repository not accessible: ${error instanceof Error ? error.message : String(error)}`,
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

/** Credentials for the sandbox's own git server, when it has some. */
export function gitCredentials(ctx: SandboxContext): RemoteCredentials {
  return {
    username: ctx.config.gitUsername,
    password: ctx.config.gitPassword,
    origin: ctx.urls.git || undefined,
  };
}

function invalidSpec(name: string, message: string): GrpcError {
  // Create wraps the status error; gRPC keeps its code and reports the whole text.
  return new GrpcError(
    GrpcCode.InvalidArgument,
    `error while validating and normalizing app: application spec for ${name} is invalid: InvalidSpecError: ${message}`,
  );
}
