import { UnauthorizedError, UpstreamFailureError } from '@platform/errors';
import { HttpTransport, type TransportOptions } from '../http/http-transport';
import { upstreamError } from '../http/upstream-errors';
import type { RegistryChallenge } from './registry-challenge';

/** A registry login: a Harbor robot (`robot$...`) and its secret, or any basic credential. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Tokens are renewed this long before the registry said they expire. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The token half of the registry auth flow (docker's token spec, Harbor's /service/token): a
 * Bearer challenge's realm is asked for a token for `scope`, with the credentials as basic
 * auth; tokens are kept per scope until shortly before `expires_in`. Concurrent callers of one
 * scope share one request.
 */
export class RegistryTokenAuth {
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  private readonly realms = new Map<string, HttpTransport>();

  constructor(
    private readonly credentials: RegistryCredentials | undefined,
    private readonly transport: Omit<TransportOptions, 'baseUrl' | 'upstream' | 'auth'>,
  ) {}

  /** The Authorization header value answering `challenge` for `scope` (undefined: go anonymous). */
  async authorization(challenge: RegistryChallenge, scope: string | undefined): Promise<string | undefined> {
    if (challenge.scheme === 'basic') return this.basic();
    if (challenge.scheme !== 'bearer' || challenge.realm === undefined) return undefined;
    return `Bearer ${await this.token(challenge.realm, challenge.service, scope)}`;
  }

  /** Forgets a token the registry refused (it may have been revoked before it expired). */
  forget(realm: string, service: string | undefined, scope: string | undefined): void {
    this.tokens.delete(this.key(realm, service, scope));
  }

  basic(): string | undefined {
    if (this.credentials === undefined) return undefined;
    const { username, password } = this.credentials;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async token(
    realm: string,
    service: string | undefined,
    scope: string | undefined,
  ): Promise<string> {
    const key = this.key(realm, service, scope);
    const cached = this.tokens.get(key);
    if (cached !== undefined) {
      const current = await cached.catch(() => undefined);
      if (current !== undefined && current.expiresAt > Date.now()) return current.token;
      // Another caller may have started the renewal while this one waited.
      const renewed = this.tokens.get(key);
      if (renewed !== undefined && renewed !== cached) return (await renewed).token;
    }
    const pending = this.fetch(realm, service, scope);
    this.tokens.set(key, pending);
    pending.catch(() => {
      if (this.tokens.get(key) === pending) this.tokens.delete(key);
    });
    return (await pending).token;
  }

  private async fetch(
    realm: string,
    service: string | undefined,
    scope: string | undefined,
  ): Promise<{ token: string; expiresAt: number }> {
    const url = new URL(realm);
    const res = await this.realmTransport(url.origin).exchange('GET', `${url.pathname}${url.search}`, {
      query: { service, scope },
      headers: {
        accept: 'application/json',
        ...(this.basic() === undefined ? {} : { authorization: this.basic() ?? '' }),
      },
    });
    if (res.status === 401 || res.status === 403) {
      throw new UnauthorizedError(
        'REGISTRY_UNAUTHORIZED',
        `the registry's token service refused the login of ${this.credentials?.username ?? 'an anonymous client'} (${res.status})`,
        { upstream: 'REGISTRY', status: res.status },
      );
    }
    if (res.status !== 200)
      throw upstreamError('REGISTRY', res.status, undefined, res.body.slice(0, 300), retryAfter(res.headers));
    let answer: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      throw new UpstreamFailureError(
        'REGISTRY_FAILURE',
        `the registry's token service answered no JSON: ${res.body.slice(0, 200)}`,
        {
          upstream: 'REGISTRY',
        },
      );
    }
    const token =
      typeof answer.access_token === 'string' && answer.access_token !== ''
        ? answer.access_token
        : answer.token;
    if (typeof token !== 'string' || token === '') {
      throw new UpstreamFailureError(
        'REGISTRY_FAILURE',
        "the registry's token service answered without a token",
        {
          upstream: 'REGISTRY',
        },
      );
    }
    // The token spec's default lifetime is 60 seconds when expires_in is absent.
    const seconds = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 60;
    return { token, expiresAt: Date.now() + seconds * 1000 - EXPIRY_MARGIN_MS };
  }

  private realmTransport(origin: string): HttpTransport {
    let transport = this.realms.get(origin);
    if (transport === undefined) {
      transport = new HttpTransport({
        ...this.transport,
        // Concurrent callers of a scope share one token request: one request being cancelled
        // must not cancel theirs (as Argo CD's session login).
        contextSignal: undefined,
        baseUrl: origin,
        upstream: 'REGISTRY',
      });
      this.realms.set(origin, transport);
    }
    return transport;
  }

  private key(realm: string, service: string | undefined, scope: string | undefined): string {
    return `${realm} ${service ?? ''} ${scope ?? ''}`;
  }
}

function retryAfter(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = Number(headers['retry-after']);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
