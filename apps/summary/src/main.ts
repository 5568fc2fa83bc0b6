import { runService, startFromEnv } from '@platform/service-runtime';
import { loadSummaryConfig, SERVICE_NAME } from './config/summary-config';
import { createSummaryApp } from './create-app';

startFromEnv(SERVICE_NAME, async () => {
  const config = loadSummaryConfig(process.env);
  await runService(await createSummaryApp(config), config.runtime);
});
