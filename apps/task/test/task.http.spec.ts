import { startSandbox } from '@platform/sandbox';
import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv, taskEnv } from './task-env';

describeServiceContract({
  service: 'task',
  routePrefix: '/task/v1',
  title: 'Platform API — task service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: true,
  upstreamChecks: ['argo-workflows', 'argo-cd', 'git', 'registry'],
  env: taskEnv(),
  // Readiness probes the upstreams, so they must answer: a bare sandbox does.
  upstreams: async () => {
    const sandbox = await startSandbox({
      gitUsername: 'platform',
      gitPassword: 'pw',
      gitToken: 'git-token',
      // The services' read-only registry robot is part of the platform team's registry setup.
      registryPlatform: true,
    });
    return { env: sandboxTaskEnv(sandbox), stop: () => sandbox.stop() };
  },
  requiredKeys: [
    'ARGO_SERVER_URL',
    'ARGOCD_SERVER_URL',
    'ARGOCD_PASSWORD',
    'GIT_SERVER_URL',
    'REGISTRY_HOST',
    'REGISTRY_URL',
    'TEMPLATES_CATALOG_FILE',
  ],
  createApp: (env, logs) => createTaskApp(loadTaskConfig(env), { logDestination: logs }),
});
