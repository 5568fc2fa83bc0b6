import { DockerConfigError } from '../../registry/client/docker-config';
import { RegistryNetworkError } from '../../registry/client/registry-connection';
import { RegistryPusher, STATUS_TEXT, TransportError } from '../../registry/client/registry-pusher';
import type { CommandIo } from './command-io';
import { builderCredential } from './registry-credentials';
import type { StepRuntime } from './step-runtime';

/** `registry/team/app` split into the registry host and the repository name inside it. */
export interface PushTarget {
  /** `registry/team/app` */
  repository: string;
  tag: string;
}

export type PushFailure = TransportError | RegistryNetworkError | DockerConfigError;

export type PushOutcome =
  { ok: true } | { ok: false; stage: 'auth' | 'transport' | 'push'; message: string; error: PushFailure };

/**
 * Opens an authenticated session to the target's registry with the pod's docker config and runs
 * `work` in it. Failures come back with the registry client's own wording: a config that cannot
 * be loaded, a token request refused, a network error, or the registry's error response.
 */
export async function withPusher(
  rt: StepRuntime,
  io: CommandIo,
  configDir: string,
  target: PushTarget,
  work: (pusher: RegistryPusher) => Promise<void>,
): Promise<PushOutcome> {
  const slash = target.repository.indexOf('/');
  const host = target.repository.slice(0, slash);
  const name = target.repository.slice(slash + 1);
  let pusher: RegistryPusher;
  try {
    const credential = builderCredential(io, configDir, target.repository);
    pusher = await RegistryPusher.open(rt.ctx, host, name, credential);
  } catch (error) {
    if (error instanceof DockerConfigError) {
      return {
        ok: false,
        stage: 'auth',
        message: `resolving authorization for ${target.repository} failed: ${error.message}`,
        error,
      };
    }
    if (error instanceof TransportError || error instanceof RegistryNetworkError) {
      return { ok: false, stage: 'transport', message: error.message, error };
    }
    throw error;
  }
  try {
    await work(pusher);
    return { ok: true };
  } catch (error) {
    if (error instanceof TransportError || error instanceof RegistryNetworkError) {
      return { ok: false, stage: 'push', message: error.message, error };
    }
    throw error;
  }
}

/**
 * The same failure as containerd's pusher (BuildKit's) words it: `unexpected status from <METHOD>
 * request to <url>: <status> <text>`, behind `failed to authorize: ...` when the token request
 * was refused.
 */
export function containerdWording(outcome: Extract<PushOutcome, { ok: false }>, anonymous: boolean): string {
  const { error } = outcome;
  if (!(error instanceof TransportError)) return error.message;
  const status =
    `unexpected status from ${error.method} request to ${error.url}: ${error.status} ${STATUS_TEXT[error.status] ?? ''}`.trimEnd();
  if (outcome.stage !== 'transport') return status;
  return `failed to authorize: failed to fetch ${anonymous ? 'anonymous' : 'oauth'} token: ${status}`;
}
