import net from 'node:net';
import { firstValueFrom, take, toArray } from 'rxjs';
import type { WatchNotice } from '@platform/watch';
import { HttpTransport } from '../src/http/http-transport';
import { resilientWatch } from '../src/stream/resilient-watch';
import { snapshotWatch } from '../src/stream/snapshot-watch';

type Event = { type: string; object: { metadata: { name: string; resourceVersion: string } } };

const frame = (type: string, name: string, rv: string): string =>
  `data: {"result":{"type":"${type}","object":{"metadata":{"name":"${name}","resourceVersion":"${rv}"}}}} \n\n\n`;

/**
 * A raw TCP server that answers like grpc-gateway, writing the body one byte per packet
 * (so the client sees frames split at every byte), and records the resourceVersion asked for.
 */
/** The first `count` notices of a workflow watch against `baseUrl`, retrying fast. */
function workflowNotices(baseUrl: string, count: number): Promise<Array<WatchNotice<Event>>> {
  const http = new HttpTransport({ upstream: 'ARGO_WORKFLOWS', baseUrl });
  return firstValueFrom(
    resilientWatch<Event>({
      open: (rv, signal) =>
        http.openStream('/api/v1/workflow-events/argo', { 'listOptions.resourceVersion': rv }, signal),
      versionOf: (e) => e.object.metadata.resourceVersion,
      backoff: { initialMs: 5, maxMs: 10 },
    }).pipe(take(count), toArray()),
  );
}

async function rawServer(
  bodies: string[],
  contentType: string,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      requests.push(chunk.toString().split('\r\n')[0] ?? '');
      const body = bodies.shift() ?? '';
      socket.setNoDelay(true);
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nConnection: close\r\n\r\n`);
      const bytes = Buffer.from(body);
      let i = 0;
      const tick = (): void => {
        if (i >= bytes.length) return void socket.end();
        socket.write(bytes.subarray(i, i + 1));
        i += 1;
        setImmediate(tick);
      };
      tick();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('stream reading from a raw socket, one byte per write', () => {
  it.each([
    ['SSE', 'text/event-stream', (t: string, n: string, rv: string) => frame(t, n, rv), ':\n'],
    [
      'JSON lines',
      'application/json',
      (t: string, n: string, rv: string) =>
        `{"result":{"type":"${t}","object":{"metadata":{"name":"${n}","resourceVersion":"${rv}"}}}}\n`,
      '',
    ],
  ])(
    'reads %s frames, keepalives and the EOF error, then resumes from the last version',
    async (_mode, contentType, make, keepalive) => {
      const eof =
        '{"error":{"grpc_code":8,"http_code":429,"message":"EOF","http_status":"Too Many Requests"}}';
      const server = await rawServer(
        [
          keepalive +
            make('ADDED', 'wf-é', '10') +
            keepalive +
            make('MODIFIED', 'wf-é', '11') +
            (contentType === 'text/event-stream' ? `data: ${eof} \n\n\n` : `${eof}\n`),
          make('MODIFIED', 'wf-é', '12'),
        ],
        contentType,
      );
      const notices = await workflowNotices(server.url, 4);
      expect(
        notices.map((n: WatchNotice<Event>) =>
          n.kind === 'event' ? `${n.event.type}@${n.event.object.metadata.resourceVersion}` : n.kind,
        ),
      ).toEqual(['ADDED@10', 'MODIFIED@11', 'reconnected', 'MODIFIED@12']);
      expect(notices[0]?.kind === 'event' && notices[0].event.object.metadata.name).toBe('wf-é');
      expect(server.requests[1]).toContain('listOptions.resourceVersion=11');
      await server.close();
    },
  );
});

/**
 * With an include list in `fields=`, a server's error frame is filtered down to `data: {} `
 * (argoproj/pkg filters it like any message): a watch must take that as a failed stream.
 */
describe('an empty frame, an error that fields= trimmed away', () => {
  const empty = 'data: {} \n\n\n';

  it('ends the stream: the watch reconnects and resumes from the last version', async () => {
    const server = await rawServer(
      [frame('ADDED', 'wf', '10') + empty + frame('MODIFIED', 'wf', '99'), frame('MODIFIED', 'wf', '11')],
      'text/event-stream',
    );
    const notices = await workflowNotices(server.url, 3);
    expect(
      notices.map((n: WatchNotice<Event>) =>
        n.kind === 'event' ? `${n.event.type}@${n.event.object.metadata.resourceVersion}` : n,
      ),
    ).toEqual(['ADDED@10', { kind: 'reconnected', reason: 'empty error frame' }, 'MODIFIED@11']);
    expect(server.requests[1]).toContain('listOptions.resourceVersion=10');
    await server.close();
  });

  it('ends the stream of a snapshot watch too: it reconnects and lists again', async () => {
    const server = await rawServer([empty, ''], 'text/event-stream');
    const http = new HttpTransport({ upstream: 'ARGO_CD', baseUrl: server.url });
    let lists = 0;
    const notices = await firstValueFrom(
      snapshotWatch<Event, string>({
        open: (signal) => http.openStream('/api/v1/stream/applications', {}, signal),
        list: (onPage) => {
          onPage([`list ${(lists += 1)}`], { first: true, last: true });
          return Promise.resolve();
        },
        keyOfItem: (item) => item,
        versionOfItem: () => undefined,
        keyOfResult: (e) => e.object.metadata.name,
        versionOfResult: (e) => e.object.metadata.resourceVersion,
        backoff: { initialMs: 5, maxMs: 10 },
      }).pipe(take(2), toArray()),
    );
    expect(notices).toEqual([
      { kind: 'snapshot-page', items: ['list 1'], first: true, last: true, reason: 'initial list' },
      { kind: 'snapshot-page', items: ['list 2'], first: true, last: true, reason: 'empty error frame' },
    ]);
    await server.close();
  });
});
