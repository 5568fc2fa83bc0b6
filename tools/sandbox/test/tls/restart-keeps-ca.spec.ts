import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../src/sandbox';

function status(url: string, ca?: string): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    https
      .get(url, ca === undefined ? {} : { ca }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
      .on('error', reject),
  );
}

describe('the sandbox CA across restarts on the same data folder', () => {
  it('is created once and kept: what clients saved still verifies the restarted servers', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ca-'));
    try {
      const first = await startSandbox({ dataDir, ports: {} });
      const savedCa = fs.readFileSync(first.caFile, 'utf8');
      expect(first.caFile).toBe(path.join(dataDir, 'tls', 'ca.crt'));
      expect((fs.statSync(path.join(dataDir, 'tls', 'ca.key')).mode & 0o777).toString(8)).toBe('600');
      await first.stop();

      const second = await startSandbox({ dataDir, tls: ['argo'] });
      try {
        expect(fs.readFileSync(second.caFile, 'utf8')).toBe(savedCa);
        expect(await status(`${second.urls.kube}/version`, savedCa)).toBe(200);
        expect(second.urls.argo).toMatch(/^https:/);
        expect(second.urls.argocd).toMatch(/^http:/);
        // A client with the system's CAs alone refuses the sandbox's certificate.
        await expect(status(`${second.urls.kube}/version`)).rejects.toMatchObject({
          code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        });
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
