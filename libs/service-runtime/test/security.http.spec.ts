import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { LogCapture } from '../src/testing/log-capture';
import { listenOnRandomPort } from '../src/testing/listen';
import { openSse } from '../src/testing/sse-client';
import { signTestToken } from '../src/testing/test-token';
import { createWidgetsApp } from './fixture/widgets-app';

const CHROMIUM = '/usr/bin/chromium';

describe('security headers and proxies', () => {
  const apps: NestFastifyApplication[] = [];
  let base: string;
  let token: string;

  const start = async (env: Record<string, string> = {}): Promise<string> => {
    const app = await createWidgetsApp(new LogCapture(), env);
    apps.push(app);
    return listenOnRandomPort(app);
  };

  beforeAll(async () => {
    base = await start();
    token = await signTestToken({ sub: 'alice' });
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it.each(['/widgets/v1/widgets/me', '/widgets/v1/nothing-here', '/healthz/live', '/docs'])(
    'sends the security headers on %s',
    async (path) => {
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'content-security-policy': expect.stringContaining("default-src 'self'") as unknown,
      });
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    },
  );

  it('sends them on an event stream too (its reply is hijacked)', async () => {
    const stream = await openSse(`${base}/widgets/v1/widgets/stream`, { authorization: `Bearer ${token}` });
    expect(stream.status).toBe(200);
    expect(stream.headers['x-content-type-options']).toBe('nosniff');
    expect(stream.headers['content-security-policy']).toContain("default-src 'self'");
    stream.close();
  });

  it('serves the docs page and every script, stylesheet and icon it loads', async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const res = await fetch(new URL(asset, `${base}/docs`));
      // Read each body: an unread one holds its connection busy, and close() waits for it.
      await res.arrayBuffer();
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
  });

  // A real browser applies the policy: swagger-ui renders only if its scripts, styles and the
  // document fetch are allowed. (.ci/run installs Debian's chromium.)
  (existsSync(CHROMIUM) ? it : it.skip)(
    'renders the docs UI in Chromium under the policy',
    async () => {
      const { stdout, stderr } = await promisify(execFile)(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--enable-logging=stderr',
          '--v=0',
          '--virtual-time-budget=10000',
          '--dump-dom',
          `${base}/docs`,
        ],
        { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 },
      );
      expect(stdout).toContain('class="swagger-ui');
      // The title comes from the OpenAPI document, fetched and rendered by the page's scripts.
      expect(stdout).toMatch(/class="title"[^>]*>widgets/);
      expect(stderr).not.toContain('Content Security Policy');
    },
    90_000,
  );

  it('believes X-Forwarded-For only from TRUSTED_PROXIES', async () => {
    const headers = {
      authorization: `Bearer ${token}`,
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    };
    const untrusted = await fetch(`${base}/widgets/v1/widgets/client`, { headers });
    expect(await untrusted.json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
    const behindProxy = await start({ TRUSTED_PROXIES: '127.0.0.1/32,::1' });
    const trusted = await fetch(`${behindProxy}/widgets/v1/widgets/client`, { headers });
    expect(await trusted.json()).toEqual({ ip: '203.0.113.9', protocol: 'https' });
    const elsewhere = await start({ TRUSTED_PROXIES: '10.0.0.0/8' });
    const notOurs = await fetch(`${elsewhere}/widgets/v1/widgets/client`, { headers });
    expect(await notOurs.json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });
});
