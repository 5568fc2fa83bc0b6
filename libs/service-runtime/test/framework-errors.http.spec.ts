import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import net from 'node:net';
import { LogCapture } from '../src/testing/log-capture';
import { listenOnRandomPort } from '../src/testing/listen';
import { signTestToken } from '../src/testing/test-token';
import { createWidgetsApp } from './fixture/widgets-app';

/** Sends bytes as they are (fetch refuses to send malformed requests) and reads until the server closes or answers. */
function rawExchange(port: number, request: string): Promise<{ status: number; body: string; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request, 'latin1'));
    let data = '';
    const done = (): void => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body, raw: data });
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      const [, body] = data.split('\r\n\r\n');
      if (length !== undefined && body !== undefined && Buffer.byteLength(body) >= Number(length)) done();
    });
    socket.on('close', done);
    socket.on('error', reject);
  });
}

describe('answers Fastify and Node refuse themselves', () => {
  let app: NestFastifyApplication;
  let port: number;
  let token: string;

  beforeAll(async () => {
    app = await createWidgetsApp(new LogCapture());
    port = Number(new URL(await listenOnRandomPort(app)).port);
    token = await signTestToken();
  });
  afterAll(() => app.close());

  const get = (target: string, headers = ''): string =>
    `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n${headers}\r\n`;

  it.each(['%zz', '%c0%af', 'a%'])(
    'answers a path with broken percent-encoding (%s) 400 BAD_URL in the envelope',
    async (segment) => {
      const res = await rawExchange(port, get(`/widgets/v1/widgets/named/${segment}?access_token=${token}`));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'BAD_URL', message: expect.stringContaining('percent-encoding') },
      });
      expect(res.raw).not.toContain(token.slice(-20));
    },
  );

  it('answers a path parameter longer than the router takes 414 in the envelope', async () => {
    const res = await rawExchange(port, get(`/widgets/v1/widgets/named/${'a'.repeat(200)}`));
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'URI_TOO_LONG' } });
  });

  it('answers bytes that are not HTTP/1.1 400 MALFORMED_REQUEST in the envelope, echoing nothing', async () => {
    for (const request of [
      `FOO /widgets/v1/widgets/me HTTP/1.1\r\nHost: x\r\n\r\n`,
      get('/widgets/v1/widgets/me', `X-Bad: a\u0001b\r\n`),
      get('/widgets/v1/widgets/me', `X-Bad: ${token}\nb\r\n`),
    ]) {
      const res = await rawExchange(port, request);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        error: { code: 'MALFORMED_REQUEST', details: { parserError: expect.stringMatching(/^HPE_/) } },
      });
      expect(res.raw).not.toContain(token.slice(-20));
    }
  });

  it('answers headers over the size limit 431 in the envelope', async () => {
    const res = await rawExchange(port, get('/widgets/v1/widgets/me', `X-Big: ${'a'.repeat(20_000)}\r\n`));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE' } });
  });
});
