import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { taskEnv } from './task-env';

describeServiceContract({
  service: 'task',
  routePrefix: '/task/v1',
  title: 'Platform API — task service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: true,
  // The upstreams are never called by the contract: valid URLs and the repo's catalog suffice.
  env: taskEnv(),
  requiredKeys: [
    'ARGO_SERVER_URL',
    'ARGOCD_SERVER_URL',
    'ARGOCD_PASSWORD',
    'GIT_SERVER_URL',
    'REGISTRY_HOST',
    'TEMPLATES_CATALOG_FILE',
  ],
  createApp: (env, logs) => createTaskApp(loadTaskConfig(env), { logDestination: logs }),
});
