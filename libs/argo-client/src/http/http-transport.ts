import { UpstreamTimeoutError, UpstreamUnavailableError } from '@platform/errors';
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
  /** CA bundle (PEM) to trust, and/or skip verification (development only). */
  tls?: { ca?: string | Buffer; insecureSkipTlsVerify?: boolean };
  /** Per unary call, including reading the body. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls that failed with 502/503/504/429 or a network error. Default 2. */
  maxRetries?: number;
  /** Headers added to every call, read at call time (e.g. the current request id). */
  contextHeaders?: () => Record<string, string>;
  /**
   * Cancels a unary call, read at call time: the signal of the request it is made for, which
   * aborts when that request runs out of time or its client leaves. No retry follows an abort.
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

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ETIMEDOUT',
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
              upstreamError(this.upstream, res.statusCode, body.grpcCode, body.message, retryAfter(res)),
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
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const req = this.client().request(this.url(path, options.query), {
        method,
        headers,
        agent: this.agent,
        signal,
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
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            if (options.responseType === 'text') resolve(text as T);
            else resolve((text.trim() === '' ? undefined : JSON.parse(text)) as T);
            return;
          }
          const body = parseErrorText(text);
          reject(upstreamError(this.upstream, status, body.grpcCode, body.message, retryAfter(res)));
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(this.networkError(error));
      });
      req.end(payload);
    });
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

function retryAfter(res: http.IncomingMessage): number | undefined {
  const value = Number(res.headers['retry-after']);
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
