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
  // Never called by the contract: the upstreams are only contacted when a stream opens.
  env: {
    ARGO_SERVER_URL: 'http://127.0.0.1:9',
    ARGOCD_SERVER_URL: 'http://127.0.0.1:9',
    ARGOCD_PASSWORD: 'unused',
  },
  requiredKeys: ['ARGO_SERVER_URL', 'ARGOCD_SERVER_URL', 'ARGOCD_PASSWORD'],
  createApp: (env, logs) => createMonitoringApp(loadMonitoringConfig(env), { logDestination: logs }),
});
