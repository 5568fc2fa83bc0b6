import { Kinds } from '../../src/core/resource-kinds';
import { workflow } from './support/factories';
import { parseRaw, RawConnection } from './support/raw-http';
import { startArgoWorkflows } from './support/servers';
import { until } from './support/until';

const SSE = { Accept: 'text/event-stream' };

describe('grpc-gateway stream framing (byte level, through the Argo Workflows watch)', () => {
  let server: Awaited<ReturnType<typeof startArgoWorkflows>>;
  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.ctx.config.argoToken}` });
  const openStreams = (): number => server.ctx.faults.openStreams('argo').length;

  afterEach(async () => {
    await server.close();
  });

  it('sends headers only with the first write, then frames `data: <json> \\n\\n\\n`', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
    const conn = await RawConnection.get(
      server.url,
      '/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name=wf-a',
      {
        ...SSE,
        ...auth(),
      },
    );
    await until(() => openStreams() === 1);
    expect(conn.received).toHaveLength(0);

    const created = server.ctx.store.create(Kinds.Workflow, workflow('wf-a'));
    const raw = await conn.waitFor((t) => parseRaw(t).chunks.length >= 1);
    const { status, headers, chunks } = parseRaw(raw);
    expect(raw.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/event-stream');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(chunks[0]).toBe(`data: ${JSON.stringify({ result: { type: 'ADDED', object: created } })} \n\n\n`);
    conn.close();
  });

  it('writes the `:\\n` keepalive in SSE mode only, with no blank line after it', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 20 });
    const path = '/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name=none';
    const json = await RawConnection.get(server.url, path, auth());
    const sse = await RawConnection.get(server.url, path, { ...SSE, ...auth() });
    const raw = await sse.waitFor((t) => parseRaw(t).chunks.length >= 3);
    const parsed = parseRaw(raw);
    expect(parsed.status).toBe(200);
    expect(parsed.headers['content-type']).toBe('text/event-stream');
    expect(parsed.chunks.slice(0, 3)).toEqual([':\n', ':\n', ':\n']);
    expect(json.received).toHaveLength(0);
    json.close();
    sse.close();
  });

  it.each([
    ['no Accept header', {}],
    ['an Accept list', { Accept: 'text/event-stream, application/json' }],
    ['another case', { Accept: 'Text/Event-Stream' }],
  ])('answers newline-delimited JSON with %s', async (_label, accept) => {
    server = await startArgoWorkflows({}, { keepaliveMs: 20 });
    const created = server.ctx.store.create(Kinds.Workflow, workflow('wf-b'));
    const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', {
      ...accept,
      ...auth(),
    });
    const raw = await conn.waitFor((t) => parseRaw(t).chunks.length >= 1);
    const { headers, chunks } = parseRaw(raw);
    expect(headers['content-type']).toBe('application/json');
    expect(chunks[0]).toBe(`${JSON.stringify({ result: { type: 'ADDED', object: created } })}\n`);
    conn.close();
  });

  describe('a stream failing before its first event', () => {
    const tooOld = async (
      query: string,
      headers: Record<string, string>,
    ): Promise<ReturnType<typeof parseRaw>> => {
      server = await startArgoWorkflows({}, { keepaliveMs: 600_000 }, 2);
      for (const name of ['a', 'b', 'c', 'd']) server.ctx.store.create(Kinds.Workflow, workflow(name));
      const conn = await RawConnection.get(
        server.url,
        `/api/v1/workflow-events/argo?listOptions.resourceVersion=1${query}`,
        {
          ...headers,
          ...auth(),
        },
      );
      const parsed = parseRaw(await conn.waitForEnd());
      conn.close();
      return parsed;
    };
    const message = (rv: string): string => `too old resource version: 1 (${rv})`;

    it('has the error’s HTTP status and an SSE error frame without the delimiter, then ends', async () => {
      const { status, headers, chunks, ended } = await tooOld('', SSE);
      expect(status).toBe(400);
      expect(headers['content-type']).toBe('text/event-stream');
      const error = {
        grpc_code: 3,
        http_code: 400,
        message: message(String(server.ctx.store.oldestResumableVersion)),
        http_status: 'Bad Request',
      };
      expect(chunks).toEqual([`data: ${JSON.stringify({ error })} \n\n`]);
      expect(ended).toBe(true);
    });

    it('is one JSON object without newline in JSON-lines mode', async () => {
      const { status, headers, chunks } = await tooOld('', {});
      expect(status).toBe(400);
      expect(headers['content-type']).toBe('application/json');
      expect(chunks).toHaveLength(1);
      expect(JSON.parse(chunks[0] ?? '')).toMatchObject({ error: { grpc_code: 3, http_code: 400 } });
      expect(chunks[0]?.endsWith('}')).toBe(true);
    });

    it('arrives as `data: {} ` when an include `fields=` list trims it away', async () => {
      const { status, chunks } = await tooOld('&fields=result.object.metadata.name', SSE);
      expect(status).toBe(400);
      expect(chunks).toEqual(['data: {} \n\n']);
    });
  });

  it('trims events with `fields=` and sorts their keys like a re-marshalled Go map', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
    server.ctx.store.create(Kinds.Workflow, workflow('wf-c'));
    const conn = await RawConnection.get(
      server.url,
      '/api/v1/workflow-events/argo?fields=result.type,result.object.metadata.name,result.object.status.phase',
      { ...SSE, ...auth() },
    );
    const { chunks } = parseRaw(await conn.waitFor((t) => parseRaw(t).chunks.length >= 1));
    expect(chunks[0]).toBe(
      'data: {"result":{"object":{"metadata":{"name":"wf-c"},"status":{"phase":"Running"}},"type":"ADDED"}} \n\n\n',
    );
    conn.close();
  });

  it('ends an idle watch with grpc_code 8 / http 429 "EOF" after its events (status already 200)', async () => {
    server = await startArgoWorkflows({ watchTimeoutMs: 50 }, { keepaliveMs: 600_000 });
    server.ctx.store.create(Kinds.Workflow, workflow('wf-d'));
    const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', { ...SSE, ...auth() });
    const { status, chunks, ended } = parseRaw(await conn.waitForEnd());
    expect(status).toBe(200);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toBe(
      'data: {"error":{"grpc_code":8,"http_code":429,"message":"EOF","http_status":"Too Many Requests"}} \n\n',
    );
    expect(ended).toBe(true);
    conn.close();
  });

  it('registers open streams with the fault injector, which can drop them', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
    const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', { ...SSE, ...auth() });
    await until(() => openStreams() === 1);
    expect(server.ctx.faults.openStreams('argo')[0]?.path).toBe('/api/v1/workflow-events/argo');
    expect(server.ctx.faults.dropStreams('argo')).toBe(1);
    await conn.waitFor(() => conn.isClosed, 'the drop').catch(() => undefined);
    expect(conn.isClosed).toBe(true);
    expect(conn.text).not.toContain('0\r\n\r\n');
    await until(() => openStreams() === 0);
  });

  it('unregisters a stream when the client leaves', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
    const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', { ...SSE, ...auth() });
    await until(() => openStreams() === 1);
    conn.close();
    await until(() => openStreams() === 0);
  });

  it('writes nothing, keepalives included, while streams are silenced', async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 10 });
    // A second, unsilenced server's keepalives serve as a clock: several intervals pass.
    const clock = await startArgoWorkflows({}, { keepaliveMs: 10 });
    server.ctx.faults.set('argo', { silentStreams: true });
    const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', { ...SSE, ...auth() });
    await until(() => openStreams() === 1);
    server.ctx.store.create(Kinds.Workflow, workflow('while-silent'));
    const ticks = await RawConnection.get(clock.url, '/api/v1/workflow-events/argo', {
      ...SSE,
      Authorization: `Bearer ${clock.ctx.config.argoToken}`,
    });
    await ticks.waitFor((t) => parseRaw(t).chunks.length >= 5);
    expect(conn.received).toHaveLength(0);

    server.ctx.faults.set('argo', {});
    server.ctx.store.create(Kinds.Workflow, workflow('after-silence'));
    const raw = await conn.waitFor((t) => t.includes('after-silence'));
    expect(raw).not.toContain('while-silent');
    ticks.close();
    conn.close();
    await clock.close();
  });
});
