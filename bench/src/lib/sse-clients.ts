import http from 'node:http';
import { onRecords } from './split-stream';

/** Many SSE clients on their own sockets that record, per event, the delay since its `sentAt`. */
export class SseClients {
  readonly latenciesMs: number[] = [];
  private readonly requests: http.ClientRequest[] = [];

  open(url: string, count: number): void {
    for (let i = 0; i < count; i += 1) {
      const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        onRecords(res, '\n\n', (frame) => {
          const match = /"sentAt":(\d+)/.exec(frame);
          if (match?.[1] !== undefined) this.latenciesMs.push(Date.now() - Number(match[1]));
        });
      });
      req.on('error', () => undefined);
      this.requests.push(req);
    }
  }

  close(): void {
    for (const req of this.requests.splice(0)) req.destroy();
  }
}
