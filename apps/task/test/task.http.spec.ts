import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';

describeServiceContract({
  service: 'task',
  routePrefix: '/task/v1',
  title: 'Platform API — task service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: true,
  // Never called by the contract: it only needs a syntactically valid Argo server URL to start.
  env: { ARGO_SERVER_URL: 'http://127.0.0.1:9' },
  requiredKeys: ['ARGO_SERVER_URL'],
  createApp: (env, logs) => createTaskApp(loadTaskConfig(env), { logDestination: logs }),
});
