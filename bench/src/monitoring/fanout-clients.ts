import http from 'node:http';
import { onRecords } from '../lib/split-stream';

/**
 * SSE clients on their own sockets. They count deliveries and, for events carrying
 * `sentAt=<ms>`, record the delay from creation in the sandbox to arrival here.
 */
export class FanoutClients {
  latenciesMs: number[] = [];
  deliveries = 0;
  snapshots = 0;
  private readonly requests: http.ClientRequest[] = [];

  /** Opens `count` clients on `url`; resolves once every one has its response headers. */
  async open(urls: string[]): Promise<void> {
    const agent = false;
    await Promise.all(
      urls.map(
        (url) =>
          new Promise<void>((resolve, reject) => {
            const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
              if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode ?? '?'}`));
              resolve();
              onRecords(res, '\n\n', (frame) => {
                const sent = /sentAt=(\d+)/.exec(frame);
                if (frame.startsWith('event: snapshot')) this.snapshots += 1;
                else if (sent?.[1] !== undefined) {
                  this.deliveries += 1;
                  this.latenciesMs.push(Date.now() - Number(sent[1]));
                }
              });
            });
            req.on('error', reject);
            this.requests.push(req);
          }),
      ),
    );
  }

  resetCounts(): void {
    this.latenciesMs = [];
    this.deliveries = 0;
  }

  close(): void {
    for (const req of this.requests.splice(0)) req.destroy();
  }
}
