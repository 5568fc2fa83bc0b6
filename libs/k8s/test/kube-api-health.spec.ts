import { UnauthorizedError, UpstreamUnavailableError } from '@platform/errors';
import { loadKubeConfig } from '../src/kube-config';
import { kubeApiVersion } from '../src/kube-api-health';
import { PausableProxy } from './pausable-proxy';
import { startSandboxKube, type SandboxKube } from './sandbox-kube';

describe(kubeApiVersion.name, () => {
  let kube: SandboxKube;

  beforeAll(async () => {
    kube = await startSandboxKube();
  });
  afterAll(() => kube.close());

  const configFor = (url: string, token: string): ReturnType<typeof loadKubeConfig> =>
    loadKubeConfig({ server: { url, token, caData: Buffer.from(kube.caPem).toString('base64') } });

  it("answers the API server's version through the service's kube config", async () => {
    expect(await kubeApiVersion(kube.kc)).toMatch(/^v1\./);
  });

  it('names a refused token and an unreachable server, with the reason', async () => {
    await expect(kubeApiVersion(configFor(kube.url, 'wrong'))).rejects.toBeInstanceOf(UnauthorizedError);
    const down = kubeApiVersion(configFor('https://127.0.0.1:1', 'k8s-lib-test'));
    await expect(down).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await expect(down).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives up on a stalled server when its signal aborts', async () => {
    const { proxy, url } = await PausableProxy.start(kube.url);
    try {
      proxy.pause();
      const started = Date.now();
      await expect(
        kubeApiVersion(configFor(url, 'k8s-lib-test'), { signal: AbortSignal.timeout(300) }),
      ).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await proxy.close();
    }
  });
});
