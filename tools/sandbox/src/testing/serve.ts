import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves a request listener on a random loopback port; returns its URL and a closer. */
export async function serve(
  listener: http.RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
