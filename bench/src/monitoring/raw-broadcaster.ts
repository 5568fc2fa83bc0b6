import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/**
 * The limit the monitoring service is measured against: a bare Node `http` SSE broadcaster with
 * the same upstream and the same clients. One Kubernetes watch of all Events; each event is
 * framed once and written to the clients of its app (`GET /apps/<app>/events`). No auth, no
 * resume, no buffering policy, no framework.
 */
function main(): void {
  const kube = process.argv[2] ?? '';
  const token = process.argv[3] ?? '';
  // The sandbox's Kubernetes API serves HTTPS signed by its CA (argv[4], its file).
  const ca = fs.readFileSync(process.argv[4] ?? '');
  const clients = new Map<string, Set<http.ServerResponse>>();

  const server = http.createServer((req, res) => {
    const match = /^\/apps\/([^/]+)\/events/.exec(req.url ?? '');
    if (match?.[1] === undefined) {
      res.writeHead(404).end();
      return;
    }
    const app = match[1];
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    let set = clients.get(app);
    if (set === undefined) clients.set(app, (set = new Set()));
    set.add(res);
    res.on('close', () => set.delete(res));
  });

  let resourceVersion = '0';
  const watch = (): void => {
    const req = https.get(
      `${kube}/api/v1/events?watch=1&resourceVersion=${resourceVersion}`,
      { ca, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline !== -1) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            const parsed = JSON.parse(line) as {
              type: string;
              object: {
                metadata?: { resourceVersion?: string };
                involvedObject?: { name?: string };
                message?: string;
              };
            };
            resourceVersion = parsed.object.metadata?.resourceVersion ?? resourceVersion;
            if (parsed.type !== 'ADDED' && parsed.type !== 'MODIFIED') continue;
            const name = parsed.object.involvedObject?.name ?? '';
            const app = name.slice(0, name.lastIndexOf('-'));
            const set = clients.get(app);
            if (set === undefined || set.size === 0) continue;
            const frame = `event: event\ndata: ${JSON.stringify({ message: parsed.object.message })}\n\n`;
            for (const client of set) client.write(frame);
          }
        });
        res.on('end', () => setTimeout(watch, 100));
      },
    );
    req.on('error', () => setTimeout(watch, 100));
  };
  watch();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
}

main();
