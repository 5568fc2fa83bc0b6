import { ConfigValidationError } from '@platform/service-runtime';
import { taskEnv } from '../../test/task-env';
import { loadTaskConfig } from './task-config';

function problemKeys(env: Record<string, string>): Record<string, string[]> {
  try {
    loadTaskConfig(env);
    return {};
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.key, p.problems]));
  }
}

describe(loadTaskConfig.name, () => {
  it('refuses credentials inside GIT_SERVER_URL and the Argo URLs (they reach workflow parameters)', () => {
    expect(
      problemKeys(
        taskEnv({
          GIT_SERVER_URL: 'https://platform:s3cret@git.example.com',
          ARGO_SERVER_URL: 'https://token@argo.example.com',
          ARGOCD_SERVER_URL: 'https://admin:pw@argocd.example.com',
        }),
      ),
    ).toEqual({
      GIT_SERVER_URL: [
        'GIT_SERVER_URL must not carry credentials (user:password@); set them in their own keys',
      ],
      ARGO_SERVER_URL: [
        'ARGO_SERVER_URL must not carry credentials (user:password@); set them in their own keys',
      ],
      ARGOCD_SERVER_URL: [
        'ARGOCD_SERVER_URL must not carry credentials (user:password@); set them in their own keys',
      ],
    });
    expect(loadTaskConfig(taskEnv({ GIT_SERVER_URL: 'https://git.example.com' })).git.url).toBe(
      'https://git.example.com',
    );
  });
});
