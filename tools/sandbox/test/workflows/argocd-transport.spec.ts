import { argocdOpts } from '../../src/argo-workflows/executors/argocd-options';
import {
  grpcWebError,
  nativeGrpcError,
  testTls,
  type Connection,
  type ServerEndpoint,
} from '../../src/argo-workflows/executors/argocd-transport';
import { CliUsageError } from '../../src/argo-workflows/executors/cli-flags';

const GET = '/application.ApplicationService/Get';
const connection = (overrides: Partial<Connection>): Connection => ({
  server: 'argocd-server.argocd.svc',
  plainText: false,
  insecure: false,
  grpcWeb: true,
  grpcWebRootPath: '',
  ...overrides,
});
const plain: ServerEndpoint = { tls: false, certificateTrusted: false };
const selfSigned: ServerEndpoint = { tls: true, certificateTrusted: false };
const trusted: ServerEndpoint = { tls: true, certificateTrusted: true };

describe('argocd CLI connections', () => {
  it('tests TLS as login does: the certificate error of a CA the pod does not trust', () => {
    expect(testTls(plain)).toEqual({ tls: false });
    expect(testTls(trusted)).toEqual({ tls: true });
    expect(testTls(selfSigned)).toEqual({
      tls: true,
      insecureErr:
        'error creating connection: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    });
  });

  it.each([
    [
      plain,
      {},
      'Post "https://argocd-server.argocd.svc/application.ApplicationService/Get": http: server gave HTTP response to HTTPS client',
    ],
    [plain, { plainText: true }, undefined],
    [
      selfSigned,
      {},
      'Post "https://argocd-server.argocd.svc/application.ApplicationService/Get": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
    [selfSigned, { insecure: true }, undefined],
    [
      selfSigned,
      { plainText: true },
      'POST http://argocd-server.argocd.svc/application.ApplicationService/Get failed with status code 400',
    ],
    [trusted, {}, undefined],
  ] as Array<[ServerEndpoint, Partial<Connection>, string | undefined]>)(
    'gRPC-web to %j with %j',
    (endpoint, overrides, desc) => {
      const failure = grpcWebError(endpoint, connection(overrides), GET);
      if (desc === undefined) expect(failure).toBeUndefined();
      else if (desc.startsWith('POST')) expect(failure).toBe(`rpc error: code = Unknown desc = ${desc}`);
      else expect(failure).toBe(`rpc error: code = Unknown desc = ${desc}`);
    },
  );

  it('never gets native gRPC through an HTTP/1 server', () => {
    expect(nativeGrpcError(selfSigned, connection({ grpcWeb: false }))).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    );
    expect(nativeGrpcError(plain, connection({ grpcWeb: false, plainText: true }))).toMatch(
      /^rpc error: code = Unavailable/,
    );
  });

  it('reads ARGOCD_OPTS as the CLI does', () => {
    expect([...argocdOpts('--grpc-web --plaintext')]).toEqual([
      ['grpc-web', 'true'],
      ['plaintext', 'true'],
    ]);
    expect(argocdOpts(`--server 'a b' --insecure --logformat=text`).get('server')).toBe('a b');
    expect(argocdOpts('--logformat=text').get('logformat')).toBe('text');
    expect(() => argocdOpts('plaintext')).toThrow(new CliUsageError("ARGOCD_OPTS invalid at 'plaintext'"));
  });
});
