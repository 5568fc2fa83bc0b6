import http, { type IncomingHttpHeaders } from 'node:http';
import type { SandboxContext } from '../../core/sandbox-context';

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The network failed before any answer; the message is Go's net error text, as clients print it. */
export class RegistryNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryNetworkError';
  }
}

export interface RegistryRequest {
  method: string;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs?: number;
}

/**
 * One HTTP exchange of a client inside the sandbox (a build pod's kaniko, BuildKit) with a
 * registry, through the sandbox's name resolution: the sandbox registry's host name (e.g.
 * `registry.sandbox.local`) leads to its server, with that name as the Host header, so that the
 * URLs the registry hands back (Location, token realm) name the host the client asked for. Any
 * other host does not resolve: the sandbox has no internet.
 */
export async function registryExchange(
  ctx: SandboxContext,
  url: URL,
  request: RegistryRequest,
): Promise<RegistryResponse> {
  const target = resolve(ctx, url.host);
  if (target === undefined) {
    throw new RegistryNetworkError(
      `${goMethod(request.method)} "${url.toString()}": dial tcp: lookup ${url.hostname}: no such host`,
    );
  }
  return new Promise<RegistryResponse>((done, fail) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, host: url.host },
        timeout: request.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', (error) =>
          fail(new RegistryNetworkError(`${goMethod(request.method)} "${url.toString()}": ${error.message}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded')));
    req.on('error', (error: Error & { code?: string }) => {
      const why =
        error.code === 'ECONNREFUSED'
          ? `dial tcp ${target.host}: connect: connection refused`
          : error.code === 'ECONNRESET'
            ? 'read: connection reset by peer'
            : error.message;
      fail(new RegistryNetworkError(`${goMethod(request.method)} "${url.toString()}": ${why}`));
    });
    req.end(request.body);
  });
}

/** Where the sandbox's "DNS" sends a registry host, or undefined when it does not resolve. */
function resolve(ctx: SandboxContext, host: string): URL | undefined {
  if (ctx.urls.registry === '') return undefined;
  const server = new URL(ctx.urls.registry);
  return host === ctx.config.registryHost || host === server.host ? server : undefined;
}

/** Go's url.Error prints the method capitalised as a word (`Get`, `Post`, `Head`). */
function goMethod(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}
