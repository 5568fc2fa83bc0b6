import { ConfigValidationError } from '@platform/service-runtime';
import { loadTaskConfig } from '../src/config/task-config';
import { taskEnv } from './task-env';

/** ARGOCD_WORKFLOW_TLS → the `argocd-tls` parameter of create-app and cd (a flag of the argocd CLI). */
describe('ARGOCD_WORKFLOW_TLS', () => {
  it.each([
    [{ ARGOCD_SERVER_URL: 'http://argocd-server.argocd.svc' }, '--plaintext'],
    [{ ARGOCD_SERVER_URL: 'https://argocd-server.argocd.svc' }, ''],
    [
      { ARGOCD_SERVER_URL: 'https://argocd-server.argocd.svc', ARGOCD_INSECURE_SKIP_TLS_VERIFY: 'true' },
      '--insecure',
    ],
    [{ ARGOCD_SERVER_URL: 'https://argocd.example.com', ARGOCD_WORKFLOW_TLS: 'plaintext' }, '--plaintext'],
    [{ ARGOCD_SERVER_URL: 'http://argocd-server.argocd.svc', ARGOCD_WORKFLOW_TLS: 'verify' }, ''],
    [{ ARGOCD_SERVER_URL: 'https://argocd.example.com', ARGOCD_WORKFLOW_TLS: 'insecure' }, '--insecure'],
  ])('%j gives the workflows %j', (env, flag) => {
    expect(loadTaskConfig(taskEnv(env)).argocd.cliTlsFlag).toBe(flag);
  });

  it('refuses another value, naming the choices', () => {
    expect(() => loadTaskConfig(taskEnv({ ARGOCD_WORKFLOW_TLS: 'off' }))).toThrow(ConfigValidationError);
    expect(() => loadTaskConfig(taskEnv({ ARGOCD_WORKFLOW_TLS: 'off' }))).toThrow(
      'ARGOCD_WORKFLOW_TLS must be one of verify, insecure, plaintext',
    );
  });
});
