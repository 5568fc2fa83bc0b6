import type { StepRuntime } from './step-runtime';

/** How the sandbox's Argo CD server answers a connection, as a step in a pod sees it. */
export interface ServerEndpoint {
  /** The server speaks TLS. */
  tls: boolean;
  /** The step trusts the server's certificate (its CA is in the image's trust store). */
  certificateTrusted: boolean;
}

/** How the CLI connects (its `--plaintext`, `--insecure` and `--grpc-web` settings). */
export interface Connection {
  /** `host[:port]` as the script gave it. */
  server: string;
  plainText: boolean;
  insecure: boolean;
  grpcWeb: boolean;
  grpcWebRootPath: string;
}

const UNKNOWN_AUTHORITY = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';

/**
 * The sandbox Argo CD as seen from a pod: whatever host the script names resolves to it (as the
 * in-cluster Service would), TLS or not by its URL scheme, and a certificate a pod does not
 * trust: a step trusts no sandbox CA, like a pod of the stock argocd image. This is the one seam
 * for a trusted certificate (a CA a step trusts).
 */
export function sandboxArgoCdEndpoint(rt: Pick<StepRuntime, 'ctx'>): ServerEndpoint {
  return { tls: rt.ctx.urls.argocd.startsWith('https:'), certificateTrusted: false };
}

/** `grpc_util.TestTLS`: is it TLS, and the error a verifying TLS client gets. */
export function testTls(endpoint: ServerEndpoint): { tls: boolean; insecureErr?: string } {
  if (!endpoint.tls) return { tls: false };
  return endpoint.certificateTrusted
    ? { tls: true }
    : { tls: true, insecureErr: `error creating connection: ${UNKNOWN_AUTHORITY}` };
}

/**
 * The error of one call over gRPC-web (pkg/apiclient/grpcproxy.go: an HTTP/1 POST of
 * `/<service>/<method>`), or undefined when the connection works. The local proxy returns the
 * HTTP client's error, so it reaches the command as `rpc error: code = Unknown desc = ...`.
 */
export function grpcWebError(
  endpoint: ServerEndpoint,
  connection: Connection,
  method: string,
): string | undefined {
  const scheme = connection.plainText ? 'http' : 'https';
  const root = connection.grpcWebRootPath.replace(/^\/+|\/+$/g, '');
  const url = `${scheme}://${connection.server}${root === '' ? '' : `/${root}`}${method}`;
  let failure: string | undefined;
  if (connection.plainText && endpoint.tls) {
    // Go's TLS server answers plain HTTP with 400 "Client sent an HTTP request to an HTTPS server."
    return `rpc error: code = Unknown desc = POST ${url} failed with status code 400`;
  }
  if (!connection.plainText && !endpoint.tls) failure = 'http: server gave HTTP response to HTTPS client';
  else if (!connection.plainText && !connection.insecure && !endpoint.certificateTrusted)
    failure = UNKNOWN_AUTHORITY;
  return failure === undefined ? undefined : `rpc error: code = Unknown desc = Post "${url}": ${failure}`;
}

/**
 * The error of a native gRPC (HTTP/2) call. The sandbox's server speaks HTTP/1 only, like an
 * Argo CD behind a proxy without HTTP/2, so native gRPC never works; what fails first is the
 * TLS handshake when there is one to fail.
 */
export function nativeGrpcError(endpoint: ServerEndpoint, connection: Connection): string {
  const unavailable = (desc: string): string =>
    `rpc error: code = Unavailable desc = connection error: desc = "${desc}"`;
  if (!connection.plainText && !endpoint.tls) {
    return unavailable(
      'transport: authentication handshake failed: tls: first record does not look like a TLS handshake',
    );
  }
  if (!connection.plainText && !connection.insecure && !endpoint.certificateTrusted) {
    return unavailable(`transport: authentication handshake failed: ${UNKNOWN_AUTHORITY}`);
  }
  return unavailable('error reading server preface: http2: frame too large');
}

/** The gRPC method each command calls first (what a transport failure names). */
export const GRPC_METHODS = {
  version: '/version.VersionService/Version',
  session: '/session.SessionService/Create',
  get: '/application.ApplicationService/Get',
  create: '/application.ApplicationService/Create',
  sync: '/application.ApplicationService/Sync',
  delete: '/application.ApplicationService/Delete',
} as const;
