import { UnauthorizedError, UpstreamUnavailableError } from '@platform/errors';
import { startSandbox, type Sandbox } from '@platform/sandbox';
import { HttpArgoCd } from '../src/argocd/http-argo-cd';
import { gitServerFor } from '../src/git/git-server-for';
import { HttpTransport } from '../src/http/http-transport';
import { StaticToken } from '../src/http/token-provider';
import { HttpArgoWorkflows } from '../src/workflows/http-argo-workflows';
import { startSandboxArgo, type SandboxArgo } from './sandbox-argo';

describe('health probes of the upstream clients', () => {
  let argo: SandboxArgo;

  beforeAll(async () => {
    argo = await startSandboxArgo();
  });
  afterAll(() => argo.close());

  const transport = (upstream: 'ARGO_WORKFLOWS' | 'ARGO_CD', baseUrl: string, token: string): HttpTransport =>
    new HttpTransport({ upstream, baseUrl, auth: new StaticToken(token), timeoutMs: 3000 });

  it("reads the Argo Workflows server's version with the platform's token", async () => {
    expect(await argo.workflows.version()).toMatchObject({ version: expect.stringMatching(/^v\d/) });
  });

  it('reports a token Argo Workflows refuses as unauthorized', async () => {
    const stranger = new HttpArgoWorkflows(transport('ARGO_WORKFLOWS', argo.argoUrl, 'not-the-token'));
    await expect(stranger.version()).rejects.toMatchObject({ code: 'ARGO_WORKFLOWS_UNAUTHORIZED' });
  });

  it('reports an Argo Workflows server that answers 503 as unavailable, without retrying', async () => {
    argo.ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
    try {
      await expect(argo.workflows.version()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    } finally {
      argo.ctx.faults.clear();
    }
  });

  it('verifies that Argo CD takes the logged-in session, and refuses a token it does not know', async () => {
    await expect(argo.argocd.verifySession()).resolves.toBeUndefined();
    const stranger = new HttpArgoCd(transport('ARGO_CD', argo.argocdUrl, 'a.b.c'));
    await expect(stranger.verifySession()).rejects.toBeInstanceOf(UnauthorizedError);
  });

  describe('git server', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ gitUsername: 'platform', gitPassword: 'pw', gitToken: 'git-token' });
    });
    afterAll(() => sandbox.stop());

    it("answers Gitea's version endpoint, and a 503 as unavailable", async () => {
      const git = gitServerFor({ provider: 'gitea', url: sandbox.urls.git, token: 'git-token' });
      await expect(git.health()).resolves.toBeUndefined();
      sandbox.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
      try {
        await expect(git.health()).rejects.toMatchObject({ code: 'GIT_UNAVAILABLE' });
      } finally {
        sandbox.ctx.faults.clear();
      }
    });
  });
});
