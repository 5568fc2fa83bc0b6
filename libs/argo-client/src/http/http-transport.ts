import { UpstreamFailureError, UpstreamTimeoutError, UpstreamUnavailableError } from '@platform/errors';
import http from 'node:http';
import https from 'node:https';
import { parseErrorText, readErrorBody } from './error-body';
import type { TokenProvider } from './token-provider';
import { isRetryable, upstreamError, type UpstreamName } from './upstream-errors';

export interface TransportOptions {
  upstream: UpstreamName;
  /** e.g. https://argo-server.argo:2746 */
  baseUrl: string;
  auth?: TokenProvider;
  /**
   * CA bundle (PEM) to trust instead of the system's, and/or skip verification (development only).
   * A certificate the client cannot verify fails every call with a 502 naming the problem.
   */
  tls?: { ca?: string | Buffer; insecureSkipTlsVerify?: boolean };
  /** Per unary call, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls that failed with 502/503/504/429 or a network error. Default 2. */
  maxRetries?: number;
  /** Headers added to every call, read at call time (e.g. the current request id). */
  contextHeaders?: () => Record<string, string>;
  /**
   * Cancels a unary call or an exchange(), read at call time: the signal of the request it is made
   * for, which aborts when that request runs out of time or its client leaves. No retry follows an
   * abort.
   */
  contextSignal?: () => AbortSignal | undefined;
  /** Told about every unary call once it ended, retries included (metrics, Server-Timing). */
  onCall?: (call: UpstreamCall) => void;
}

/** One unary call as the transport's observer sees it. */
export interface UpstreamCall {
  upstream: UpstreamName;
  method: string;
  /**
   * `ok`, `cancelled` (its request's signal aborted), or the platform error kind it failed with
   * (e.g. `upstream-unavailable`, `not-found`).
   */
  outcome: string;
  seconds: number;
}

export type Query = Record<string, string | number | boolean | undefined | string[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Safe to repeat: GET, PUT and DELETE are unless said otherwise. */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Overrides the transport's retries for this call (a health probe wants one honest answer). */
  maxRetries?: number;
  /** `text` for endpoints that answer plain text (health checks); JSON otherwise. */
  responseType?: 'json' | 'text';
}

/** A response as it came, whatever its status (for protocols that answer with headers, e.g. HEAD). */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ExchangeOptions {
  query?: Query;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxRetries?: number;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/** Node's codes for a server certificate that fails verification (OpenSSL's, and the host check). */
const TLS_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * HTTP to one upstream: keep-alive agents, bearer auth, timeouts on every unary call, bounded
 * jittered retries only for idempotent calls, and every failure as a named platform error.
 */
export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly options: TransportOptions) {
    this.base = new URL(options.baseUrl);
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: options.tls?.ca,
            rejectUnauthorized: options.tls?.insecureSkipTlsVerify !== true,
          })
        : new http.Agent({ keepAlive: true });
  }

  get upstream(): UpstreamName {
    return this.options.upstream;
  }

  /** Forgets the current credentials (a session the server no longer accepts) so the next call renews them. */
  invalidateAuth(): void {
    this.options.auth?.invalidate?.();
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const observer = this.options.onCall;
    const signal = this.options.contextSignal?.();
    if (observer === undefined) return this.attempts<T>(method, path, options, signal);
    const started = process.hrtime.bigint();
    const report = (outcome: string): void =>
      observer({
        upstream: this.upstream,
        method,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    try {
      const result = await this.attempts<T>(method, path, options, signal);
      report('ok');
      return result;
    } catch (error) {
      // Cancelled by its request (out of time, client gone) is no fault of the upstream's.
      report(signal?.aborted === true ? 'cancelled' : ((error as { kind?: string }).kind ?? 'error'));
      throw error;
    }
  }

  private async attempts<T>(
    method: string,
    path: string,
    options: RequestOptions,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const idempotent = options.idempotent ?? method !== 'POST';
    const maxRetries = idempotent ? (options.maxRetries ?? this.options.maxRetries ?? 2) : 0;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      try {
        return await this.once<T>(method, path, options, signal);
      } catch (error) {
        if (isUnauthorized(error) && !reauthenticated && this.options.auth?.invalidate) {
          this.options.auth.invalidate();
          reauthenticated = true;
          continue;
        }
        if (attempt >= maxRetries || !isRetryable(error)) throw error;
        await sleep(backoffMs(attempt));
      }
    }
  }

  /**
   * One call whose answer the caller reads itself (status, headers, body), without this
   * transport's auth: protocols with their own challenge flow (a registry's token auth) use it.
   * Network failures and timeouts throw named errors; an idempotent call is retried on them and
   * on 429/502/503/504, whose last answer is then returned. Like a unary call, it is cancelled by
   * its request's context signal, and no retry follows.
   */
  async exchange(method: string, path: string, options: ExchangeOptions = {}): Promise<RawResponse> {
    const started = process.hrtime.bigint();
    const signal = this.options.contextSignal?.();
    const maxRetries = method === 'POST' ? 0 : (options.maxRetries ?? this.options.maxRetries ?? 2);
    let outcome = 'error';
    try {
      for (let attempt = 0; ; attempt += 1) {
        signal?.throwIfAborted();
        let res: RawResponse;
        try {
          res = await this.send(method, path, {
            ...options,
            headers: { ...this.options.contextHeaders?.(), ...options.headers },
            signal,
          });
        } catch (error) {
          if (attempt >= maxRetries || !isRetryable(error)) throw error;
          await sleep(backoffMs(attempt));
          continue;
        }
        if (attempt < maxRetries && RETRYABLE_STATUSES.has(res.status)) {
          await sleep(backoffMs(attempt));
          continue;
        }
        outcome = res.status < 400 ? 'ok' : upstreamError(this.upstream, res.status, undefined, '').kind;
        return res;
      }
    } catch (error) {
      // Cancelled by its request (out of time, client gone) is no fault of the upstream's.
      outcome = signal?.aborted === true ? 'cancelled' : ((error as { kind?: string }).kind ?? 'error');
      throw error;
    } finally {
      this.options.onCall?.({
        upstream: this.upstream,
        method,
        outcome,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    }
  }

  /** One request with exactly `options.headers`; any status resolves, network trouble rejects named. */
  private send(
    method: string,
    path: string,
    options: ExchangeOptions & { signal?: AbortSignal },
    payload?: string,
  ): Promise<RawResponse> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = this.client().request(this.url(path, options.query), {
        method,
        headers: options.headers,
        agent: this.agent,
        signal: options.signal,
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(
          new UpstreamTimeoutError(
            `${this.upstream}_TIMEOUT`,
            `${method} ${path} took longer than ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(this.networkError(error));
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(this.networkError(error));
      });
      req.end(payload);
    });
  }

  /**
   * Opens a streaming GET and resolves when the response headers arrive (grpc-gateway sends them
   * with the first event or keepalive). A non-200 answer is read and thrown as a named error.
   */
  async openStream(
    path: string,
    query: Query,
    signal: AbortSignal,
    accept = 'text/event-stream',
  ): Promise<http.IncomingMessage> {
    const headers = await this.headers({ accept });
    return new Promise((resolve, reject) => {
      const req = this.client().request(this.url(path, query), {
        method: 'GET',
        headers,
        agent: this.agent,
        signal,
      });
      req.on('response', (res) => {
        if (res.statusCode === 200) {
          resolve(res);
          return;
        }
        readErrorBody(res).then(
          (body) =>
            reject(
              upstreamError(
                this.upstream,
                res.statusCode,
                body.grpcCode,
                body.message,
                retryAfter(res.headers),
              ),
            ),
          reject,
        );
      });
      req.on('error', (error) => reject(this.networkError(error)));
      req.end();
    });
  }

  private async once<T>(
    method: string,
    path: string,
    options: RequestOptions,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    // Argo CD answers 415 to any non-GET without a JSON content type, even with no body.
    const headers = await this.headers({
      accept: 'application/json',
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...(payload === undefined ? {} : { 'content-length': String(Buffer.byteLength(payload)) }),
    });
    const res = await this.send(
      method,
      path,
      { query: options.query, headers, timeoutMs: options.timeoutMs, signal },
      payload,
    );
    if (res.status >= 200 && res.status < 300) {
      if (options.responseType === 'text') return res.body as T;
      return (res.body.trim() === '' ? undefined : JSON.parse(res.body)) as T;
    }
    const body = parseErrorText(res.body);
    throw upstreamError(this.upstream, res.status, body.grpcCode, body.message, retryAfter(res.headers));
  }

  private async headers(base: Record<string, string>): Promise<Record<string, string>> {
    const auth = this.options.auth;
    const token = await auth?.token();
    const credential =
      token === undefined
        ? {}
        : auth?.header !== undefined
          ? { [auth.header.toLowerCase()]: token }
          : { authorization: `${auth?.scheme ?? 'Bearer'} ${token}` };
    return { ...this.options.contextHeaders?.(), ...base, ...credential };
  }

  private url(path: string, query: Query | undefined): URL {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url;
  }

  private client(): typeof http | typeof https {
    return this.base.protocol === 'https:' ? https : http;
  }

  private networkError(error: Error & { code?: string }): Error {
    if (error.name === 'AbortError') return error;
    if (error.code !== undefined && TLS_ERRORS.has(error.code)) {
      // Not transient: retrying cannot fix a certificate the client does not trust.
      return new UpstreamFailureError(
        `${this.upstream}_TLS`,
        `${this.upstream.toLowerCase().replace('_', ' ')} at ${this.base.origin} presented a certificate that cannot be verified: ${error.message} (${error.code})`,
        { upstream: this.upstream, tlsError: error.code },
        { cause: error },
      );
    }
    if (error.code !== undefined && NETWORK_ERRORS.has(error.code)) {
      return new UpstreamUnavailableError(
        `${this.upstream}_UNAVAILABLE`,
        `${this.upstream.toLowerCase().replace('_', ' ')} is unreachable at ${this.base.origin}: ${error.code}`,
        2,
        { upstream: this.upstream },
        { cause: error },
      );
    }
    return error;
  }
}

function retryAfter(headers: http.IncomingHttpHeaders): number | undefined {
  const value = Number(headers['retry-after']);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function isUnauthorized(error: unknown): boolean {
  return (error as { kind?: string }).kind === 'unauthorized';
}

function backoffMs(attempt: number): number {
  const base = 100 * 2 ** attempt;
  return base / 2 + Math.random() * base;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
