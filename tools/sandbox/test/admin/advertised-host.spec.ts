import fs from 'node:fs';
import https from 'node:https';
import { startSandbox, type Sandbox } from '../../src/sandbox';

describe('a sandbox advertised under another host name (as in docker-compose)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ host: '127.0.0.1', advertisedHost: 'localhost' });
  });
  afterAll(() => sandbox.stop());

  it('puts that name in its URLs, its kubeconfig and its sign-in tokens, and answers there', async () => {
    const { kube, ...others } = sandbox.urls;
    expect(kube).toMatch(/^https:\/\/localhost:\d+$/);
    expect(Object.values(others).every((url) => url.startsWith('http://localhost:'))).toBe(true);
    expect(fs.readFileSync(sandbox.kubeconfigPath, 'utf8')).toContain(`server: "${kube}"`);
    // Its certificate is valid for the advertised name: verified against the sandbox CA alone.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      https
        .get(`${kube}/version`, { ca: fs.readFileSync(sandbox.caFile) }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject),
    );
    expect(status).toBe(200);
    // The admin API tells a client without the data folder the CA and which servers use it.
    const tls = (await (await fetch(`${sandbox.urls.admin}/admin/tls`)).json()) as {
      caFile: string;
      caPem: string;
      https: string[];
    };
    expect(tls).toEqual({
      caFile: sandbox.caFile,
      caPem: fs.readFileSync(sandbox.caFile, 'utf8'),
      https: ['kube'],
    });
    const res = await fetch(`${sandbox.urls.admin}/admin/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'dev', teams: ['demo'] }),
    });
    const { token } = (await res.json()) as { token: string };
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      iss: string;
    };
    expect(payload.iss).toBe(sandbox.urls.admin);
  });
});
