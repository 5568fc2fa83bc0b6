import { UnauthorizedError, UpstreamFailureError } from '@platform/errors';
import type { ProbeOptions } from '../health/upstream-probe';
import type { HttpTransport, RawResponse } from '../http/http-transport';
import { upstreamError } from '../http/upstream-errors';
import { ImageRegistry, type ManifestDescriptor } from './image-registry';
import { parseChallenge } from './registry-challenge';
import type { RegistryTokenAuth } from './registry-token-auth';

/** Every manifest type a registry may hold an image as (distribution refuses OCI ones otherwise). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * {@link ImageRegistry} over HTTP: each call goes out as the last successful authorization of its
 * scope; on a 401 the registry's challenge is answered (a Bearer challenge with a token from its
 * token service, a Basic one — Harbor's answer to a token that is not enough — with the
 * credentials) and the call is sent once more. A second 401 is the registry refusing these
 * credentials.
 */
export class HttpImageRegistry extends ImageRegistry {
  private readonly authorizations = new Map<string, string>();

  constructor(
    private readonly http: HttpTransport,
    private readonly auth: RegistryTokenAuth,
    private readonly username: string | undefined,
  ) {
    super();
  }

  async ping(options: ProbeOptions = {}): Promise<void> {
    const res = await this.authenticated('GET', '/v2/', undefined, {
      timeoutMs: options.timeoutMs,
      maxRetries: 0,
    });
    if (res.status !== 200) throw this.failure(res, 'GET /v2/', undefined);
  }

  async manifest(repository: string, reference: string): Promise<ManifestDescriptor | undefined> {
    // Tags and digests are path-safe as they are (`[\w.-]`, `sha256:<hex>`), as clients send them.
    const path = `/v2/${repository}/manifests/${reference}`;
    const scope = `repository:${repository}:pull`;
    const res = await this.authenticated('HEAD', path, scope, { headers: { accept: MANIFEST_TYPES } });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.failure(res, `HEAD ${path}`, scope);
    const digest = header(res, 'docker-content-digest');
    if (digest === undefined) {
      throw new UpstreamFailureError(
        'REGISTRY_FAILURE',
        `HEAD ${path} answered 200 without a Docker-Content-Digest`,
        {
          upstream: 'REGISTRY',
        },
      );
    }
    return { digest, mediaType: header(res, 'content-type') ?? '' };
  }

  private async authenticated(
    method: string,
    path: string,
    scope: string | undefined,
    options: { headers?: Record<string, string>; timeoutMs?: number; maxRetries?: number },
  ): Promise<RawResponse> {
    const key = scope ?? '';
    const send = (authorization: string | undefined): Promise<RawResponse> =>
      this.http.exchange(method, path, {
        ...options,
        headers: { ...options.headers, ...(authorization === undefined ? {} : { authorization }) },
      });
    const first = await send(this.authorizations.get(key));
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers['www-authenticate']);
    if (challenge === undefined) return first;
    if (challenge.scheme === 'bearer' && challenge.realm !== undefined) {
      this.auth.forget(challenge.realm, challenge.service, challenge.scope ?? scope);
    }
    const authorization = await this.auth.authorization(challenge, challenge.scope ?? scope);
    if (authorization === undefined) return first;
    const second = await send(authorization);
    if (second.status !== 401) this.authorizations.set(key, authorization);
    return second;
  }

  private failure(res: RawResponse, call: string, scope: string | undefined): Error {
    if (res.status === 401 || res.status === 403) {
      const who = this.username ?? 'an anonymous client';
      return new UnauthorizedError(
        'REGISTRY_UNAUTHORIZED',
        `the registry refused ${who}${scope === undefined ? '' : ` for ${scope}`} (${call}: ${res.status}${describe(res)})`,
        { upstream: 'REGISTRY', status: res.status },
      );
    }
    return upstreamError(
      'REGISTRY',
      res.status,
      undefined,
      `${call}: ${res.status}${describe(res)}`,
      retryAfter(res),
    );
  }
}

function header(res: RawResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The registry's own words, from an error body (`{"errors":[{"code","message"}]}`) when there is one. */
function describe(res: RawResponse): string {
  try {
    const errors =
      (JSON.parse(res.body) as { errors?: Array<{ code?: string; message?: string }> }).errors ?? [];
    const first = errors[0];
    return first === undefined ? '' : ` ${first.code ?? ''}: ${first.message ?? ''}`;
  } catch {
    return '';
  }
}

function retryAfter(res: RawResponse): number | undefined {
  const value = Number(header(res, 'retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
