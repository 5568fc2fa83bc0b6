import { startSandbox } from '@platform/sandbox';
import { describeServiceContract } from '@platform/service-runtime/testing';
import path from 'node:path';
import { loadMonitoringConfig } from '../src/config/monitoring-config';
import { createMonitoringApp } from '../src/create-app';
import { upstreamEnv } from './harness';

describeServiceContract({
  service: 'monitoring',
  routePrefix: '/monitoring/v1',
  title: 'Platform API — monitoring service',
  mainJs: path.join(__dirname, '..', 'dist', 'main.js'),
  usesRedis: false,
  upstreamChecks: ['argo-workflows', 'argo-cd', 'kubernetes'],
  // Readiness probes the three upstreams, so they must answer: a bare sandbox does.
  upstreams: async () => {
    const sandbox = await startSandbox();
    return {
      env: {
        ...upstreamEnv(sandbox),
      },
      stop: () => sandbox.stop(),
    };
  },
  requiredKeys: ['ARGO_SERVER_URL', 'ARGOCD_SERVER_URL', 'ARGOCD_PASSWORD'],
  createApp: (env, logs) => createMonitoringApp(loadMonitoringConfig(env), { logDestination: logs }),
});
