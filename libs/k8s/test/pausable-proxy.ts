import net from 'node:net';

/**
 * A TCP proxy in front of the sandbox for one client: `pause()` stalls every byte both ways (a
 * network partition or a frozen process, as far as the server can tell), `kill()` cuts it for good.
 */
export class PausableProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private paused = false;
  private killed = false;

  private constructor(target: URL) {
    this.server = net.createServer((client) => {
      if (this.killed) {
        client.destroy();
        return;
      }
      const upstream = net.connect(Number(target.port), target.hostname);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.paused) this.pausePair(pair);
      const close = (): void => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  static async start(target: string): Promise<{ proxy: PausableProxy; url: string }> {
    const url = new URL(target);
    const proxy = new PausableProxy(url);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.server.address() as net.AddressInfo;
    // Bytes pass through untouched, TLS included: the client speaks the target's scheme.
    return { proxy, url: `${url.protocol}//127.0.0.1:${port}` };
  }

  pause(): void {
    this.paused = true;
    for (const pair of this.pairs) this.pausePair(pair);
  }

  resume(): void {
    this.paused = false;
    for (const [a, b] of this.pairs) {
      a.resume();
      b.resume();
    }
  }

  kill(): void {
    this.killed = true;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
  }

  close(): Promise<void> {
    this.kill();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private pausePair([a, b]: [net.Socket, net.Socket]): void {
    a.pause();
    b.pause();
  }
}
