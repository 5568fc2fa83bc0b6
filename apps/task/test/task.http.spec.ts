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
  createApp: (env, logs) => createTaskApp(loadTaskConfig(env), { logDestination: logs }),
});
