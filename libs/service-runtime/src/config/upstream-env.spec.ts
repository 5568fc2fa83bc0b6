import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEnv } from './describe-env';
import { loadEnv } from './load-config';
import { ServiceEnv } from './service-env';
import {
  argoCdSettings,
  argoWorkflowsSettings,
  WithArgoCd,
  WithArgoWorkflows,
  WithKubernetes,
} from './upstream-env';

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

  it('reads the CA bundles of ARGO_CA_FILE and ARGOCD_CA_FILE, and names a file that is none', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'upstream-ca-'));
    const ca = path.join(dir, 'ca.crt');
    writeFileSync(ca, CERTIFICATE);
    const env = loadEnv(UpstreamsEnv, { ...base, ARGO_CA_FILE: ca, ARGOCD_CA_FILE: ca });
    expect(argoWorkflowsSettings(env).ca).toBe(CERTIFICATE);
    expect(argoCdSettings(env).ca).toBe(CERTIFICATE);
    expect(argoWorkflowsSettings(loadEnv(UpstreamsEnv, base)).ca).toBeUndefined();
    const garbled = path.join(dir, 'garbled.crt');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect(() => loadEnv(UpstreamsEnv, { ...base, ARGOCD_CA_FILE: garbled })).toThrow(
      `ARGOCD_CA_FILE (a PEM CA bundle) ${garbled} holds a certificate that cannot be parsed`,
    );
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

/** A self-signed certificate (ECDSA P-256, CN=test-ca) to stand for a CA bundle. */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBeTCCAR+gAwIBAgIULZZQqK8oiZO6k34wbdLVGcvs/dEwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjEyMDYwODAyMjhaFw0zNjEyMDMwODAy
MjhaMBIxEDAOBgNVBAMMB3Rlc3QtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATenZsyT8AnKeG7AfHb9YOslbT/NcV+W0QBhyG+n9MokaK1wpY3wqmhuSiS5bhk
ueOBbSzmUB2pvqy1pHdY0KFgo1MwUTAdBgNVHQ4EFgQU3ATVvZ/89cyJgKZgqOsl
jgB/evswHwYDVR0jBBgwFoAU3ATVvZ/89cyJgKZgqOsljgB/evswDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAhjkIlG1QXbsMC4EL9jBdf6yBXydB
zS4FdY0N0Wvjo5YCIGAiHyqhSjwD6Zy1M2NGhGj3W2M5yCbCu8CfErt1PiBF
-----END CERTIFICATE-----
`;
