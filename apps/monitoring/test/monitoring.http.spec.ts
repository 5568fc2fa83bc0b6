import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadMonitoringConfig } from '../src/config/monitoring-config';
import { createMonitoringApp } from '../src/create-app';

describeServiceContract({
  service: 'monitoring',
  routePrefix: '/monitoring/v1',
  title: 'Platform API — monitoring service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: false,
  createApp: (env, logs) => createMonitoringApp(loadMonitoringConfig(env), { logDestination: logs }),
});
