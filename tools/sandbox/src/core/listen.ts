import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** A server certificate and its key (PEM), for a server that speaks HTTPS. */
export interface ServerTls {
  certPem: string;
  keyPem: string;
}

/** Serves one of the sandbox's APIs, over HTTPS when given a certificate; port 0 picks a free one. */
export async function listen(
  handler: http.RequestListener,
  host: string,
  port: number,
  tls?: ServerTls,
): Promise<Listening> {
  const server =
    tls === undefined
      ? http.createServer(handler)
      : https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  // Streams stay open for minutes; the default request timeout would cut them.
  server.requestTimeout = 0;
  // Every socket, including a TLS one still in its handshake (which closeAllConnections does not
  // know yet): a client reconnecting at the moment of close would otherwise keep the server open.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  const scheme = tls === undefined ? 'http' : 'https';
  return {
    url: `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
