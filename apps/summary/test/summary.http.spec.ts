import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadSummaryConfig } from '../src/config/summary-config';
import { createSummaryApp } from '../src/create-app';

describeServiceContract({
  service: 'summary',
  routePrefix: '/summary/v1',
  title: 'Platform API — summary service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: true,
  createApp: (env, logs) => createSummaryApp(loadSummaryConfig(env), { logDestination: logs }),
});
