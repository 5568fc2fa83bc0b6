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
  // A read-only replica: the contract is about the HTTP surface; the collectors have their own suites.
  env: {
    ARGO_SERVER_URL: 'http://127.0.0.1:1',
    ARGOCD_SERVER_URL: 'http://127.0.0.1:1',
    ARGOCD_PASSWORD: 'unused',
    SUMMARY_COLLECT: 'false',
    SUMMARY_KEY_PREFIX: '{summary-contract}:',
  },
  requiredKeys: ['ARGO_SERVER_URL', 'ARGOCD_SERVER_URL', 'ARGOCD_PASSWORD'],
  createApp: (env, logs) => createSummaryApp(loadSummaryConfig(env), { logDestination: logs }),
});
