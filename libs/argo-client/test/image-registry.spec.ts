import { UnauthorizedError, UpstreamTimeoutError, UpstreamUnavailableError } from '@platform/errors';
import {
  createContext,
  hasDockerRegistry,
  registryHandler,
  serve,
  startRealRegistry,
  type SandboxContext,
} from '@platform/sandbox';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpstreamCall } from '../src/http/http-transport';
import { HttpImageRegistry } from '../src/registry/http-image-registry';
import { parseChallenge } from '../src/registry/registry-challenge';
import { imageRegistry } from '../src/registry/registry-client';
import { RegistryTokenAuth, type RegistryCredentials } from '../src/registry/registry-token-auth';

const HOST = 'registry.sandbox.local';

/**
 * The registry client against the sandbox registry with Harbor's auth (token service, robots) and
 * without, and against the real distribution registry: the challenge flow, digests, 404s as
 * "not there", refused credentials, an unavailable or silent registry.
 */
describe(HttpImageRegistry.name, () => {
  let ctx: SandboxContext;
  let server: { url: string; close(): Promise<void> };
  let reader: RegistryCredentials;
  let tokenRequests = 0;
  let silent = false;

  beforeAll(async () => {
    ctx = createContext();
    const handler = registryHandler(ctx);
    server = await serve((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/service/token') === true) tokenRequests += 1;
      if (silent) return; // never answers
      handler(req, res);
    });
    ctx.urls.registry = server.url;
    ctx.registry.accounts.createProject('payments');
    const robot = ctx.registry.accounts.createRobot({
      name: 'platform-api',
      actions: ['pull'],
      namespaces: ['*'],
    });
    reader = { username: robot.name, password: robot.secret };
    ctx.registry.push(`${HOST}/payments/shop`, 'v1', 'shop v1');
  });
  afterAll(() => server.close());
  afterEach(() => {
    ctx.faults.clear();
    silent = false;
  });

  const client = (credentials?: RegistryCredentials, url = server.url) =>
    imageRegistry({ url, credentials, timeoutMs: 1000, maxRetries: 0 });

  it("answers a pushed tag's digest through Harbor's token flow, and reuses the token", async () => {
    const registry = client(reader);
    const before = tokenRequests;
    expect(await registry.manifest('payments/shop', 'v1')).toEqual({
      digest: ctx.registry.find(`${HOST}/payments/shop:v1`)?.digest,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(await registry.manifest('payments/shop', 'v1')).toBeDefined();
    expect(tokenRequests - before).toBe(1);
  });

  it('answers undefined for a tag or repository the registry does not have', async () => {
    const registry = client(reader);
    expect(await registry.manifest('payments/shop', 'never-built')).toBeUndefined();
    expect(await registry.manifest('payments/nothing', 'v1')).toBeUndefined();
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(await registry.manifest('payments/shop', digest)).toBeUndefined();
  });

  it('reports credentials the registry refuses as unauthorized, naming the upstream', async () => {
    const wrong = client({ username: reader.username, password: 'wrong' });
    const refused = wrong.manifest('payments/shop', 'v1');
    await expect(refused).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(refused).rejects.toMatchObject({
      code: 'REGISTRY_UNAUTHORIZED',
      details: { upstream: 'REGISTRY', status: 401 },
    });
    await expect(client().ping()).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    await expect(wrong.ping()).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    await expect(client(reader).ping()).resolves.toBeUndefined();
  });

  it('reports a registry answering 503 as unavailable with a retry hint, and one that is gone', async () => {
    ctx.faults.set('registry', { errorRate: 1, errorCode: 503 });
    await expect(client(reader).manifest('payments/shop', 'v1')).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      retryAfterSeconds: expect.any(Number) as number,
    });
    await expect(client(reader).ping()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    ctx.faults.clear();
    const gone = client(reader, 'http://127.0.0.1:9');
    await expect(gone.manifest('payments/shop', 'v1')).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      message: expect.stringContaining('registry is unreachable at http://127.0.0.1:9') as string,
    });
  });

  it('times out on a registry that does not answer', async () => {
    silent = true;
    await expect(client(reader).manifest('payments/shop', 'v1')).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it("ends a call its request's signal aborts at once, as cancelled and without retries", async () => {
    silent = true;
    const request = new AbortController();
    const calls: UpstreamCall[] = [];
    const registry = imageRegistry({
      url: server.url,
      credentials: reader,
      timeoutMs: 10_000,
      maxRetries: 2,
      contextSignal: () => request.signal,
      onCall: (call) => calls.push(call),
    });
    const started = Date.now();
    setTimeout(() => request.abort(), 100);
    await expect(registry.manifest('payments/shop', 'v1')).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(calls.map((call) => [call.upstream, call.method, call.outcome])).toEqual([
      ['REGISTRY', 'HEAD', 'cancelled'],
    ]);
  });

  it("fetches a token, which concurrent requests share, whatever the asking request's signal", async () => {
    const challenge = parseChallenge(
      (await fetch(`${server.url}/v2/`)).headers.get('www-authenticate') ?? '',
    );
    expect(challenge?.scheme).toBe('bearer');
    const auth = new RegistryTokenAuth(reader, { contextSignal: () => AbortSignal.abort() });
    await expect(auth.authorization(challenge!, 'repository:payments/shop:pull')).resolves.toMatch(
      /^Bearer ./,
    );
  });

  const withRealRegistry = hasDockerRegistry('registry client against docker-registry') ? it : it.skip;
  withRealRegistry(
    'works anonymously against the real distribution registry, which has no auth',
    async () => {
      const real = await startRealRegistry();
      try {
        const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
        const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
        const upload = await fetch(`${real.url}/v2/team/app/blobs/uploads/`, { method: 'POST' });
        const blob = await fetch(`${upload.headers.get('location') ?? ''}&digest=${configDigest}`, {
          method: 'PUT',
          body: config,
        });
        expect(blob.status).toBe(201);
        const manifest = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            config: {
              mediaType: 'application/vnd.oci.image.config.v1+json',
              size: config.length,
              digest: configDigest,
            },
            layers: [],
          }),
        );
        const put = await fetch(`${real.url}/v2/team/app/manifests/v1`, {
          method: 'PUT',
          headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
          body: manifest,
        });
        expect({ status: put.status, body: await put.text() }).toEqual({ status: 201, body: '' });
        const registry = client(undefined, real.url);
        await expect(registry.ping()).resolves.toBeUndefined();
        expect(await registry.manifest('team/app', 'v1')).toEqual({
          digest: put.headers.get('docker-content-digest'),
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
        });
        expect(await registry.manifest('team/app', 'v2')).toBeUndefined();
      } finally {
        await real.stop();
      }
    },
  );
});
