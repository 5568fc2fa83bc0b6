import { describeEnv } from './describe-env';
import { loadEnv } from './load-config';
import { ServiceEnv } from './service-env';
import { WithArgoCd, WithArgoWorkflows, WithKubernetes } from './upstream-env';

class UpstreamsEnv extends WithKubernetes(WithArgoCd(WithArgoWorkflows(ServiceEnv))) {
  override PORT: number = 3009;
  override ROUTE_PREFIX: string = '/example/v1';
}

const base = {
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com',
  ARGO_SERVER_URL: 'https://argo-server.argo:2746',
  ARGOCD_SERVER_URL: 'https://argocd-server.argocd',
  ARGOCD_PASSWORD: 'secret',
};

describe('the upstream settings every service shares', () => {
  it('reads "false" as false and "true" as true (implicit conversion would make both true)', () => {
    expect(
      loadEnv(UpstreamsEnv, { ...base, ARGO_INSECURE_SKIP_TLS_VERIFY: 'false' })
        .ARGO_INSECURE_SKIP_TLS_VERIFY,
    ).toBe(false);
    expect(
      loadEnv(UpstreamsEnv, { ...base, ARGOCD_INSECURE_SKIP_TLS_VERIFY: 'true' })
        .ARGOCD_INSECURE_SKIP_TLS_VERIFY,
    ).toBe(true);
    expect(() => loadEnv(UpstreamsEnv, { ...base, ARGO_INSECURE_SKIP_TLS_VERIFY: 'yes' })).toThrow(
      'ARGO_INSECURE_SKIP_TLS_VERIFY must be true or false',
    );
  });

  it('needs an Argo CD password unless a token is given', () => {
    const { ARGOCD_PASSWORD: _, ...withoutPassword } = base;
    expect(() => loadEnv(UpstreamsEnv, withoutPassword)).toThrow(
      'ARGOCD_PASSWORD is required unless ARGOCD_TOKEN is set',
    );
    expect(loadEnv(UpstreamsEnv, { ...withoutPassword, ARGOCD_TOKEN: 't' }).ARGOCD_TOKEN).toBe('t');
  });

  it('are described with the service keys, required ones marked', () => {
    const keys = describeEnv(UpstreamsEnv);
    const byKey = (key: string) => keys.find((k) => k.key === key);
    expect(byKey('ARGO_SERVER_URL')).toMatchObject({ required: true });
    expect(byKey('ARGO_NAMESPACE')).toMatchObject({ required: false, default: 'argo' });
    expect(byKey('ARGOCD_USERNAME')).toMatchObject({ default: 'platform-api' });
    expect(byKey('KUBECONFIG')).toMatchObject({ required: false });
    expect(byKey('PORT')).toBeDefined();
    expect(byKey('ARGO_TOKEN')?.description).toContain('Argo Workflows');
  });
});
