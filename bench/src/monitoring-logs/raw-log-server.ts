import { CoreV1Api, KubeConfig, Log } from '@kubernetes/client-node';
import http from 'node:http';
import { Writable } from 'node:stream';

/**
 * The limit the monitoring service's merged logs are measured against: @kubernetes/client-node's
 * Log following each pod of the app once (timestamps on, from now), and a bare Node `http` server
 * writing each line, framed once, to every SSE viewer (`GET /logs[?container=]`). No history, no
 * resume after a drop, no auth, no framework. argv: kubeconfig path, namespace, label selector.
 */
async function main(): Promise<void> {
  const [kubeconfig = '', namespace = '', labelSelector = ''] = process.argv.slice(2);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const viewers = new Set<{ res: http.ServerResponse; container: string | null }>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/logs') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const viewer = { res, container: url.searchParams.get('container') };
    viewers.add(viewer);
    res.on('close', () => viewers.delete(viewer));
  });

  const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector })).items;
  const log = new Log(kc);
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const container = pod.spec?.containers[0]?.name ?? '';
    let buffer = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline !== -1) {
          const raw = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          const space = raw.indexOf(' ');
          const data = JSON.stringify({
            pod: name,
            container,
            time: raw.slice(0, space),
            line: raw.slice(space + 1),
          });
          const frame = `event: log\ndata: ${data}\n\n`;
          for (const viewer of viewers)
            if (viewer.container === null || viewer.container === container) viewer.res.write(frame);
        }
        done();
      },
    });
    await log.log(namespace, name, container, sink, { follow: true, timestamps: true, tailLines: 0 });
  }
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
}

void main();
