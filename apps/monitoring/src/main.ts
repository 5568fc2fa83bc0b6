import { runService, startFromEnv } from '@platform/service-runtime';
import { loadMonitoringConfig, SERVICE_NAME } from './config/monitoring-config';
import { createMonitoringApp } from './create-app';

startFromEnv(SERVICE_NAME, async () => {
  const config = loadMonitoringConfig(process.env);
  await runService(await createMonitoringApp(config), config.runtime);
});
