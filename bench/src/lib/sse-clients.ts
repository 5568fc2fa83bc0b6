import http from 'node:http';

/** Many SSE clients on their own sockets that record, per event, the delay since its `sentAt`. */
export class SseClients {
  readonly latenciesMs: number[] = [];
  private readonly requests: http.ClientRequest[] = [];

  open(url: string, count: number): void {
    for (let i = 0; i < count; i += 1) {
      const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const match = /"sentAt":(\d+)/.exec(buffer.slice(0, end));
            if (match?.[1] !== undefined) this.latenciesMs.push(Date.now() - Number(match[1]));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
          }
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
